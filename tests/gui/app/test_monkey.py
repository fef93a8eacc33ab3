"""The monkey test (issue 17, "Keep it that way"): thousands of seeded random events over the whole
window, training started and stopped, every tab, lab and dock visited; any exception fails it.

The default run starts each seed in a fresh process (test_monkey_seed_in_a_fresh_process), as a user
starts the app: in the process of the whole GUI suite the monkey also met other tests' half-deleted
widgets, which crashed Qt now and then. The in-process test itself is marked `monkey`:
    python -m pytest -q -m monkey tests/gui/app/test_monkey.py                        # every seed, here
    NNVIZ_MONKEY_SEED=1234 python -m pytest -q -m monkey tests/gui/app/test_monkey.py  # replay one seed
NNVIZ_MONKEY_EVENTS changes the number of events (default 2000).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QTabWidget

from nnviz.core.training import Split
from nnviz.gui import MainWindow
from tests.gui.app.monkey import Monkey, close_modals, patch_dialogs
from tests.helpers import REPO_ROOT, mnist, mnist_path  # noqa: F401 (fixtures)

SEEDS = [int(os.environ["NNVIZ_MONKEY_SEED"])] if os.environ.get("NNVIZ_MONKEY_SEED") else [1, 2, 3]
OFFSCREEN_NOISE = "This plugin does not support"  # the offscreen platform's notes (raise(), grabbing the keyboard)
EVENTS = int(os.environ.get("NNVIZ_MONKEY_EVENTS", "2000"))


@pytest.fixture
def private_dirs(tmp_path, monkeypatch):
    """Settings, home, user data and my digits all in tmp: the monkey saves and exports there."""
    for name, sub in (("NNVIZ_SETTINGS_DIR", "settings"), ("HOME", "home"), ("XDG_DATA_HOME", "data"),
                      ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"), ("NNVIZ_MY_DIGITS", "digits")):
        (tmp_path / sub).mkdir()
        monkeypatch.setenv(name, str(tmp_path / sub))
    files = tmp_path / "files"
    files.mkdir()
    return files


@pytest.fixture
def private_env(private_dirs):
    return dict(os.environ, QT_QPA_PLATFORM="offscreen")


@pytest.fixture(scope="module")
def small(mnist):  # noqa: F811
    """1,000 training and 500 test images: an epoch takes a moment, so runs start, end and restart."""
    return Split(mnist.x_train[:1000], mnist.y_train[:1000], mnist.x_test[:500], mnist.y_test[:500])


@pytest.mark.monkey
@pytest.mark.parametrize("seed", SEEDS)
def test_random_events_over_the_whole_window_raise_nothing(qtbot, capfd, monkeypatch, private_dirs, small, seed):
    print(f"monkey seed {seed} ({EVENTS} events); replay: NNVIZ_MONKEY_SEED={seed}")
    thread_errors = []
    monkeypatch.setattr(threading, "excepthook", thread_errors.append)
    win = MainWindow(data=small)
    qtbot.addWidget(win)
    monkey = Monkey(win, seed, private_dirs)
    running = []
    win.state.trainingChanged.connect(running.append)
    patch_dialogs(monkeypatch, private_dirs, monkey.rng)
    win.train_panel.epochs_spin.setValue(3)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    closer = QTimer(interval=100, timeout=close_modals)
    closer.start()
    try:
        with qtbot.capture_exceptions() as errors:
            for i in range(EVENTS):
                monkey.step(i)
                if errors or thread_errors:
                    break
                if i % 100 == 99:
                    err = capfd.readouterr().err
                    assert "Traceback" not in err, _failure(seed, monkey, err)
        assert not errors and not thread_errors, _failure(seed, monkey, errors or thread_errors)
        assert "Traceback" not in (err := capfd.readouterr().err), _failure(seed, monkey, err)
    finally:
        closer.stop()
        win.session.shutdown(5000)
        labs = win.findChild(QTabWidget, "labs")
        if labs is not None:
            labs.shutdown()
    if EVENTS >= 2000:  # every planned visit came round at least once
        assert monkey.visited == {name for name, _ in monkey.visits}
        assert True in running and False in running  # training really started and stopped


@pytest.fixture(scope="module")
def seed_runs(tmp_path_factory, mnist_path):  # noqa: F811
    """Every seed's pytest process, all started at once (the machine's cores run them side by side);
    seed -> (process, the file its events are traced to). Without MNIST this skips, as its siblings do."""
    runs = {}
    for seed in SEEDS:
        trace = tmp_path_factory.mktemp(f"monkey{seed}") / "events.txt"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NNVIZ_MONKEY_SEED=str(seed), NNVIZ_DATA=str(mnist_path),
                   NNVIZ_MONKEY_TRACE=str(trace), PYTHONFAULTHANDLER="1")
        runs[seed] = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "monkey",
                                       "tests/gui/app/test_monkey.py"], cwd=REPO_ROOT, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), trace
    yield runs
    for proc, _ in runs.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("seed", SEEDS)
def test_monkey_seed_in_a_fresh_process(seed, seed_runs):
    """Each seed's 2,000 events in their own pytest process (pytest-qt's exception capture there): its
    exit status and, on failure, its report with the seed and the last events."""
    proc, trace = seed_runs[seed]
    stdout, stderr = proc.communicate(timeout=900)
    events = trace.read_text().splitlines() if trace.exists() else []
    assert proc.returncode == 0 and "1 passed" in stdout, (
        f"monkey seed {seed} (exit {proc.returncode}); replay: NNVIZ_MONKEY_SEED={seed} python -m pytest -m monkey "
        f"tests/gui/app/test_monkey.py\nlast events: {events[-15:]}\n{stdout[-4000:]}\n{stderr[-3000:]}")
    assert len(events) >= EVENTS  # every event was sent


def _failure(seed: int, monkey: Monkey, what) -> str:
    last = "\n".join(monkey.log)
    return f"monkey seed {seed}: replay with NNVIZ_MONKEY_SEED={seed}\nlast events:\n{last}\n{what}"


def test_quitting_in_the_middle_of_a_monkey_run_while_training_exits_cleanly(private_dirs, private_env, mnist_path):  # noqa: F811
    """A real process: 300 monkey events, training started, File > Quit: exit status 0, nothing on stderr."""
    env = dict(private_env, NNVIZ_DATA=str(mnist_path))
    done = subprocess.run([sys.executable, "-m", "tests.gui.app.monkey", str(SEEDS[0]), "300", str(private_dirs)],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    stderr = [line for line in done.stderr.splitlines() if not line.startswith(OFFSCREEN_NOISE)]
    assert (done.returncode, stderr) == (0, []), f"seed {SEEDS[0]}: {done.stderr[-3000:]}"
