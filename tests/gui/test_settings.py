"""A settings file is data, never code (issue 27.1), and never hangs the start (27.3): nnviz.conf may come
with a copied home folder, a lab image or a shared course setup."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nnviz.gui import settings

ROOT = Path(__file__).resolve().parents[2]
CRAFT = """
import sys
from PySide6.QtCore import QSettings
class Evil:  # what a crafted file holds: a pickle that runs code when it is loaded
    def __reduce__(self):
        return (open, (sys.argv[2], "w"))
s = QSettings(sys.argv[1], QSettings.Format.IniFormat)
for key in ("theme", "recentFiles", "tour/step"):
    s.setValue(key, Evil())
s.setValue("palette", "standard")
s.sync()
"""


def craft(ini: Path, marker: Path) -> None:
    """Write the crafted file in another process (this one's Qt would keep it in its cache)."""
    subprocess.run([sys.executable, "-c", CRAFT, str(ini), str(marker)], check=True, timeout=60,
                   env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert b"PyObjectWrapper" in ini.read_bytes() and not marker.exists()


def test_a_pickle_in_the_settings_is_removed_unread_and_the_window_starts(qtbot, tmp_path, monkeypatch, caplog):
    folder, marker = tmp_path / "settings", tmp_path / "PWNED"
    folder.mkdir()
    craft(folder / "nnviz.ini", marker)
    monkeypatch.setenv("NNVIZ_SETTINGS_DIR", str(folder))
    from nnviz.gui import MainWindow

    win = MainWindow()  # reads theme, recent files, the tour's step
    qtbot.addWidget(win)
    assert not marker.exists()  # the pickle never ran
    text = (folder / "nnviz.ini").read_bytes()
    assert b"PyObjectWrapper" not in text and b"palette=standard" in text  # the rest is kept
    assert settings.get_str("theme", "dark") == "dark" and settings.recent_files() == []
    assert any("pickled Python objects" in r.getMessage() for r in caplog.records)


def test_the_same_for_the_desktop_s_own_settings_file(tmp_path):
    """Without NNVIZ_SETTINGS_DIR: $XDG_CONFIG_HOME/nnviz/nnviz.conf, as a user's machine has it."""
    conf, marker = tmp_path / "config" / "nnviz" / "nnviz.conf", tmp_path / "PWNED"
    conf.parent.mkdir(parents=True)
    craft(conf, marker)
    env = {k: v for k, v in os.environ.items() if k != "NNVIZ_SETTINGS_DIR"}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path),
               PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-c", "from nnviz.gui import settings; "
                          "print(settings.native_file()); print(settings.get_str('theme', 'dark'))"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [str(conf), "dark"] and not marker.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_as_the_settings_file_does_not_hang_the_start(tmp_path):
    folder = tmp_path / "settings"
    folder.mkdir()
    os.mkfifo(folder / "nnviz.ini")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NNVIZ_SETTINGS_DIR=str(folder), PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-c", "from PySide6.QtWidgets import QApplication; app = QApplication([]); "
                          "from nnviz.gui import MainWindow; w = MainWindow(); w.show(); print('started')"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and "started" in run.stdout, run.stderr[-2000:]
    assert "not a regular file" in run.stderr  # said once, in the log
