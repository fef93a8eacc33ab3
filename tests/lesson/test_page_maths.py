"""The page's maths against nnviz.core, in chromium: the forward pass, the preprocessing, every gradient of
the backprop walk and the update (issue 25)."""

from __future__ import annotations

import base64

import numpy as np

from nnviz.core import preprocess

# Arrays cross into the page and back as base64 bytes: as JSON numbers, 1,000 digits took seconds.
BYTES = ("const bytes = (b64) => { const s = atob(b64), u = new Uint8Array(s.length); "
         "for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i); return u.buffer; };"
         "const b64 = (a) => { const u = new Uint8Array(Float64Array.from(a).buffer); let s = '';"
         "for (let i = 0; i < u.length; i += 32768) s += String.fromCharCode.apply(null, u.subarray(i, i + 32768));"
         "return btoa(s); };")


def to_page(a: np.ndarray, dtype: str) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype).tobytes()).decode("ascii")


def from_page(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), "<f8")


def test_forward_pass_matches_core_on_a_thousand_test_digits(lesson, shipped, mnist):
    page, _, errors = lesson
    net, card = shipped
    x = preprocess.model_input(mnist.x_test[:1000], preprocess.wants_deskew(card))
    core = net.predict_proba(x)
    got = np.array(page.evaluate(f"(data) => {{ {BYTES} const x = new Float32Array(bytes(data)), out = [];"
                                 "for (let i = 0; i < x.length; i += 784) "
                                 "out.push(nnvizLesson.predict(x.subarray(i, i + 784)));"
                                 "return out; }", to_page(x, "<f4")))
    assert got.shape == (1000, 10) and np.max(np.abs(got - core)) < 1e-5
    assert errors == []


def _rasters(mnist, n: int, seed: int = 0) -> list[np.ndarray]:
    """n pad-sized (280x280) pictures of MNIST test digits, enlarged 6-9x and placed anywhere on the pad."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        digit = mnist.x_test[i].reshape(28, 28).astype(np.float32) / 255
        k = int(rng.integers(6, 10))
        big = np.kron(digit, np.ones((k, k), np.float32))
        img = np.zeros((280, 280), np.float32)
        top, left = (int(rng.integers(0, 281 - s)) for s in big.shape)
        img[top:top + big.shape[0], left:left + big.shape[1]] = big
        out.append(np.rint(img * 255).astype(np.uint8))  # (a picture's pixels: 256 levels)
    return out


def test_preprocessing_gives_core_s_input_and_digit_for_the_same_rasters(lesson, shipped, mnist):
    page, _, _ = lesson
    net, card = shipped
    deskew = preprocess.wants_deskew(card)
    rasters = _rasters(mnist, 24)
    page_x = np.array(page.evaluate(f"(data) => {{ {BYTES} const px = new Uint8Array(bytes(data)), out = [];"
                                    "for (let i = 0; i < px.length; i += 78400) out.push(nnvizLesson.preprocess("
                                    "Array.from(px.subarray(i, i + 78400), (v) => v / 255), 280, 280)); return out; }",
                                    to_page(np.concatenate([r.ravel() for r in rasters]), "u1")))
    core_x = np.array([preprocess.to_mnist(r.astype(np.float32) / 255, deskew) for r in rasters])
    assert np.mean(np.abs(page_x - core_x)) < 2 / 255
    assert np.max(np.mean(np.abs(page_x - core_x), axis=1)) < 2 / 255  # each digit, not just on average
    np.testing.assert_array_equal(net.predict(page_x.astype(np.float32)), net.predict(core_x.astype(np.float32)))
    assert page.evaluate("nnvizLesson.preprocess(new Array(280 * 280).fill(0), 280, 280)") is None  # blank: no input


def test_every_gradient_of_the_walk_matches_core(lesson, shipped, mnist):
    page, _, _ = lesson
    net, card = shipped
    x = preprocess.model_input(mnist.x_test[:3], preprocess.wants_deskew(card))
    labels = [int(v) for v in mnist.y_test[:3]]
    # each digit aimed at two classes it is not (aimed at its own, a sure network's ŷ − y is float rounding)
    for k, target in [(k, (labels[k] + d) % 10) for k in range(3) for d in (1, 5)]:
        trace = net.trace(x[k], target)
        got = page.evaluate(f"([x, t]) => {{ {BYTES} const g = nnvizLesson.backprop(x, t), out = {{J: g.J}};"
                            "for (const n of ['dJ_dz', 'dJ_da', 'dJ_dW', 'dJ_db']) "
                            "out[n] = g[n].map((v) => v && b64(v));"
                            "return out; }", [x[k].tolist(), target])
        for name in ("dJ_dz", "dJ_da", "dJ_dW", "dJ_db"):
            got[name] = [v and from_page(v) for v in got[name]]
        assert abs(got["J"] - float(trace.loss)) <= 1e-4 * abs(float(trace.loss)), (k, target, got["J"], trace.loss)
        for l, layer in enumerate(trace.layers, start=1):
            for name, want in (("dJ_dz", layer.dJ_dz), ("dJ_db", layer.dJ_db), ("dJ_dW", layer.dJ_dW.ravel())):
                mine = got[name][l]
                assert _relative(mine, want) <= 1e-4, (name, l)
            if l < len(trace.layers):  # the gradient at the layer's output a (from the layer above)
                assert _relative(got["dJ_da"][l], layer.dJ_da) <= 1e-4, ("dJ_da", l)


def _relative(mine: np.ndarray, want: np.ndarray) -> float:
    want = np.asarray(want, np.float64)
    return float(np.max(np.abs(mine - want)) / max(np.max(np.abs(want)), 1e-30))


def test_the_update_raises_the_target_s_probability_as_core_s_does(lesson, shipped, mnist):
    from nnviz.core.single_step import gradient_step

    page, _, _ = lesson
    net, card = shipped
    x = preprocess.model_input(mnist.x_test[:1], preprocess.wants_deskew(card))[0]
    before = net.predict_proba(x)
    after = np.array(page.evaluate("([x]) => nnvizLesson.update(x, 3, 0.5)", [x.tolist()]))
    twin = net.copy()
    twin.adopt(gradient_step(net, x, 3, 0.5))
    assert after[3] > before[3]
    np.testing.assert_allclose(after, twin.predict_proba(x), atol=1e-4)
