"""Helpers the dialog tests share: a second user's workspace, CSV files, finding open windows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QTableWidget, QWidget

from app.domain.csv_people import COLUMNS
from app.services import users, vault
from app.services.workspace import Workspace

TEMPORARY = "a temporary passphrase"


def second_user(ws: Workspace, role: str, username: str = "jsmith") -> Workspace:
    """Add a user with `role` (as the admin) and unlock as her; she has a temporary passphrase."""
    users.add_user(ws, username, "Jo Smith", role, TEMPORARY)
    return vault.unlock(ws.data_dir, username, TEMPORARY)


def person_line(prison_number: str, family_name: str = "Fictionson", **overrides: str) -> str:
    values = {
        "prison_number": prison_number,
        "family_name": family_name,
        "given_names": "Testa Maria",
        "date_of_birth": "1990-05-17",
        "nationality": "GB",
        "first_language": "en",
        "custody_status": "Sentenced",
        "reception_date": "2025-06-01 10:00",
        "release_date": "2027-02-03",
        "home_local_authority": "E09000033",
    }
    values.update(overrides)
    return ",".join(values[c] for c in COLUMNS)


def write_csv(path: Path, lines: list[str], header: str = ",".join(COLUMNS)) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def visible_top_level(object_name: str, parent: QWidget | None = None) -> QWidget | None:
    """The open window with this objectName (opened over `parent`, if given), as on screen."""
    for widget in QApplication.topLevelWidgets():
        if (
            widget.objectName() == object_name
            and widget.isVisible()
            and (parent is None or widget.parentWidget() is parent)
        ):
            return widget
    return None


def column(table: QTableWidget, index: int) -> list[str]:
    return [table.item(row, index).text() for row in range(table.rowCount())]


def row_of(table: QTableWidget, text: str, index: int = 0) -> int:
    for row in range(table.rowCount()):
        if table.item(row, index).text() == text:
            return row
    raise AssertionError(f"{text!r} is not in column {index}")
