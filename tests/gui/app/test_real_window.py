"""The real app on a real X server with no window manager (Xvfb), driven by xdotool as a user's keys.

Offscreen Qt hands focus to every window it shows; X without a window manager does not. There the
keyboard was lost twice: at launch (no window had the focus, so F5 and Ctrl+Q did nothing) and after
a dialog closed (answering Start's question left the focus on the closed dialog: Ctrl+Q then never
reached the window and the app trained on). Each case quits (Ctrl+Q, SIGINT, SIGTERM, or the window
destroyed by another X client) and must exit 0, silently.

Needs Xvfb and xdotool (Debian packages xvfb, xdotool; .ci/run installs them).
"""

from __future__ import annotations

import inspect
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import find_mnist_dir

ROOT = Path(__file__).resolve().parents[3]
MAIN = "nnviz: a neural network"  # the main window's title (after the file name)
QUESTION = "train a trained model"  # the title of Start's question (training/fine_tune.py)
UNSAVED = "save the model?"  # the title of the Save / Discard / Cancel question (gui/app/unsaved.py)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")) and not os.environ.get("CI"),
    reason="needs Xvfb and xdotool (Debian packages xvfb, xdotool)")]  # slow: .ci/run's pytest -m slow


def start_xvfb(size: str = "1366x768") -> tuple[subprocess.Popen, str]:
    """A fresh Xvfb with no window manager, on a display number it picks itself (-displayfd): (server, DISPLAY)."""
    read, write = os.pipe()
    # -noreset: by default Xvfb resets when its last client leaves, and a client connecting during the
    # reset is refused ("could not connect to display"): the app starting while xdotool's poll left.
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size}x24", "-nolisten", "tcp",
                               "-noreset"], pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()  # Xvfb writes its display number once it accepts clients
    return server, f":{number}"


@pytest.fixture
def x_display(request):
    """A fresh Xvfb (1366x768, or the test's `screen` parameter); its DISPLAY string."""
    server, display = start_xvfb(getattr(request, "param", "1366x768"))
    yield display
    server.terminate()
    server.wait(10)


class App:
    def __init__(self, display: str, tmp_path: Path, as_command: bool = False) -> None:
        self.env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path),
                        NNVIZ_SETTINGS_DIR=str(tmp_path / "settings"), NNVIZ_MY_DIGITS=str(tmp_path / "mine"),
                        NNVIZ_DATA=str(find_mnist_dir() or ""), PYTHONPATH=str(ROOT))
        # as_command: started as the installed `nnviz` command is (Qt names a hidden window after argv[0])
        argv = [sys.executable, "-c", "import sys; from nnviz.cli import main; sys.argv[0] = 'nnviz'; "
                "sys.exit(main([]))"] if as_command else [sys.executable, "main.py"]
        self.proc = subprocess.Popen(argv, cwd=ROOT, env=self.env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def xdotool(self, *args: str) -> str:
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=60).stdout

    def windows(self, name: str) -> list[str]:
        return self.xdotool("search", "--onlyvisible", "--name", name).split()

    def wait_until(self, what: str, condition, timeout: float = 60) -> None:
        """Polls X (not a sleep for the app: the condition is the app's visible state)."""
        end = time.monotonic() + timeout
        while not condition():
            assert self.proc.poll() is None, f"the app exited while waiting for {what}: {self.finish()}"
            assert time.monotonic() < end, f"timed out waiting for {what}"
            time.sleep(0.1)

    def key(self, key: str) -> None:
        self.xdotool("key", key)

    def finish_discarding(self, timeout: float = 60) -> tuple[int | None, str]:
        """finish(), answering "Discard" (Alt+D) if the app offers to save its modified model first."""
        end = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < end:
            asked = self.windows(UNSAVED)
            if asked:
                self.xdotool("key", "--window", asked[0], "alt+d")
                self.wait_until("the question to close",
                                lambda: not self.windows(UNSAVED) or self.proc.poll() is not None)
            time.sleep(0.1)
        return self.finish(max(1.0, end - time.monotonic()))

    def finish(self, timeout: float = 60) -> tuple[int | None, str]:
        try:
            _, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
            return None, err
        noise = "This plugin does not support propagateSizeHints()"
        return self.proc.returncode, "\n".join(line for line in err.splitlines() if line.strip() != noise)


def launched(display: str, tmp_path: Path, as_command: bool = False) -> App:
    app = App(display, tmp_path, as_command)
    app.wait_until("the main window to have the keyboard",
                   lambda: (wins := app.windows(MAIN)) and app.xdotool("getwindowfocus").strip() in wins)
    return app


def ask(app: App, how: str) -> None:
    """Ask the app to quit as a user or the system does: Ctrl+Q, Ctrl+C in its terminal (SIGINT), log-out
    or kill (SIGTERM), its terminal closed (SIGHUP), or another X client destroying its window (xdotool
    windowclose)."""
    if how == "ctrl+q":
        app.key("ctrl+q")
    elif how == "windowclose":
        app.xdotool("windowclose", app.windows(MAIN)[0])
    else:
        app.proc.send_signal(getattr(signal, how))


@pytest.mark.parametrize("how", ["ctrl+q", "SIGINT", "SIGTERM", "windowclose"])
@pytest.mark.parametrize("when", ["launched", "question open"])
def test_quitting_before_training_exits_cleanly(x_display, tmp_path, when, how):
    app = launched(x_display, tmp_path)
    if when == "question open":
        app.key("F5")
        app.wait_until("Start's question", lambda: app.windows(QUESTION))
    ask(app, how)
    assert app.finish() == (0, "")


@pytest.mark.parametrize("how", ["ctrl+q", "SIGINT", "SIGTERM", "SIGHUP", "windowclose"])
def test_quitting_while_training_after_the_question_was_answered_exits_cleanly(x_display, tmp_path, how):
    """Ctrl+Q: the closed question kept the keyboard (no window manager). SIGINT ended in a segmentation
    fault (KeyboardInterrupt inside a Qt slot), SIGTERM in status 143, SIGHUP in 129, windowclose in a
    window-less app that never exited."""
    app = launched(x_display, tmp_path)
    app.key("F5")
    app.wait_until("Start's question", lambda: app.windows(QUESTION))
    app.key("Return")  # fine-tune: training starts
    app.wait_until("the question to close", lambda: not app.windows(QUESTION))
    main = app.windows(MAIN)
    app.wait_until("the first batch (the title's * for modified weights)",
                   lambda: app.xdotool("getwindowname", main[0]).startswith("mnist-784-300-100-10.npz*"))
    app.wait_until("the keyboard back on the window", lambda: app.xdotool("getwindowfocus").strip() in main)
    ask(app, how)
    if how == "ctrl+q":  # a person quits: the trained weights are offered for saving first (Discard here)
        app.wait_until("the save question", lambda: app.windows(UNSAVED))
        assert app.finish_discarding() == (0, "")
    else:  # a signal or a destroyed window quits at once, without a question
        assert app.finish() == (0, "")


def test_quitting_after_training_asks_and_cancel_keeps_the_app_running(x_display, tmp_path):
    app = launched(x_display, tmp_path)
    app.key("F5")
    app.wait_until("Start's question", lambda: app.windows(QUESTION))
    app.key("Return")
    app.wait_until("the question to close", lambda: not app.windows(QUESTION))
    main = app.windows(MAIN)
    app.wait_until("the first batch",
                   lambda: app.xdotool("getwindowname", main[0]).startswith("mnist-784-300-100-10.npz*"))
    app.wait_until("the keyboard back on the window", lambda: app.xdotool("getwindowfocus").strip() in main)
    app.key("ctrl+q")
    app.wait_until("the save question", lambda: app.windows(UNSAVED))
    app.xdotool("key", "--window", app.windows(UNSAVED)[0], "Escape")  # Cancel
    app.wait_until("the question to close", lambda: not app.windows(UNSAVED))
    assert app.proc.poll() is None and app.windows(MAIN)  # still there, still training
    app.wait_until("the keyboard back on the window", lambda: app.xdotool("getwindowfocus").strip() in main)
    app.key("ctrl+q")
    assert app.finish_discarding() == (0, "")


@pytest.mark.parametrize("how", ["windowclose", "ctrl+q to it"])
def test_the_app_s_visible_window_found_by_its_pid_quits_it_while_training(x_display, tmp_path, how):
    """How a script finds the app's window: visible, by the process's pid (Qt's hidden helper windows,
    its client leader and clipboard owner, carry the app's name too, so a search by name alone can find
    them first). Closing it, or sending it Ctrl+Q, while training runs quits with exit status 0."""
    app = launched(x_display, tmp_path, as_command=True)
    app.key("F5")
    app.wait_until("Start's question", lambda: app.windows(QUESTION))
    app.key("Return")
    app.wait_until("the question to close", lambda: not app.windows(QUESTION))
    mine = app.xdotool("search", "--onlyvisible", "--pid", str(app.proc.pid)).split()
    assert mine == app.windows(MAIN)
    if how == "windowclose":
        app.xdotool("windowclose", mine[0])
    else:
        app.xdotool("key", "--window", mine[0], "ctrl+q")
    assert app.finish_discarding() == (0, "")


def test_the_lecture_tour_fits_a_projector_at_every_step(tmp_path):
    """Every step at 1366x768 (a common projector) and 1920x1080, with and without presenter mode: the step's
    highlighted control whole on screen, no scroll bar in its view, the network scene whole in its area, and
    after Esc the panels from before (tests/gui/tour/tour_walk.py). Before: the labs scrolled sideways, the
    scene ran past its area, presenter mode's step 19 hid the outputs and Esc left Draw and Training closed.
    The two screens are walked at once, each app on its own Xvfb (they use both cores)."""
    servers, walks = [], {}
    try:
        for size in ("1366x768", "1920x1080"):
            server, display = start_xvfb(size)
            servers.append(server)
            home = tmp_path / size
            env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(home),
                       NNVIZ_SETTINGS_DIR=str(home / "settings"), NNVIZ_MY_DIGITS=str(home / "mine"),
                       NNVIZ_DATA=str(find_mnist_dir() or ""), PYTHONPATH=str(ROOT))
            walks[size] = subprocess.Popen([sys.executable, "-m", "tests.gui.tour.tour_walk"], cwd=ROOT, env=env,
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for size, walk in walks.items():
            out, err = walk.communicate(timeout=300)
            assert walk.returncode == 0, f"{size}: {out}{err[-2000:]}"
            assert out.count("all fit") == 2 and "presenter" in out, f"{size}: {out}"  # both walks, both fit
    finally:
        for walk in walks.values():
            if walk.poll() is None:
                walk.kill()
        for server in servers:
            server.terminate()
            server.wait(10)


def test_every_real_x_test_starts_its_own_server():
    """No test reaches for an X server it did not start: one once used :0 and failed when another X server
    ran there (the suite's environment has no DISPLAY: tests/conftest.py)."""
    tests = [f for name, f in globals().items() if name.startswith("test_") and callable(f)
             and name not in ("test_every_real_x_test_starts_its_own_server",
                              "test_the_lecture_tour_fits_a_projector_at_every_step")]
    assert tests and all("x_display" in inspect.signature(f).parameters for f in tests)
    walk = inspect.getsource(test_the_lecture_tour_fits_a_projector_at_every_step)
    assert "DISPLAY" not in os.environ and "start_xvfb" in walk
