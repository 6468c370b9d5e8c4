"""Telling the user what happened, in plain words, from any screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import UserError


def show_error(parent: QWidget, exc: Exception, title: str = "Resettle") -> QMessageBox:
    """UserErrors are shown as they are; anything else gets a safe, generic sentence.

    The box is opened window-modal without a nested event loop, so tests (and the idle lock)
    are never stuck behind it; it deletes itself when closed.
    """
    if isinstance(exc, UserError):
        text = str(exc)
    else:
        text = (
            f"Something went wrong ({type(exc).__name__}). Nothing was saved half-way; "
            "try again, and tell your administrator if it happens again."
        )
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes
