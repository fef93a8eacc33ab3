"""`nnviz doctor`: what is installed, whether Qt can open a window here (and which Debian/Ubuntu
packages are missing when it cannot), where MNIST is and whether its checksums hold, and the shipped
model's accuracy card. run() prints the report and returns 0 when all is well, 1 otherwise.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

# shared library -> the Debian/Ubuntu package that provides it (Qt's xcb and offscreen plugins)
LIB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-shape.so.0": "libxcb-shape0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0", "libxkbcommon.so.0": "libxkbcommon0",
    "libGL.so.1": "libgl1", "libEGL.so.1": "libegl1", "libfontconfig.so.1": "libfontconfig1",
    "libglib-2.0.so.0": "libglib2.0-0", "libdbus-1.so.3": "libdbus-1-3", "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1", "libxcb-randr.so.0": "libxcb-randr0", "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1", "libxcb-xkb.so.1": "libxcb-xkb1", "libfreetype.so.6": "libfreetype6",
    "libwayland-cursor.so.0": "libwayland-cursor0", "libwayland-client.so.0": "libwayland-client0",
}
PROBE = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication(sys.argv[:1]); "
         "print(app.platformName())")


def _line(label: str, value: str) -> None:
    print(f"  {label:<28} {value}")


def versions() -> None:
    import numpy
    import pyqtgraph
    import PySide6
    from PySide6 import QtCore

    from nnviz import __version__

    print("Versions")
    _line("nnviz", __version__)
    _line("Python", f"{platform.python_version()} ({sys.executable})")
    _line("numpy", numpy.__version__)
    _line("PySide6 / Qt", f"{PySide6.__version__} / {QtCore.qVersion()}")
    if PySide6.__version__.startswith("6.12.0"):
        _line("", "WARNING: PySide6 6.12.0 crashes after a few hundred signals (bool_dealloc); use 6.11")
    _line("pyqtgraph", pyqtgraph.__version__)
    _line("model formats", formats())
    _line("platform", f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} CPUs")
    _line("BLAS", blas())


def blas() -> str:
    """The BLAS libraries NumPy loaded and their threads (the window limits them to one)."""
    from threadpoolctl import threadpool_info

    libs = [f"{i.get('internal_api')} {i.get('version') or ''}, {i.get('num_threads')} threads".replace(" ,", ",")
            for i in threadpool_info() if i.get("user_api") == "blas"]
    return "; ".join(libs) + " (the window uses 1)" if libs else "none found"


def formats() -> str:
    """Which optional model-format packages are installed (not a failure when they are not)."""
    from importlib import metadata

    found = []
    for package, suffix in (("safetensors", ".safetensors"), ("onnx", ".onnx")):
        try:
            found.append(f"{suffix} ({package} {metadata.version(package)})")
        except metadata.PackageNotFoundError:
            found.append(f"{suffix} needs pip install 'nnviz[formats]'")
    return ".npz, " + ", ".join(found)


def missing_libraries(plugin: Path) -> list[str]:
    """Shared libraries a Qt platform plugin needs but the system lacks (via ldd; Linux only)."""
    try:
        out = subprocess.run(["ldd", str(plugin)], check=False, capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.split()[0] for line in out.splitlines() if "not found" in line]


def qt_platform() -> bool:
    """Try to start a QApplication in a child process (a failing plugin aborts the process)."""
    from PySide6 import QtCore

    print("Qt platform")
    wanted = os.environ.get("QT_QPA_PLATFORM") or ("xcb" if sys.platform.startswith("linux") else "default")
    try:
        probe = subprocess.run([sys.executable, "-c", PROBE], check=False, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        _line("status", f"starting Qt ({wanted}) timed out")
        return False
    if probe.returncode == 0:
        _line("plugin", f"{probe.stdout.strip()} loads")
        return True
    _line("plugin", f"{wanted} does NOT load")
    reason = [ln for ln in probe.stderr.splitlines() if ln.strip()][-3:]
    for ln in reason:
        _line("", ln.strip()[:160])
    plugins = Path(QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    names = {f"libq{wanted}.so", "libqxcb.so", "libqoffscreen.so"}
    libs = sorted({lib for name in names if (plugins / name).is_file() for lib in missing_libraries(plugins / name)})
    if libs:
        packages = sorted({LIB_PACKAGES.get(lib, "?") for lib in libs} - {"?"})
        _line("missing libraries", ", ".join(libs))
        if packages:
            _line("install (Debian/Ubuntu)", "sudo apt-get install " + " ".join(packages))
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        _line("no display", "set DISPLAY (or run under Xvfb), or QT_QPA_PLATFORM=offscreen for tests")
    if wanted != "offscreen":
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        off = subprocess.run([sys.executable, "-c", PROBE], check=False, capture_output=True, text=True,
                             timeout=60, env=env)
        _line("offscreen", "loads (tests and benchmarks can run)" if off.returncode == 0 else "does NOT load either")
    return False


def mnist() -> bool:
    from nnviz.core.data import mnist as m

    print("MNIST")
    folder = m.find_mnist()
    if folder is None:
        _line("status", "not found; the app downloads it (11 MB) on the first training")
        _line("searched", ", ".join(str(d) for d in m.candidate_dirs()))
        return True
    _line("folder", str(folder))
    checks = m.verify(folder)
    for name, ok in checks.items():
        _line(name, "checksum OK" if ok else "CHECKSUM MISMATCH: delete it to download it again")
    return all(checks.values())


def model() -> bool:
    from nnviz.core import modelio

    print("Shipped model")
    path = modelio.SHIPPED_MODEL
    if not path.is_file():
        _line("status", f"missing: {path}")
        return False
    try:
        net, card = modelio.load_model(path)
    except modelio.ModelError as exc:
        _line("status", f"cannot load: {exc}")
        return False
    _line("file", str(path))
    _line("architecture", net.arch.describe() + f", {net.arch.n_params:,} parameters")
    for key in sorted(card):
        if "acc" in key or key in ("epochs", "trained", "data", "preprocess", "created"):
            _line(key, str(card[key])[:100])
    return True


def run() -> int:
    """Print the report; 0 when Qt, MNIST (if present) and the shipped model are all fine."""
    versions()
    ok = qt_platform()
    ok = mnist() and ok
    ok = model() and ok
    print("All good." if ok else "Some checks failed (see above).")
    return 0 if ok else 1
