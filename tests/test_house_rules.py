"""Rules of the house that no import contract can state (pyproject.toml's contracts state the rest)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NNVIZ = REPO / "nnviz"


def sources(*roots: Path) -> dict[Path, str]:
    files = [p for root in roots for p in ([root] if root.is_file() else root.rglob("*.py"))]
    return {p: p.read_text(encoding="utf-8") for p in files}


def test_the_number_of_blas_threads_is_decided_in_one_place():
    """One BLAS thread for the window, set through threadpoolctl in gui/concurrency/blas.py and applied by the
    window; nothing else sets OpenBLAS's environment or calls the limit (it was written five times)."""
    code = sources(NNVIZ, REPO / "main.py")
    assert not [p for p, text in code.items() if "OPENBLAS_NUM_THREADS" in text]
    calls = re.compile(r"^(?!\s*def ).*(?<![`\w])limit_blas_threads\(", re.M)
    callers = {p.relative_to(REPO).as_posix() for p, text in code.items() if calls.search(text)}
    assert callers == {"nnviz/gui/app/main_window.py"}
    assert "def limit_blas_threads" in (NNVIZ / "gui" / "concurrency" / "blas.py").read_text(encoding="utf-8")


def test_the_training_session_reads_the_panel_as_a_form():
    """The session asks the panel for its value (architecture(), config(), seed()) and tells it what to show;
    it never reaches into its widgets nor parses what they display."""
    session = (NNVIZ / "gui" / "training" / "session.py").read_text(encoding="utf-8")
    assert not re.search(r"panel\.\w+_(spin|combo|edit|check|button)\b|panel\.(progress|summary)\b", session)


def test_tests_are_laid_out_like_the_code():
    """Each folder of tests is named after the package it tests (tests/gui/draw tests nnviz/gui/draw)."""
    for folder in (p for p in (REPO / "tests").rglob("*") if p.is_dir() and p.name != "__pycache__"):
        package = NNVIZ / folder.relative_to(REPO / "tests")
        assert package.is_dir() and (package / "__init__.py").exists() or package.name == "lecture", folder
