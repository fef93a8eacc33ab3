"""The benchmarks still run and print their JSON (two had broken unnoticed after refactors: an import
from a moved module, a modal question waiting for ever): the quick ones whole, the slow ones cut short
(one start, a few dozen digits). Figures are not judged here: speed targets live in bench/, measured
on a quiet machine (README, Benchmarks). The handwriting sets live beside the repository
(../shared/data): without them the two that read them skip, except in CI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT, find_mnist_dir

QUICK = [  # script, arguments, keys its JSON must have
    ("train_speed.py", ["--repeats", "1", "--no-torch", "--batches", "60"], ["nnviz_epoch_s", "floor_epoch_s",
                                                                              "ratio_floor", "ratio_floor_1thread"]),
    ("render_speed.py", [], ["activations_ms", "weights_topk_ms", "hover_ms", "all_edges_s"]),
    ("draw_latency.py", [], ["median_ms", "p95_ms", "n_moves"]),
    ("startup.py", ["--runs", "1"], ["median_s"]),
    ("inspector_steps.py", [], ["inspector_step_median_ms", "step_with_repaint_median_ms"]),
    ("usps_accuracy.py", ["--limit", "40"], ["pipeline_accuracy", "naive_accuracy"]),
    ("canvas_handwriting.py", ["--per-writer", "2", "--writers", "1,2,3"], ["accuracy", "naive_accuracy"]),
    # (ratio: null when no live epoch ended in the 3 s, on a slow machine; the key is there either way)
    ("ui_latency.py", ["--seconds", "3", "--headless-epochs", "1"], ["stall_p99_ms", "rss_mb"]),
    ("history.py", ["--epochs", "1", "--images", "12000", "--moves", "12"],
     ["history_mb", "scrub_ms_median", "train_slowdown"]),
    ("render3d.py", ["--frames", "3"],
     ["input_ms", "weights_ms", "orbit_ms_median", "orbit_ms_p95", "orbit_ms_p95_big"]),
    ("lesson_page.py", ["--digits", "1", "--runs", "1"], ["size_mb", "load_ms", "predict_ms_median", "predict_ms_p95"]),
    ("compare.py", ["--batches", "10", "--repeats", "1", "--gui-seconds", "1", "--moves", "2"],
     ["lockstep_ratio", "distributions_share", "stall_p99_ms", "map_ms"]),
    ("scaling.py", ["--sizes", "784-100-10", "--seconds", "0.5", "--live-seconds", "1"],
     ["stall_p99_max_ms", "live_ratio_max", "scene_input_ms_max", "scene_weights_ms_max"]),
]
SHARED = REPO_ROOT.parent / "shared" / "data"
NEEDS = {"usps_accuracy.py": ("NNVIZ_USPS", SHARED / "usps" / "zip.test.gz"),
         "canvas_handwriting.py": ("NNVIZ_PENDIGITS", SHARED / "pendigits" / "strokes-train.json.gz"),
         "lesson_page.py": ("NNVIZ_PENDIGITS", SHARED / "pendigits" / "strokes-train.json.gz")}


def missing(script: str) -> str | None:
    """Why the script cannot run here (its data set is not beside the repository), or None."""
    in_ci = os.environ.get("CI", "").lower() == "true"
    if script == "lesson_page.py" and not Path("/usr/bin/chromium").exists() and not in_ci:
        return "Debian's chromium is not installed (apt-get install chromium)"
    if script in NEEDS:
        var, default = NEEDS[script]
        if not Path(os.environ.get(var, default)).exists() and os.environ.get("CI", "").lower() != "true":
            return f"{default} is not here (set {var})"
    return None


def run(script: str, args: list[str], settings: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NNVIZ_SETTINGS_DIR=str(settings),
               NNVIZ_DATA=str(find_mnist_dir() or ""))
    return subprocess.run([sys.executable, str(REPO_ROOT / "bench" / script), *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every script's run, two at a time from the first test on (the machine's two cores)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield {script: pool.submit(run, script, args, tmp_path_factory.mktemp(script.removesuffix(".py")))
               for script, args, _ in QUICK if missing(script) is None}


@pytest.mark.parametrize("script,args,keys", QUICK, ids=[q[0] for q in QUICK])
def test_a_benchmark_runs_and_prints_its_json(script, args, keys, runs):
    if (why := missing(script)) is not None:
        pytest.skip(why)
    done = runs[script].result()
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)
    assert all(isinstance(figures.get(key), (int, float)) for key in keys), figures
    if script == "ui_latency.py":
        assert "ratio" in figures and (figures["ratio"] is None or figures["ratio"] > 0)
