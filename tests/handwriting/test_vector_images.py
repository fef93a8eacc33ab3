"""SVG digits are read in bounded time and memory, or refused in one line (issue 27.2): nested <use> that
expand to billions of shapes, an SVGZ that inflates to gigabytes, cycles, and the same files renamed .png."""

from __future__ import annotations

import gzip
import shutil

import pytest

from nnviz.handwriting.images import read_image
from tests.memory import peak_growth

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="280" height="280">'


def nested_uses(levels: int = 12, fan: int = 10) -> str:
    """A few kilobytes whose <use> references expand to fan**levels shapes."""
    parts = [HEAD, '<defs><g id="l0"><rect width="1" height="1" fill="white"/></g>']
    for k in range(1, levels):
        parts.append(f'<g id="l{k}">' + f'<use xlink:href="#l{k - 1}"/>' * fan + "</g>")
    return "".join(parts) + f'</defs><use xlink:href="#l{levels - 1}"/></svg>'


@pytest.mark.parametrize("name", ["bomb.svg", "bomb.png"])
def test_nested_uses_are_refused_in_bounded_memory_whatever_the_file_is_called(tmp_path, name):
    path = tmp_path / name
    path.write_text(nested_uses())
    assert path.stat().st_size < 4000
    setup = "from PySide6.QtWidgets import QApplication\napp = QApplication(['t', '-platform', 'offscreen'])\n" \
            "from nnviz.handwriting.images import read_image"
    growth, outcome = peak_growth(setup, f"    read_image({str(path)!r})", cap_mb=400)
    assert outcome.startswith("ValueError") and "expand to" in outcome and "refused" in outcome, outcome
    assert growth < 60, growth


def test_an_svgz_that_inflates_far_past_the_limit_is_refused_without_inflating_it(tmp_path):
    path = tmp_path / "bomb.svgz"
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(HEAD.encode())
        for _ in range(64):  # 64 MB of spaces (16 times the limit), 64 KB on disk
            f.write(b" " * (1 << 20))
        f.write(b"</svg>")
    shutil.copy(path, tmp_path / "bomb.png")
    setup = "from PySide6.QtWidgets import QApplication\napp = QApplication(['t', '-platform', 'offscreen'])\n" \
            "from nnviz.handwriting.images import read_image"
    for name in ("bomb.svgz", "bomb.png"):
        growth, outcome = peak_growth(setup, f"    read_image({str(tmp_path / name)!r})", cap_mb=400)
        assert outcome.startswith("ValueError") and "larger than 4 MB (inflated)" in outcome, outcome
        assert growth < 60, growth


def test_a_cycle_of_uses_is_refused(qapp, tmp_path):
    path = tmp_path / "cycle.svg"
    path.write_text(HEAD + '<g id="a"><use xlink:href="#b"/></g><g id="b"><use xlink:href="#a"/></g></svg>')
    with pytest.raises(ValueError, match="cycle"):
        read_image(path)


def test_an_svg_digit_still_reads(qapp, tmp_path):
    path = tmp_path / "one.svg"
    path.write_text(HEAD + '<rect width="280" height="280"/><use xlink:href="#s"/>'
                    '<line id="s" x1="140" y1="30" x2="140" y2="250" stroke="white" stroke-width="24"/></svg>')
    pixels = read_image(path)
    assert pixels.shape == (280, 280, 4) and pixels[140, 140, 0] == 255 and pixels[140, 30, 0] == 0
