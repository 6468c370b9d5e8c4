"""Blocking calls on the thread pool, with their results handed back to the GUI thread.

Kept free of the database stack so the unlock window can use it before that stack has loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class Job(QRunnable):
    def __init__(self, call: Callable[[], Any]) -> None:
        super().__init__()
        self.call = call
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.call()
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread to show
            self._tell(self.signals.failed, exc)
        else:
            self._tell(self.signals.done, result)

    @staticmethod
    def _tell(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            pass  # the application is quitting and the receiver is gone: nobody to tell


def run_in_thread(call: Callable[[], Any], on_done: Callable[[Any], None],
                  on_failed: Callable[[Exception], None]) -> Job:
    """Run `call` on the thread pool; `on_done(result)` or `on_failed(exc)` run on the GUI
    thread (the signals are queued across threads). Keep the returned job referenced."""
    job = Job(call)
    job.signals.done.connect(on_done)
    job.signals.failed.connect(on_failed)
    QThreadPool.globalInstance().start(job)
    return job
