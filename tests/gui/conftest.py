"""GUI fixtures: a demo-sized caseload in a real encrypted profile, and the real main window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from app.services import people
from app.services.workspace import Workspace
from tests.conftest import make_draft

TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture
def caseload(workspace: Workspace) -> Workspace:
    """Four fictional women spread over the release windows (relative to TODAY)."""
    rows = [
        ("Z1001AA", "Ashdown", "Amara", "SENTENCED", date(2026, 11, 20)),   # overdue
        ("Z1002AA", "Brackwell", "Beth", "SENTENCED", date(2026, 11, 27)),  # this week
        ("Z1003AA", "Corrin", "Carys", "RECALL", date(2026, 12, 2)),        # next week
        ("Z1004AA", "Dunmore", "Dana", "REMAND", None),                     # unknown
    ]
    for number, family, given, status, release in rows:
        people.add_person(workspace, make_draft(
            prison_number=number, family_name=family, given_names=given,
            custody_status=status, release_date=release,
        ))
    return workspace


@pytest.fixture
def main_window(qtbot, caseload: Workspace) -> Iterator[object]:
    from ui.main_window import MainWindow

    window = MainWindow(caseload, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    yield window
