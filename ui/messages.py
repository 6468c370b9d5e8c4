"""Telling the user what happened, in plain words, from any screen."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import UserError

log = logging.getLogger("resettle.ui")


def log_fault(exc: BaseException, where: str) -> None:
    """Record a fault by type and code location only: exception messages may quote personal
    data (a name in a constraint error, say), so they never reach the log."""
    frames = "\n".join(
        f"  {frame.filename}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(exc.__traceback__)
    )
    log.error("Unexpected %s %s:\n%s", type(exc).__name__, where, frames)


def plain_message(exc: BaseException) -> str:
    """What the user reads: a UserError as it is, anything else a safe generic sentence."""
    if isinstance(exc, UserError):
        return str(exc)
    log_fault(exc, "shown to the user")
    return (
        f"Something went wrong ({type(exc).__name__}). Nothing was saved half-way; "
        "try again, and tell your administrator if it happens again."
    )


def show_error(parent: QWidget, exc: Exception, title: str = "Resettle") -> QMessageBox:
    """UserErrors are shown as they are; anything else gets a safe, generic sentence.

    The box is opened window-modal without a nested event loop, so tests (and the idle lock)
    are never stuck behind it; it deletes itself when closed.
    """
    text = plain_message(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes
