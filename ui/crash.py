"""The last line of defence: an unexpected fault is logged without personal data and the user
is told in plain words. Committed data is safe because every change is one transaction."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication

from ui.messages import log_fault, show_error


def configure_logging(data_dir: Path) -> None:
    """A small rotating log in the profile folder: fault types and code locations only."""
    logs = data_dir / "logs"
    try:
        logs.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            logs / "resettle.log", maxBytes=512_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("resettle")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False


def install_excepthook() -> None:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        app = QApplication.instance()
        window = app.activeWindow() if isinstance(app, QApplication) else None
        if window is not None:
            show_error(window, exc)  # logs the fault, shows a generic sentence
        else:
            log_fault(exc, "not handled by any screen")

    sys.excepthook = hook
