"""The registry of everything running (jobs and training runs); stop_all() stops and joins it all."""

from __future__ import annotations

import atexit
import weakref

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QThreadPool, Signal


def describe(exc: BaseException) -> str:
    """One line for the GUI: `TypeName: message`."""
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:300]


def deadline(timeout_ms: int | None) -> QDeadlineTimer:
    return QDeadlineTimer(QDeadlineTimer.ForeverConstant.Forever) if timeout_ms is None \
        else QDeadlineTimer(max(0, int(timeout_ms)))


class Registry(QObject):
    """Knows every live job and run; `stop_all()` cancels, stops and joins them."""

    failed = Signal(str)  # a job's exception that no on_error took

    def __init__(self) -> None:
        super().__init__()
        self.pool = QThreadPool()  # the app's own pool: stop_all waits for these jobs only
        self._items: set = set()  # jobs and runs not over yet
        self._hooked = False

    def add(self, item) -> None:
        """item: a job or a run (it has name, stop() and join(timeout_ms) -> bool)."""
        self._items.add(item)
        app = QCoreApplication.instance()
        if not self._hooked and app is not None:  # a safety net: quitting always joins
            app.aboutToQuit.connect(self.stop_all)
            self._hooked = True

    def forget(self, item) -> None:
        self._items.discard(item)

    def running(self) -> list[str]:
        """The names of everything not yet over (runs and jobs)."""
        return sorted(item.name for item in self._items)

    def stop_all(self, timeout_ms: int | None = None) -> bool:
        """Cancel every job, stop every run, and join them all. True when everything has ended."""
        items = list(self._items)
        for item in items:
            item.stop()  # a job is cancelled: whatever it queued is never delivered
        ok = all([item.join(timeout_ms) for item in items])
        return self.pool.waitForDone(-1 if timeout_ms is None else int(timeout_ms)) and ok


_REGISTRY: Registry | None = None


def registry() -> Registry:
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = Registry()
        atexit.register(_REGISTRY.stop_all, 10_000)  # a script that never ran the event loop: still join
    return _REGISTRY


def stop_all(timeout_ms: int | None = None) -> bool:
    """Stop and join every job and run of the app (the window calls this when it closes)."""
    return registry().stop_all(timeout_ms)


def link_to_owner(item, owner: QObject | None, method: str):
    """When owner is destroyed, call item.<method>() (item weakly held). Returns what unlink takes."""
    if owner is None:
        return None
    ref = weakref.ref(item)
    return weakref.ref(owner), owner.destroyed.connect(lambda *_: ref() and getattr(ref(), method)())


def unlink(link) -> None:
    if link is not None and link[0]() is not None:
        try:
            QObject.disconnect(link[1])
        except (RuntimeError, TypeError):  # the owner is being destroyed
            pass
