"""The quick benchmarks still run and print their JSON (two had broken unnoticed after refactors: an
import from a moved module, a modal question waiting for ever). Figures are not judged here: speed
targets live in bench/, measured on a quiet machine (README, Benchmarks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import REPO_ROOT, find_mnist_dir

QUICK = [  # script, arguments, keys its JSON must have
    ("train_speed.py", ["--repeats", "1", "--no-torch"], ["nnviz_epoch_s", "floor_epoch_s", "ratio_floor",
                                                          "ratio_floor_1thread"]),
    ("render_speed.py", [], ["activations_ms", "weights_topk_ms", "hover_ms", "all_edges_s"]),
    ("draw_latency.py", [], ["median_ms", "p95_ms", "n_moves"]),
]


@pytest.mark.parametrize("script,args,keys", QUICK, ids=[q[0] for q in QUICK])
def test_a_quick_benchmark_runs_and_prints_its_json(script, args, keys, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NNVIZ_SETTINGS_DIR=str(tmp_path),
               NNVIZ_DATA=str(find_mnist_dir() or ""))
    done = subprocess.run([sys.executable, str(REPO_ROOT / "bench" / script), *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)
    assert all(isinstance(figures.get(key), (int, float)) for key in keys), figures
