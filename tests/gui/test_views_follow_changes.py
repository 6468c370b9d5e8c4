"""Every view shows what is saved: a change made anywhere refreshes the views that show it,
without F5, and without re-auditing a look at her record."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.domain.caseload import ReleaseWindow
from app.services import people, planning, release_day, vault
from app.store.models import AuditEntry
from tests.conftest import ADMIN, ADMIN_PASSPHRASE


def open_record(qtbot, window, prison_number: str) -> int:
    person_id = people.find_id(window.ws, prison_number)
    assert person_id is not None
    window.open_person(person_id)
    qtbot.waitUntil(lambda: window.person.person_id == person_id)
    return person_id


def views_of(window, ws) -> int:
    with ws.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "person_viewed"))


def test_an_outcome_recorded_updates_her_row_and_header_at_once(qtbot, main_window):
    window = main_window
    person_id = open_record(qtbot, window, "Z1001AA")
    row = window.caseload.model.row_of(person_id)
    assert row is not None
    assert ReleaseWindow.OVERDUE in window.caseload.model.row_at(row).windows
    looks = views_of(window, window.ws)
    release_day.record_outcome(window.ws, person_id, released_on=date(2026, 11, 20),
                               accommodation_code="A01C", address="1 Fictional Road")
    row = window.caseload.model.row_of(person_id)
    assert row is not None and not window.caseload.model.row_at(row).windows
    assert "Released" in window.person.subtitle.text()
    assert "Release date passed" not in window.person.subtitle.text()
    assert views_of(window, window.ws) == looks  # a refresh is not a new look


def test_a_plan_opened_elsewhere_shows_on_her_plan_tab(qtbot, main_window):
    window = main_window
    person_id = open_record(qtbot, window, "Z1002AA")
    window.person.show_tab("Plan")
    qtbot.waitUntil(lambda: window.plan.start_button.isVisible())
    planning.start_plan(window.ws, person_id)  # as the board or the command line would
    qtbot.waitUntil(lambda: window.plan.steps_box.isVisible())
    assert not window.plan.start_button.isVisible()
    assert "Started" in window.plan.status.text()


def test_a_hidden_tab_catches_up_when_shown(qtbot, main_window):
    window = main_window
    person_id = open_record(qtbot, window, "Z1003AA")
    window.person.show_tab("Details")
    planning.start_plan(window.ws, person_id)
    window.person.show_tab("Plan")
    qtbot.waitUntil(lambda: window.plan.steps_box.isVisible())


def test_another_process_s_change_shows_when_the_window_is_activated(
        qtbot, main_window, data_dir):
    window = main_window
    person_id = open_record(qtbot, window, "Z1004AA")
    other = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)  # as the command line would
    try:
        record = people.get_person(other, person_id)
        changed = record.draft.__class__(**{**record.draft.__dict__,
                                            "family_name": "Dunmore-Renamed"})
        people.update_person(other, person_id, changed, record.version)
    finally:
        other.lock()
    assert "DUNMORE-RENAMED" not in window.person.title.text()  # not seen yet
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.ws.check_external_changes()  # what activation does (offscreen may not deliver it)
    qtbot.waitUntil(lambda: "DUNMORE-RENAMED" in window.person.title.text())
    row = window.caseload.model.row_of(person_id)
    assert row is not None
    assert window.caseload.model.row_at(row).family_name == "Dunmore-Renamed"
