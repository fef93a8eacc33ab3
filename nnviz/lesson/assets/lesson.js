// nnviz lesson page: the lecture's digit network in a browser, offline. Plain ES2020, no library.
// The maths is the lecture's and nnviz.core's, written out: z = W a + b, a = g(z), ŷ = softmax(z_L),
// J = −Σ y log ŷ; backward dJ/dz_L = ŷ − y, dJ/dW_l = dJ/dz_l a_{l−1}ᵀ, dJ/db_l = dJ/dz_l,
// dJ/da_{l−1} = W_lᵀ dJ/dz_l, dJ/dz_{l−1} = dJ/da_{l−1} ⊙ g′(z_{l−1}); update W ← W − α dJ/dW.
// The preprocessing is nnviz.core.preprocess.to_mnist's: crop, scale to 20 px, centre by mass (deskew).
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("lessonData").textContent);
  const SIDE = 28, BOX = 20, PAD = 280, MNIST_CENTRE = 14, INK_THRESHOLD = 0.1, SURE = 0.99;
  const RESOLUTION = 4 * 1.1920929e-7; // ŷ − y below this is float32 rounding: the gradients mean nothing
  const $ = (id) => document.getElementById(id);
  const SUB = (n) => String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[d]);

  // ---------------------------------------------------------------- decoding the data
  function bytesOf(b64) {
    const bin = atob(b64), out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function float32sOf(b64) {
    const b = bytesOf(b64);
    return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  }
  function float16sOf(b64) { // IEEE half precision, little-endian, read exactly
    const b = bytesOf(b64), u = new Uint16Array(b.buffer, b.byteOffset, b.byteLength / 2);
    const out = new Float32Array(u.length);
    for (let i = 0; i < u.length; i++) {
      const h = u[i], s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
      out[i] = e === 0 ? s * f * 2 ** -24 : e === 31 ? (f ? NaN : s * Infinity) : s * (1 + f / 1024) * 2 ** (e - 15);
    }
    return out;
  }

  // ---------------------------------------------------------------- the network
  const G = {
    relu: [(z) => (z > 0 ? z : 0), (z) => (z > 0 ? 1 : 0), "max(0, z)", "1 if z > 0 else 0"],
    sigmoid: [(z) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))),
      (z) => { const s = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)); return s * (1 - s); },
      "1 / (1 + e^(−z))", "σ(z)(1 − σ(z))"],
    tanh: [Math.tanh, (z) => 1 - Math.tanh(z) ** 2, "tanh(z)", "1 − tanh²(z)"],
    linear: [(z) => z, () => 1, "z", "1"],
    step: [(z) => (z >= 0 ? 1 : 0), () => 0, "1 if z ≥ 0 else 0", "0"],
  };

  class Network {
    constructor(sizes, activation, layers) { // layers: [{W: (n_out × n_in) row-major, b}]
      this.sizes = sizes; this.activation = activation; this.layers = layers; this.L = layers.length;
      [this.g, this.gPrime, this.gText, this.gPrimeText] = G[activation];
    }
    static fromFlat(sizes, activation, flat) { // the layout of nnviz's Network.flat: W1, b1, W2, b2, ...
      const layers = []; let o = 0;
      for (let l = 1; l < sizes.length; l++) {
        const n = sizes[l] * sizes[l - 1];
        layers.push({ W: flat.subarray(o, o + n), b: flat.subarray(o + n, o + n + sizes[l]) });
        o += n + sizes[l];
      }
      return new Network(sizes, activation, layers);
    }
    forward(x) { // {z: [null, z1..zL], a: [x, a1, .., ŷ]} in float64
      const z = [null], a = [Float64Array.from(x)];
      for (let l = 1; l <= this.L; l++) {
        const { W, b } = this.layers[l - 1], nIn = this.sizes[l - 1], nOut = this.sizes[l], prev = a[l - 1];
        const nz = []; // the inputs that are not 0 (most pixels): only they add to z
        for (let j = 0; j < nIn; j++) if (prev[j] !== 0) nz.push(j);
        const zl = new Float64Array(nOut);
        for (let i = 0; i < nOut; i++) {
          let s = b[i]; const row = i * nIn;
          for (let k = 0; k < nz.length; k++) s += W[row + nz[k]] * prev[nz[k]];
          zl[i] = s;
        }
        z.push(zl);
        a.push(l < this.L ? zl.map(this.g) : softmax(zl));
      }
      return { z, a };
    }
    backward(trace, y) { // y: one-hot target; every gradient of the lecture's backward pass
      const L = this.L, dJ_dz = new Array(L + 1), dJ_da = new Array(L + 1), dJ_dW = new Array(L + 1);
      const dJ_db = new Array(L + 1), yHat = trace.a[L];
      let J = 0;
      for (let k = 0; k < y.length; k++) if (y[k] > 0) J -= y[k] * Math.log(Math.max(yHat[k], 1e-300));
      dJ_dz[L] = yHat.map((p, k) => p - y[k]);
      for (let l = L; l >= 1; l--) {
        const { W } = this.layers[l - 1], nIn = this.sizes[l - 1], nOut = this.sizes[l];
        const d = dJ_dz[l], prev = trace.a[l - 1], gw = new Float64Array(nOut * nIn);
        for (let i = 0; i < nOut; i++) {
          const di = d[i], row = i * nIn;
          if (di !== 0) for (let j = 0; j < nIn; j++) gw[row + j] = di * prev[j];
        }
        dJ_dW[l] = gw; dJ_db[l] = Float64Array.from(d);
        if (l > 1) {
          const da = new Float64Array(nIn);
          for (let i = 0; i < nOut; i++) {
            const di = d[i], row = i * nIn;
            if (di !== 0) for (let j = 0; j < nIn; j++) da[j] += W[row + j] * di;
          }
          dJ_da[l - 1] = da;
          dJ_dz[l - 1] = da.map((v, j) => v * this.gPrime(trace.z[l - 1][j]));
        }
      }
      return { J, dJ_dz, dJ_da, dJ_dW, dJ_db };
    }
    updated(grads, alpha) { // W ← W − α dJ/dW, b ← b − α dJ/db: a new network (this one unchanged)
      const layers = this.layers.map(({ W, b }, k) => ({
        W: Float32Array.from(W, (w, i) => w - alpha * grads.dJ_dW[k + 1][i]),
        b: Float32Array.from(b, (v, i) => v - alpha * grads.dJ_db[k + 1][i]),
      }));
      return new Network(this.sizes, this.activation, layers);
    }
  }

  function softmax(z) {
    let m = -Infinity;
    for (const v of z) m = Math.max(m, v);
    const e = z.map((v) => Math.exp(v - m)), s = e.reduce((p, v) => p + v, 0);
    return e.map((v) => v / s);
  }
  function oneHot(k, n) { const y = new Float64Array(n); y[k] = 1; return y; }
  function argmax(v) { let best = 0; for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i; return best; }

  // The target that shows learning (nnviz.core.gradscale.default_target): the true label where the network
  // is wrong or unsure, else the runner-up ("what if this were a K?"); for a drawing, the unsure prediction.
  function defaultTarget(p, label) {
    const order = Array.from(p.keys()).sort((i, j) => p[j] - p[i] || i - j), top = order[0], second = order[1];
    if (label !== null && (top !== label || p[label] < SURE)) {
      return [label, "the true label; " + (top !== label ? `the network reads ${top}`
        : `the network is unsure (${pct(p[label])})`)];
    }
    if (label === null && p[top] < SURE) return [top, `the prediction, made surer (${pct(p[top])})`];
    return [second, `what if this were a ${second}? (sure of ${top}: ${pct(p[top])})`];
  }

  // ---------------------------------------------------------------- preprocessing (nnviz.core.preprocess)
  function roundHalfEven(v) { // Python's round()
    const f = Math.floor(v), d = v - f;
    return d > 0.5 ? f + 1 : d < 0.5 ? f : (f % 2 === 0 ? f : f + 1);
  }
  function resizeMatrix(nIn, nOut) { // (nOut × nIn): area averaging when shrinking, linear when enlarging
    const M = new Float64Array(nOut * nIn);
    if (nOut <= nIn) {
      for (let i = 0; i < nOut; i++) {
        const lo = (i * nIn) / nOut, hi = ((i + 1) * nIn) / nOut; let sum = 0;
        for (let p = Math.floor(lo); p < Math.min(nIn, Math.ceil(hi)); p++) {
          const o = Math.max(0, Math.min(hi, p + 1) - Math.max(lo, p)); M[i * nIn + p] = o; sum += o;
        }
        for (let p = 0; p < nIn; p++) M[i * nIn + p] /= sum;
      }
    } else {
      for (let i = 0; i < nOut; i++) {
        const c = Math.min(Math.max(((i + 0.5) * nIn) / nOut - 0.5, 0), nIn - 1);
        const lo = Math.floor(c), hi = Math.min(lo + 1, nIn - 1), f = c - lo;
        M[i * nIn + lo] += 1 - f; M[i * nIn + hi] += f;
      }
    }
    return M;
  }
  function resize(img, h, w, nh, nw) { // rows, then columns
    const R = resizeMatrix(h, nh), C = resizeMatrix(w, nw), rows = new Float64Array(nh * w), out = new Float64Array(nh * nw);
    for (let i = 0; i < nh; i++) for (let j = 0; j < h; j++) {
      const r = R[i * h + j];
      if (r !== 0) for (let k = 0; k < w; k++) rows[i * w + k] += r * img[j * w + k];
    }
    for (let i = 0; i < nh; i++) for (let k = 0; k < nw; k++) {
      let s = 0; for (let j = 0; j < w; j++) s += rows[i * w + j] * C[k * w + j];
      out[i * nw + k] = s;
    }
    return out;
  }
  function boundingBox(img, h, w) {
    let peak = 0;
    for (let i = 0; i < img.length; i++) if (img[i] > peak) peak = img[i];
    if (peak <= 1e-3) return null;
    const t = INK_THRESHOLD * peak; let top = h, bottom = -1, left = w, right = -1;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (img[y * w + x] > t) {
      if (y < top) top = y; if (y > bottom) bottom = y; if (x < left) left = x; if (x > right) right = x;
    }
    return [top, bottom + 1, left, right + 1];
  }
  function bilinear(img, x, y) { // outside reads as 0
    const x0 = Math.floor(x), y0 = Math.floor(y), fx = x - x0, fy = y - y0;
    const at = (r, c) => (r >= 0 && r < SIDE && c >= 0 && c < SIDE ? img[r * SIDE + c] : 0);
    const top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx, bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx;
    return top * (1 - fy) + bottom * fy;
  }
  function deskew(x) { // straighten by the second moments (a shear), the centre of mass kept at the centre
    let total = 0, my = 0, mx = 0;
    for (let i = 0; i < x.length; i++) { total += x[i]; my += x[i] * Math.floor(i / SIDE); mx += x[i] * (i % SIDE); }
    total = Math.max(total, 1e-6); my /= total; mx /= total;
    let varY = 0, cov = 0;
    for (let i = 0; i < x.length; i++) {
      const r = Math.floor(i / SIDE), c = i % SIDE;
      varY += x[i] * (r - my) ** 2; cov += x[i] * (r - my) * (c - mx);
    }
    varY /= total; cov /= total;
    const alpha = varY > 1e-6 ? cov / Math.max(varY, 1e-6) : 0, mid = (SIDE - 1) / 2, out = new Float64Array(x.length);
    for (let r = 0; r < SIDE; r++) for (let c = 0; c < SIDE; c++) {
      const v = bilinear(x, c - mid + mx + alpha * (r - mid), r - mid + my);
      out[r * SIDE + c] = Math.min(1, Math.max(0, v));
    }
    return out;
  }
  function toMnist(img, h, w, deskewIt) { // ink = 1 on 0 -> the 784 inputs, or null for a blank picture
    const box = boundingBox(img, h, w);
    if (!box) return null;
    const [top, bottom, left, right] = box, ch = bottom - top, cw = right - left;
    const crop = new Float64Array(ch * cw);
    for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) crop[y * cw + x] = img[(top + y) * w + left + x];
    const scale = BOX / Math.max(ch, cw), nh = Math.max(1, roundHalfEven(ch * scale)), nw = Math.max(1, roundHalfEven(cw * scale));
    const small = resize(crop, ch, cw, nh, nw);
    let peak = 1e-6;
    for (let i = 0; i < small.length; i++) { if (small[i] < 0) small[i] = 0; if (small[i] > peak) peak = small[i]; }
    const field = new Float64Array(SIDE * SIDE), y0 = Math.floor((SIDE - nh) / 2), x0 = Math.floor((SIDE - nw) / 2);
    let total = 0, cy = 0, cx = 0;
    for (let y = 0; y < nh; y++) for (let x = 0; x < nw; x++) {
      const v = small[y * nw + x] / peak; field[(y0 + y) * SIDE + x0 + x] = v;
      total += v; cy += v * (y0 + y); cx += v * (x0 + x);
    }
    const dy = Math.trunc(roundHalfEven(MNIST_CENTRE - cy / total)), dx = Math.trunc(roundHalfEven(MNIST_CENTRE - cx / total));
    const shifted = new Float64Array(SIDE * SIDE);
    for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) {
      const sy = y - dy, sx = x - dx;
      if (sy >= 0 && sy < SIDE && sx >= 0 && sx < SIDE) shifted[y * SIDE + x] = Math.min(1, Math.max(0, field[sy * SIDE + sx]));
    }
    return deskewIt ? deskew(shifted) : shifted;
  }

  // ---------------------------------------------------------------- colours (the app's maps)
  const MAPS = {
    inferno: [[0, 0, 4], [40, 11, 84], [101, 21, 110], [159, 42, 99], [212, 72, 66], [245, 125, 21], [250, 193, 39], [252, 255, 164]],
    cividis: [[0, 34, 78], [18, 53, 112], [59, 73, 107], [87, 92, 109], [112, 113, 115], [139, 136, 120], [168, 159, 117], [198, 184, 103], [229, 211, 78], [253, 234, 69]],
    bluered: [[40, 120, 255], [70, 140, 230], [60, 70, 110], [36, 36, 44], [110, 60, 60], [230, 90, 60], [255, 80, 50]],
    blueyellow: [[58, 144, 254], [80, 140, 210], [90, 100, 130], [60, 60, 64], [130, 120, 80], [210, 180, 60], [230, 200, 40]],
  };
  let palette = { seq: "inferno", div: "bluered" };
  function lookup(name, t) { // t in [0, 1] -> "rgb(...)"
    const stops = MAPS[name], x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(x)), f = x - i, a = stops[i], b = stops[i + 1];
    return `rgb(${Math.round(a[0] + f * (b[0] - a[0]))},${Math.round(a[1] + f * (b[1] - a[1]))},${Math.round(a[2] + f * (b[2] - a[2]))})`;
  }
  const seq = (t) => lookup(palette.seq, t);
  const div = (v, scale) => lookup(palette.div, scale > 0 ? 0.5 + 0.5 * v / scale : 0.5);

  // ---------------------------------------------------------------- numbers as the app writes them
  function num(v, digits = 3) {
    if (v === 0) return "0";
    const a = Math.abs(v);
    if (a >= 1e-3 && a < 1e5) return Number(v.toPrecision(digits)).toString().replace("-", "−");
    const k = Math.floor(Math.log10(a)), m = v / 10 ** k;
    return `${m.toFixed(1).replace("-", "−")} × 10${String(k).replace("-", "⁻").replace(/\d/g, (d) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[d])}`;
  }
  const pct = (p) => `${(100 * p).toFixed(p > 0.995 || p < 0.005 ? 1 : 0)}%`;
  function maxAbs(v) { let m = 0; for (const x of v) if (Math.abs(x) > m) m = Math.abs(x); return m; }

  // ---------------------------------------------------------------- the page's state
  const sizes = DATA.sizes, L = sizes.length - 1;
  const modelNet = new Network(sizes, DATA.activation, DATA.layers.map((l) => ({ W: float32sOf(l.W), b: float32sOf(l.b) })));
  const digits = DATA.digits ? { pixels: bytesOf(DATA.digits.pixels), labels: DATA.digits.labels, index: DATA.digits.index } : null;
  const history = (DATA.history || []).map((h) => ({ ...h, net: null }));
  const S = {
    net: modelNet, base: modelNet, x: null, label: null, source: "", trace: null, target: null, why: "",
    chosenTarget: null, grads: null, step: 0, selected: null, undo: [], digit: -1, hover: null,
  };

  function setInput(x, label, source) {
    S.x = x; S.label = label; S.source = source; S.chosenTarget = null; S.undo = [];
    $("undoUpdate").disabled = true; $("updateEffect").textContent = "";
    recompute(true);
  }
  function recompute(chooseTarget) { // the forward pass now; the backward pass when a view asks (grads())
    S.grads = null;
    if (!S.x) { S.trace = null; render(); return; }
    S.trace = S.net.forward(S.x);
    const p = S.trace.a[L];
    if (chooseTarget || S.target === null) [S.target, S.why] = defaultTarget(p, S.label);
    if (S.chosenTarget !== null) { S.target = S.chosenTarget; S.why = "your choice"; }
    render();
  }
  function grads() {
    if (!S.grads && S.trace) S.grads = S.net.backward(S.trace, oneHot(S.target, sizes[L]));
    return S.grads;
  }

  // ---------------------------------------------------------------- the drawing pad
  const pad = $("drawPad"), ink = pad.getContext("2d", { willReadFrequently: true });
  const BRUSH = 18; // the app's canvas: about an MNIST stroke at 280 px
  let stroke = null;
  function clearPad() { ink.fillStyle = "#000"; ink.fillRect(0, 0, PAD, PAD); }
  function padPoint(e) {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) * PAD) / r.width, ((e.clientY - r.top) * PAD) / r.height];
  }
  function penWidth(e) { // a mouse (and a finger) draw the brush's width; a pen by its pressure, as in the app
    const p = e.pointerType === "pen" ? e.pressure : 0.5;
    return BRUSH * (0.4 + 1.2 * Math.min(1, Math.max(0, p)));
  }
  function inkStyle(width) {
    ink.strokeStyle = ink.fillStyle = "#fff"; ink.lineWidth = width; ink.lineCap = "round"; ink.lineJoin = "round";
  }
  pad.addEventListener("pointerdown", (e) => {
    e.preventDefault(); pad.setPointerCapture(e.pointerId);
    if (S.source !== "pad") clearPad();
    const [x, y] = padPoint(e);
    stroke = { last: [x, y], mid: [x, y], width: penWidth(e) };
    inkStyle(stroke.width); ink.beginPath(); ink.arc(x, y, stroke.width / 2, 0, 2 * Math.PI); ink.fill();
    readPad();
  });
  pad.addEventListener("pointermove", (e) => {
    if (!stroke) return;
    e.preventDefault();
    for (const ev of e.getCoalescedEvents ? e.getCoalescedEvents() : [e]) {
      const [x, y] = padPoint(ev), mid = [(stroke.last[0] + x) / 2, (stroke.last[1] + y) / 2];
      stroke.width = 0.6 * stroke.width + 0.4 * penWidth(ev);
      inkStyle(stroke.width); ink.beginPath(); ink.moveTo(...stroke.mid);
      ink.quadraticCurveTo(stroke.last[0], stroke.last[1], mid[0], mid[1]); ink.stroke();
      stroke.last = [x, y]; stroke.mid = mid;
    }
    readPad();
  });
  function endStroke() {
    if (!stroke) return;
    inkStyle(stroke.width); ink.beginPath(); ink.moveTo(...stroke.mid); ink.lineTo(...stroke.last); ink.stroke();
    stroke = null; readPad();
  }
  pad.addEventListener("pointerup", endStroke);
  pad.addEventListener("pointercancel", endStroke);
  const timings = [];
  function readPad() { // the picture -> the input -> the prediction, at every move (timed for the benchmark)
    const t0 = performance.now(), rgba = ink.getImageData(0, 0, PAD, PAD).data, img = new Float64Array(PAD * PAD);
    for (let i = 0; i < img.length; i++) img[i] = rgba[4 * i + 1] / 255;
    S.x = toMnist(img, PAD, PAD, DATA.deskew); S.label = null; S.source = "pad"; S.chosenTarget = null;
    S.undo = []; $("undoUpdate").disabled = true; $("updateEffect").textContent = "";
    $("digitInfo").textContent = "your drawing";
    recompute(true); // (the prediction and its bars now; the walk and the picture at the next frame)
    timings.push(performance.now() - t0);
    if (timings.length > 2000) timings.splice(0, 1000);
  }
  $("clearPad").addEventListener("click", () => { clearPad(); S.source = "pad"; setInput(null, null, "pad"); $("digitInfo").textContent = "cleared: draw a digit"; });

  function showDigit(k) { // a bundled MNIST test digit: on the pad (enlarged) and as the input
    if (!digits) return;
    const n = digits.labels.length; S.digit = ((k % n) + n) % n;
    const px = digits.pixels.subarray(S.digit * 784, S.digit * 784 + 784), x = new Float64Array(784);
    for (let i = 0; i < 784; i++) x[i] = px[i] / 255;
    const small = document.createElement("canvas"); small.width = small.height = SIDE;
    const sc = small.getContext("2d"), im = sc.createImageData(SIDE, SIDE);
    for (let i = 0; i < 784; i++) { im.data[4 * i] = im.data[4 * i + 1] = im.data[4 * i + 2] = px[i]; im.data[4 * i + 3] = 255; }
    sc.putImageData(im, 0, 0); clearPad(); ink.imageSmoothingEnabled = true; ink.drawImage(small, 0, 0, PAD, PAD);
    $("digitInfo").textContent = `MNIST test digit #${digits.index[S.digit]}: true label ${digits.labels[S.digit]}`;
    setInput(DATA.deskew ? deskew(x) : x, digits.labels[S.digit], "dataset");
  }
  $("nextDigit").addEventListener("click", () => showDigit(S.digit + 1));
  $("prevDigit").addEventListener("click", () => showDigit(S.digit - 1));

  // ---------------------------------------------------------------- prediction, probabilities
  function renderPrediction() {
    const pred = $("prediction"), probs = $("probs"), prev = $("inputPreview").getContext("2d");
    const im = prev.createImageData(SIDE, SIDE);
    for (let i = 0; i < 784; i++) {
      const v = S.x ? Math.round(255 * S.x[i]) : 0;
      im.data[4 * i] = im.data[4 * i + 1] = im.data[4 * i + 2] = v; im.data[4 * i + 3] = 255;
    }
    prev.putImageData(im, 0, 0);
    probs.textContent = "";
    if (!S.trace) { pred.textContent = "no input yet: draw a digit"; delete pred.dataset.digit; return; }
    const p = S.trace.a[L], k = argmax(p);
    pred.innerHTML = ""; const big = document.createElement("b"); big.textContent = String(k);
    pred.append(big, document.createTextNode(`the network reads ${k} (${pct(p[k])})`));
    pred.dataset.digit = String(k);
    for (let c = 0; c < p.length; c++) {
      const row = document.createElement("div"); row.setAttribute("role", "listitem");
      const name = document.createElement("span"); name.textContent = String(c);
      const bar = document.createElement("div"); bar.className = "bar" + (c === S.target ? " target" : "");
      const fill = document.createElement("span"); fill.style.width = `${(100 * p[c]).toFixed(1)}%`; bar.append(fill);
      const val = document.createElement("span"); val.textContent = pct(p[c]);
      row.style.display = "contents"; row.setAttribute("aria-label", `${c}: ${pct(p[c])}` + (c === S.target ? ", the target y" : ""));
      row.append(name, bar, val); probs.append(row);
    }
  }

  // ---------------------------------------------------------------- the network picture
  const pic = $("netPicture"), ctx = pic.getContext("2d");
  const EDGES = 120; // strongest edges drawn per layer
  let geom = null, edgeCache = new Map();
  function gridShape(n) { const cols = Math.max(1, Math.ceil(Math.sqrt(n / 2))); return [cols, Math.ceil(n / cols)]; }
  function layout() { // where every neuron sits, in CSS pixels
    const w = pic.clientWidth || 600, narrow = w < 520, h = Math.round(w * (narrow ? 0.95 : 0.6));
    const dpr = window.devicePixelRatio || 1;
    if (pic.width !== Math.round(w * dpr) || pic.height !== Math.round(h * dpr)) { pic.width = Math.round(w * dpr); pic.height = Math.round(h * dpr); }
    pic.style.height = `${h}px`;
    const cols = L + 1, colW = w / cols, top = 26, usable = h - top - 8, layers = [];
    for (let l = 0; l <= L; l++) {
      const n = sizes[l], cx = colW * (l + 0.5);
      let gc, gr;
      if (l === 0 && n === 784) [gc, gr] = [SIDE, SIDE]; else if (l === L) [gc, gr] = [1, n]; else [gc, gr] = gridShape(n);
      const cell = Math.max(1.5, Math.min((colW * 0.78) / gc, usable / gr)), x0 = cx - (cell * gc) / 2, y0 = top + (usable - cell * gr) / 2;
      const pos = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) { pos[2 * i] = x0 + (i % gc + 0.5) * cell; pos[2 * i + 1] = y0 + (Math.floor(i / gc) + 0.5) * cell; }
      layers.push({ n, cell, pos, x0, y0, gc, gr, cx });
    }
    geom = { w, h, dpr, layers, colW };
  }
  function strongest(l, values, count) { // the indices of the `count` largest |values| (a partial sort)
    const key = values; const idx = [];
    let threshold = -1;
    for (let i = 0; i < key.length; i++) {
      const a = Math.abs(key[i]);
      if (idx.length < count) { idx.push(i); if (idx.length === count) { idx.sort((p, q) => Math.abs(key[q]) - Math.abs(key[p])); threshold = Math.abs(key[idx[count - 1]]); } }
      else if (a > threshold) {
        let j = count - 1; while (j > 0 && Math.abs(key[idx[j - 1]]) < a) j--;
        idx.splice(j, 0, i); idx.pop(); threshold = Math.abs(key[idx[count - 1]]);
      }
    }
    return idx;
  }
  function edgesOf(l) { // the strongest weights of layer l, cached per network
    const k = `${l}`; let e = edgeCache.get(k);
    if (!e) { e = strongest(l, S.net.layers[l - 1].W, Math.min(EDGES, S.net.layers[l - 1].W.length)); edgeCache.set(k, e); }
    return e;
  }
  function stepView() { return S.trace ? STEPS()[S.step] : null; }
  function render() { renderPrediction(); drawPicture(); }
  let frame = 0; // what costs more than a move's budget is drawn once a frame: the walk, the picture
  function drawPicture() {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; renderWalk(); renderTargets(); paint(); renderTooltip(); });
  }
  function paint() {
    layout();
    const { w, h, dpr, layers } = geom, step = stepView();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0); ctx.clearRect(0, 0, w, h);
    // edges: the strongest weights (or, on a dJ/dW step, the strongest gradients) of each layer
    for (let l = 1; l <= L; l++) {
      const from = layers[l - 1], to = layers[l], nIn = sizes[l - 1];
      const onStep = step && step.kind === "dW" && step.layer === l;
      const values = onStep ? grads().dJ_dW[l] : S.net.layers[l - 1].W;
      const idx = onStep ? strongest(l, values, Math.min(EDGES, values.length)) : edgesOf(l);
      const scale = idx.length ? Math.abs(values[idx[0]]) : 1;
      for (const e of idx) {
        const i = Math.floor(e / nIn), j = e % nIn, v = values[e];
        ctx.strokeStyle = div(v, scale); ctx.globalAlpha = step && !onStep ? 0.12 : 0.25 + 0.6 * Math.abs(v) / (scale || 1);
        ctx.lineWidth = onStep ? 1.4 : 0.8;
        ctx.beginPath(); ctx.moveTo(from.pos[2 * j], from.pos[2 * j + 1]); ctx.lineTo(to.pos[2 * i], to.pos[2 * i + 1]); ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    // neurons: activation a (÷ the layer's max), or the step's quantity on a diverging map centred at 0
    for (let l = 0; l <= L; l++) {
      const g = layers[l], vals = S.trace ? S.trace.a[l] : null, q = step && step.layer === l && step.vector ? step.vector : null;
      const qs = q ? maxAbs(q) : 0, am = vals ? Math.max(1e-12, maxAbs(vals)) : 1, lit = step && step.layer === l;
      for (let i = 0; i < g.n; i++) {
        let colour;
        if (q) colour = step.resolved ? div(q[i], qs) : div(0, 1);
        else if (!vals) colour = "#2a2a33";
        else if (l === 0) { const v = Math.round(255 * vals[i]); colour = `rgb(${v},${v},${v})`; }
        else colour = seq(l === L ? vals[i] : vals[i] / am);
        ctx.fillStyle = colour;
        const s = Math.max(1, g.cell * (l === 0 ? 1 : 0.86));
        ctx.fillRect(g.pos[2 * i] - s / 2, g.pos[2 * i + 1] - s / 2, s, s);
      }
      if (lit) { ctx.strokeStyle = "#50dcff"; ctx.lineWidth = 2; ctx.strokeRect(g.x0 - 4, g.y0 - 4, g.cell * g.gc + 8, g.cell * g.gr + 8); }
      ctx.fillStyle = "#c8c8d2"; ctx.font = "12px system-ui, sans-serif"; ctx.textAlign = "center";
      const label = geom.colW < 130 ? (l === 0 ? "x" : l === L ? "ŷ" : `a${SUB(l)} · ${g.n}`)
        : l === 0 ? `input x · ${g.n}` : l === L ? `output ŷ · ${g.n}` : `hidden ${l} · ${g.n} ${DATA.activation}`;
      ctx.fillText(label, g.cx, 14);
      if (l === L) for (let i = 0; i < g.n; i++) { ctx.textAlign = "left"; ctx.fillText(String(i), g.pos[2 * i] + g.cell * 0.6, g.pos[2 * i + 1] + 4); }
    }
    if (S.selected) {
      const g = layers[S.selected[0]], i = S.selected[1];
      ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 2; ctx.strokeRect(g.pos[2 * i] - g.cell, g.pos[2 * i + 1] - g.cell, 2 * g.cell, 2 * g.cell);
    }
    renderLegend(step);
  }
  function neuronAt(px, py) {
    if (!geom) return null;
    for (let l = 0; l <= L; l++) {
      const g = geom.layers[l];
      const c = Math.floor((px - g.x0) / g.cell), r = Math.floor((py - g.y0) / g.cell), i = r * g.gc + c;
      if (c >= 0 && c < g.gc && r >= 0 && r < g.gr && i < g.n) return [l, i];
    }
    return null;
  }
  function pick(e) { const r = pic.getBoundingClientRect(); return neuronAt(e.clientX - r.left, e.clientY - r.top); }
  pic.addEventListener("pointermove", (e) => { S.hover = pick(e); renderTooltip(); });
  pic.addEventListener("pointerleave", () => { S.hover = null; renderTooltip(); });
  pic.addEventListener("click", (e) => { S.selected = pick(e); drawPicture(); renderTooltip(); });
  pic.addEventListener("keydown", (e) => { // arrow keys walk the neurons, PageUp/PageDown the layers
    const [l, i] = S.selected || [1, 0], g = geom ? geom.layers[l] : null;
    if (!g) return;
    const moves = { ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [0, g.gc], ArrowUp: [0, -g.gc], PageDown: [1, 0], PageUp: [-1, 0] };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const [dl, di] = moves[e.key], nl = Math.min(L, Math.max(0, l + dl));
    S.selected = [nl, dl ? 0 : Math.min(sizes[nl] - 1, Math.max(0, i + di))]; drawPicture(); renderTooltip();
  });
  function describeNeuron([l, i]) {
    const name = l === 0 ? `input pixel ${i} (row ${Math.floor(i / SIDE)}, column ${i % SIDE})` : l === L ? `output ${i} (digit ${i})` : `hidden layer ${l}, neuron ${i}`;
    if (!S.trace) return `${name}: draw a digit to see its numbers`;
    if (l === 0) return `${name}: x = ${num(S.trace.a[0][i])} (0 = background, 1 = ink)`;
    const { W, b } = S.net.layers[l - 1], nIn = sizes[l - 1], prev = S.trace.a[l - 1], z = S.trace.z[l][i], a = S.trace.a[l][i];
    const terms = []; for (let j = 0; j < nIn; j++) if (prev[j] !== 0) terms.push([W[i * nIn + j] * prev[j], j]);
    terms.sort((p, q) => Math.abs(q[0]) - Math.abs(p[0]));
    const sum = z - b[i], top = terms.slice(0, 3).map(([v, j]) => `${num(v)} (from ${l === 1 ? "pixel" : "neuron"} ${j})`).join(", ");
    const g = l === L ? `ŷ${SUB(i)} = softmax(z)${SUB(i)} = ${num(a)}` : `a = g(z) = ${DATA.activation}(${num(z)}) = ${num(a)}`;
    return `${name}: z = Σ w·a + b = ${num(sum)} + (${num(b[i])}) = ${num(z)}; ${g}. Bias b = ${num(b[i])}. ` +
      `Largest w·a of ${terms.length} non-zero inputs: ${top || "none"}.`;
  }
  function renderTooltip() {
    const at = S.hover || S.selected;
    $("tooltip").textContent = at ? describeNeuron(at) : "Hover or tap a neuron for its z, a, bias and formula with the numbers (or focus the picture and use the arrow keys).";
  }
  function colourBar(title, fn, lo, hi) {
    const fig = document.createElement("figure"), c = document.createElement("canvas"); c.width = 160; c.height = 8;
    c.setAttribute("role", "img"); c.setAttribute("aria-label", `colour bar: ${title}, from ${lo} to ${hi}`);
    const g = c.getContext("2d"); for (let x = 0; x < 160; x++) { g.fillStyle = fn(x / 159); g.fillRect(x, 0, 1, 8); }
    const cap = document.createElement("figcaption"), ticks = document.createElement("div"); ticks.className = "ticks";
    for (const t of [lo, hi]) { const s = document.createElement("span"); s.textContent = t; ticks.append(s); }
    cap.textContent = title; fig.append(cap, c, ticks); return fig;
  }
  function renderLegend(step) {
    const box = $("legend"); box.textContent = "";
    if (step && step.vector) {
      const s = step.resolved ? maxAbs(step.vector) : 0;
      box.append(colourBar(`lit layer: ${step.vname || step.name} ÷ its largest |value| (${num(s)})`, (t) => lookup(palette.div, t), `−${num(s)}`, `+${num(s)}`));
    } else {
      box.append(colourBar("neuron colour = activation a ÷ the layer's largest a (outputs: ŷ itself)", (t) => seq(t), "0", "1"));
    }
    box.append(colourBar(step && step.kind === "dW" ? `lines of the lit layer: dJ/dW (the ${EDGES} strongest)` : `lines: weight w, the ${EDGES} strongest of each layer`,
      (t) => lookup(palette.div, t), "< 0 (blue)", "> 0 (red)"));
  }

  // ---------------------------------------------------------------- the backprop walk
  function STEPS() { // every step of the walk for the current input and target
    const t = S.trace, gr = grads(), steps = [], g = DATA.activation, resolved = maxAbs(t.a[L].map((p, k) => p - (k === S.target ? 1 : 0))) > RESOLUTION;
    for (let l = 1; l <= L; l++) {
      const prev = l === 1 ? "x" : `a${SUB(l - 1)}`;
      steps.push({ name: `z${SUB(l)}`, layer: l, vector: null, kind: "forward", resolved: true,
        title: `forward: z${SUB(l)} = W${SUB(l)} ${prev} + b${SUB(l)}`, formula: `z${SUB(l)}[i] = Σⱼ W${SUB(l)}[i, j] ${prev}[j] + b${SUB(l)}[i]   (${sizes[l]},) = (${sizes[l]}, ${sizes[l - 1]}) · (${sizes[l - 1]},) + (${sizes[l]},)`, values: t.z[l] });
      steps.push(l < L ? { name: `a${SUB(l)}`, layer: l, vector: null, kind: "forward", resolved: true, title: `forward: a${SUB(l)} = g(z${SUB(l)})`,
        formula: `g(z) = ${G[g][2]}`, values: t.a[l] } : { name: "ŷ", layer: L, vector: null, kind: "forward", resolved: true,
        title: `forward: ŷ = softmax(z${SUB(L)})`, formula: "ŷₖ = e^{zₖ} / Σⱼ e^{zⱼ}", values: t.a[L] });
    }
    steps.push({ name: "J", layer: L, vector: null, kind: "forward", resolved: true, title: "the loss: J = −Σₖ yₖ log ŷₖ",
      formula: `y = one-hot of the target ${S.target}: J = −log ŷ${SUB(S.target)}`, values: [gr.J] });
    steps.push({ name: `dJ/dz${SUB(L)}`, layer: L, vector: gr.dJ_dz[L], kind: "backward", resolved, title: `backward: dJ/dz${SUB(L)} = ŷ − y`,
      formula: `negative at the target ${S.target} (raise it), positive elsewhere`, values: gr.dJ_dz[L] });
    for (let l = L; l >= 1; l--) {
      const prev = l === 1 ? "x" : `a${SUB(l - 1)}`;
      steps.push({ name: `dJ/dW${SUB(l)}`, vname: `dJ/dz${SUB(l)} (row i of dJ/dW${SUB(l)} is dJ/dz${SUB(l)}[i] · ${prev}ᵀ)`,
        layer: l, vector: gr.dJ_dz[l], kind: "dW", resolved, title: `backward: dJ/dW${SUB(l)} = dJ/dz${SUB(l)} ${prev}ᵀ`,
        formula: `dJ/dW${SUB(l)}[i, j] = dJ/dz${SUB(l)}[i] · ${prev}[j]   (${sizes[l]}, ${sizes[l - 1]})`, values: gr.dJ_dW[l] });
      steps.push({ name: `dJ/db${SUB(l)}`, layer: l, vector: gr.dJ_db[l], kind: "backward", resolved, title: `backward: dJ/db${SUB(l)} = dJ/dz${SUB(l)}`,
        formula: `the bias gets the error of its neuron   (${sizes[l]},)`, values: gr.dJ_db[l] });
      if (l > 1) {
        steps.push({ name: `dJ/da${SUB(l - 1)}`, layer: l - 1, vector: gr.dJ_da[l - 1], kind: "backward", resolved,
          title: `backward: dJ/da${SUB(l - 1)} = W${SUB(l)}ᵀ dJ/dz${SUB(l)}`, formula: `(${sizes[l - 1]},) = (${sizes[l - 1]}, ${sizes[l]}) · (${sizes[l]},)`, values: gr.dJ_da[l - 1] });
        steps.push({ name: `dJ/dz${SUB(l - 1)}`, layer: l - 1, vector: gr.dJ_dz[l - 1], kind: "backward", resolved,
          title: `backward: dJ/dz${SUB(l - 1)} = dJ/da${SUB(l - 1)} ⊙ g′(z${SUB(l - 1)})`, formula: `g′(z) = ${G[g][3]}`, values: gr.dJ_dz[l - 1] });
      }
    }
    steps.push({ name: "update", layer: null, vector: null, kind: "update", resolved, title: "the update: W ← W − α dJ/dW (and b ← b − α dJ/db)",
      formula: "for every layer, with this one example's gradients: press Apply update", values: null });
    return steps;
  }
  function renderWalk() {
    const has = !!S.trace;
    for (const id of ["walkBack", "walkNext", "applyUpdate"]) $(id).disabled = !has;
    if (!has) { $("stepTitle").textContent = "Draw a digit (or pick a test digit) to walk its backward pass."; $("stepFormula").textContent = $("stepNumbers").textContent = $("walkPos").textContent = ""; $("targetWhy").textContent = ""; return; }
    const steps = STEPS(); S.step = Math.min(S.step, steps.length - 1);
    const s = steps[S.step];
    $("walkPos").textContent = `step ${S.step + 1} of ${steps.length}`;
    $("stepTitle").textContent = s.title; $("stepFormula").textContent = s.formula;
    $("targetWhy").textContent = `target y = ${S.target}: ${S.why}`;
    $("walkBack").disabled = S.step === 0; $("walkNext").disabled = S.step === steps.length - 1;
    $("updateRow").hidden = s.kind !== "update";
    let text = "";
    if (s.values && s.kind !== "update") {
      const v = s.values, scale = maxAbs(v);
      text = (s.kind === "dW" ? `shape (${sizes[s.layer]}, ${sizes[s.layer - 1]})` : v.length === 1 ? "a number" : `shape (${v.length},)`) +
        `; largest |value| ${num(scale)}`;
      if (v.length <= 10) text += "\n" + Array.from(v, (x, k) => `${s.name === "J" ? "J" : k}: ${num(x)}`).join("   ");
      if (S.selected && s.layer === S.selected[0] && s.kind !== "dW" && v.length === sizes[s.layer]) text += `\nselected neuron ${S.selected[1]}: ${num(v[S.selected[1]])}`;
      if (s.kind !== "forward" && !s.resolved) text += "\nŷ ≈ y: the network is already sure of this target, so every gradient is float rounding noise (drawn as 0). Choose another target.";
    }
    $("stepNumbers").textContent = text;
  }
  function renderTargets() {
    const box = $("targets");
    if (!box.childElementCount) {
      for (let k = 0; k < sizes[L]; k++) {
        const b = document.createElement("button"); b.type = "button"; b.textContent = String(k);
        b.setAttribute("aria-label", `target y = ${k}`);
        b.addEventListener("click", () => { S.chosenTarget = k; recompute(false); });
        box.append(b);
      }
    }
    Array.from(box.children).forEach((b, k) => { b.setAttribute("aria-pressed", String(k === S.target)); b.disabled = !S.trace; });
  }
  $("walkNext").addEventListener("click", () => { S.step++; drawPicture(); });
  $("walkBack").addEventListener("click", () => { S.step = Math.max(0, S.step - 1); drawPicture(); });
  $("applyUpdate").addEventListener("click", () => {
    const alpha = Number($("alpha").value);
    if (!(alpha > 0 && alpha <= 5)) { $("updateEffect").textContent = "α must be a number above 0 and at most 5."; return; }
    const before = S.trace.a[L][S.target];
    S.undo.push(S.net); S.net = S.net.updated(grads(), alpha); edgeCache.clear();
    recompute(false);
    const after = S.trace.a[L][S.target];
    $("undoUpdate").disabled = false;
    $("updateEffect").textContent = `ŷ${SUB(S.target)} (the target's probability): ${num(before, 4)} → ${num(after, 4)} ${after > before ? "(it rises)" : ""}`;
  });
  $("undoUpdate").addEventListener("click", () => {
    if (!S.undo.length) return;
    S.net = S.undo.pop(); edgeCache.clear(); $("undoUpdate").disabled = !S.undo.length; $("updateEffect").textContent = "undone: the weights from before";
    recompute(false);
  });

  // ---------------------------------------------------------------- history, palette, resize
  if (history.length) {
    const slider = $("historySlider"); $("historyBox").hidden = false;
    slider.max = String(history.length); slider.value = String(history.length);
    const show = () => {
      const k = Number(slider.value);
      if (k === history.length) { S.net = S.base; $("historyInfo").textContent = "the model as shipped (latest)"; }
      else {
        const h = history[k]; if (!h.net) h.net = Network.fromFlat(sizes, DATA.activation, float16sOf(h.flat));
        S.net = h.net; $("historyInfo").textContent = `after ${h.t.toLocaleString("en")} batches (epoch ${h.epoch})` + (h.loss !== null ? `, loss ${num(h.loss)}` : "");
      }
      S.undo = []; edgeCache.clear(); recompute(false);
    };
    slider.addEventListener("input", show); show();
  }
  $("palette").addEventListener("change", (e) => { palette = e.target.checked ? { seq: "cividis", div: "blueyellow" } : { seq: "inferno", div: "bluered" }; drawPicture(); });
  new ResizeObserver(() => drawPicture()).observe(pic);

  // ---------------------------------------------------------------- the header: names as text, never HTML
  const card = DATA.card || {};
  $("title").textContent = DATA.title || "nnviz lesson: the digit network";
  document.title = DATA.title || "nnviz lesson";
  $("about").textContent = `Model ${DATA.model || "(unnamed)"}: ${sizes.join("-")}, ${DATA.activation}` +
    (typeof card.test_accuracy === "number" ? `, test accuracy ${(100 * card.test_accuracy).toFixed(2)}%` : "") + ` · made by nnviz ${DATA.version}`;
  $("cardLine").textContent = [card.note, card.training_command ? `trained with: ${card.training_command}` : ""].filter(Boolean).join(" · ");
  $("deskewNote").textContent = DATA.deskew ? ", deskewed" : "";
  $("footer").textContent = `Made with nnviz ${DATA.version}. Everything runs in this page: it works offline and sends nothing anywhere.`;
  if (!digits) { $("nextDigit").hidden = $("prevDigit").hidden = true; }

  // ---------------------------------------------------------------- hooks for tests and scripts
  window.nnvizLesson = {
    predict: (x) => Array.from(S.net.forward(x).a[L]),
    preprocess: (img, h, w) => { const x = toMnist(Float64Array.from(img), h, w, DATA.deskew); return x && Array.from(x); },
    backprop: (x, target) => {
      const t = S.net.forward(x), g = S.net.backward(t, oneHot(target, sizes[L]));
      const out = (arr) => arr.map((v) => (v ? Array.from(v) : null));
      return { J: g.J, dJ_dz: out(g.dJ_dz), dJ_da: out(g.dJ_da), dJ_dW: out(g.dJ_dW), dJ_db: out(g.dJ_db) };
    },
    update: (x, target, alpha) => {
      const t = S.net.forward(x), net = S.net.updated(S.net.backward(t, oneHot(target, sizes[L])), alpha);
      return Array.from(net.forward(x).a[L]);
    },
    showDigit, timings, steps: () => (S.trace ? STEPS().map((s) => s.title) : []),
    goStep: (k) => { S.step = Math.max(0, k); drawPicture(); },
    probabilities: () => (S.trace ? Array.from(S.trace.a[L]) : null), digitCount: () => (digits ? digits.labels.length : 0),
    state: () => ({ target: S.target, why: S.why, step: S.step, source: S.source }),
  };
  clearPad();
  if (digits) showDigit(digits.labels.indexOf(7) >= 0 ? digits.labels.indexOf(7) : 0); else render();
  window.nnvizLesson.readyAt = performance.now();
  document.body.dataset.ready = "1";
})();
