"""Smoke test of an installed nnviz wheel, run by that installation's Python from outside the checkout.

Checks what a new user meets first: `nnviz --version`, `nnviz doctor` (everything but the display
green; with the offscreen Qt platform all green), `nnviz predict` on a digit PNG written here,
`nnviz evaluate` (when MNIST is at hand), the labs' data, the model formats, the window with its icon,
and `nnviz install-desktop`.
Exits non-zero with a message on the first failure.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

BIN = Path(sys.executable).parent
OFFSCREEN = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def nnviz(*args: str, env: dict | None = None, ok: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(BIN / "nnviz"), *args], capture_output=True, text=True, timeout=300,
                          env=env or OFFSCREEN)
    print(f"$ nnviz {' '.join(args)}  -> exit {proc.returncode}\n{proc.stdout}{proc.stderr}", flush=True)
    if ok and proc.returncode != 0:
        sys.exit(f"smoke test: `nnviz {' '.join(args)}` failed")
    return proc


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"smoke test: {what}")


def write_png(path: Path, gray: list[list[int]]) -> None:
    """An 8-bit grayscale PNG from rows of 0..255 (no imaging library needed)."""
    raw = b"".join(b"\x00" + bytes(row) for row in gray)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", len(gray[0]), len(gray), 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
                     + chunk(b"IEND", b""))


def seven(size: int = 160) -> list[list[int]]:
    """A dark 7 on white paper: a top bar and a slanted stroke down from its right end."""
    img = [[255] * size for _ in range(size)]
    for y in range(size):
        for x in range(size):
            bar = 30 <= y <= 44 and 40 <= x <= 125
            stroke = 44 <= y <= 135 and abs(x - (125 - (y - 44) * 0.55)) <= 8
            if bar or stroke:
                img[y][x] = 0
    return img


def main() -> None:
    check(not Path("nnviz").exists() and "site-packages" in __import__("nnviz").__file__,
          "nnviz must be imported from the installed wheel, not a checkout")
    check(nnviz("--version").stdout.startswith("nnviz "), "--version prints the version")

    plain = nnviz("doctor", env={k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}, ok=False)
    model_part = plain.stdout.split("Shipped model", 1)[-1]
    check("784-300-100-10" in model_part and "missing" not in model_part, "doctor finds the shipped model")
    check("MISMATCH" not in plain.stdout, "doctor: MNIST checksums")
    check("All good." in nnviz("doctor").stdout, "doctor is all green with the offscreen platform")

    work = Path(tempfile.mkdtemp(prefix="nnviz-smoke-"))
    write_png(work / "seven.png", seven())
    result = json.loads(nnviz("predict", "--json", str(work / "seven.png")).stdout)
    check(result["digit"] == 7, f"the drawn 7 is predicted as {result['digit']}")

    for fmt in ("safetensors", "onnx"):
        nnviz("export", "--format", fmt, "--out", str(work / f"m.{fmt}"))
        again = nnviz("predict", "--json", "--model", str(work / f"m.{fmt}"), str(work / "seven.png"))
        again = json.loads(again.stdout)
        check(again["probabilities"] == result["probabilities"], f"the {fmt} export predicts the same")

    lesson = work / "lesson.html"  # the page's JavaScript, CSS and template come with the wheel
    nnviz("export", "--format", "html", "--out", str(lesson), "--title", "smoke")
    page = lesson.read_text(encoding="utf-8")
    check("nnvizLesson" in page and "Content-Security-Policy" in page and "<title>smoke</title>" in page,
          "the lesson page holds its script, its policy and its title")

    from nnviz.core.data.mnist import find_mnist

    if find_mnist() is not None:  # the test run downloads it into the cache when it is not in $NNVIZ_DATA
        accuracy = json.loads(nnviz("evaluate", "--json").stdout)["accuracy"]
        check(accuracy >= 0.99, f"evaluate: the shipped model scores {accuracy}")
    else:
        print("no MNIST here: evaluate not tried")

    from nnviz.core import toy

    hours, volume = toy.load_traffic()
    check(len(hours) == len(volume) > 20, "the labs' traffic data loads")

    env = {**OFFSCREEN, "XDG_DATA_HOME": str(work / "share")}
    nnviz("install-desktop", env=env)
    check((work / "share/applications/nnviz.desktop").is_file(), "install-desktop writes the entry")
    check((work / "share/icons/hicolor/scalable/apps/nnviz.svg").is_file(), "install-desktop writes the icon")

    window = ("from PySide6.QtWidgets import QApplication; app = QApplication([]); from nnviz.gui import MainWindow; "
              "w = MainWindow(); w.show(); app.processEvents(); assert not w.windowIcon().isNull(), 'no icon'; "
              "print('window', w.windowTitle()); w.close()")
    proc = subprocess.run([sys.executable, "-c", window], capture_output=True, text=True, timeout=300, env=OFFSCREEN)
    print(proc.stdout + proc.stderr[-2000:])
    check(proc.returncode == 0, "the main window opens with its icon")
    print("smoke test of the installed wheel: all good")


if __name__ == "__main__":
    main()
