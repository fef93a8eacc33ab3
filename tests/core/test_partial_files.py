"""Saves write a hidden partial file and rename it; what a killed save left is removed at the next save in
its folder, never a write another running process has in progress (issue 27.6)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest

from nnviz.core import files, modelio
from nnviz.core.network import Architecture, Network


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_save_s_partial_file_goes_at_the_next_save_and_a_running_one_stays(tmp_path):
    killed = tmp_path / f".model.npz.{dead_pid()}.abcdefgh.partial"
    killed.write_bytes(b"half a model")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        running = tmp_path / f".model.npz.{sleeper.pid}.ijklmnop.partial"
        running.write_bytes(b"being written")
        old = tmp_path / ".model.npz.qrstuvwx.tmp"  # what saves left before the pid was in the name
        old.write_bytes(b"old")
        os.utime(old, (time.time() - 2 * files.OLD_TMP_AGE_S,) * 2)
        recent_old = tmp_path / ".other.npz.yzABCDEF.tmp"
        recent_old.write_bytes(b"recent")
        net = Network(Architecture((784, 8, 10)), seed=0)
        modelio.save_model(net, tmp_path / "model.npz", {"note": "test"})
        left = sorted(p.name for p in tmp_path.iterdir())
        assert left == sorted(["model.npz", running.name, recent_old.name])
    finally:
        sleeper.kill()
        sleeper.wait()
    loaded, _ = modelio.load_model(tmp_path / "model.npz")
    np.testing.assert_array_equal(loaded.flat, net.flat)


def test_a_save_that_fails_leaves_no_partial_file(tmp_path, monkeypatch):
    def fail(*_args):
        raise OSError(28, "No space left on device")

    net = Network(Architecture((784, 8, 10)), seed=0)
    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="No space left"):
        modelio.save_model(net, tmp_path / "model.npz", {})
    assert list(tmp_path.iterdir()) == []
