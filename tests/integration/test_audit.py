"""The audit log: who did what to which record and when, never the personal data itself."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.timezone import now_utc
from app.errors import PermissionDenied, StaleRecord
from app.services import audit, backup, demo, import_people, people, settings, users, vault
from app.services.audit import ACTIONS
from tests.conftest import ADMIN, make_draft
from tests.integration.conftest import TEMPORARY, audit_log

FAMILY_NAMES = ("Zyxwvutaudit", "Qoppaperson", "Importaudit")
GIVEN_NAMES = ("Fictionaudit", "Importgiven")


def busy_day(ws, tmp_path) -> int:
    """A day's work that touches personal data in every way the services allow."""
    person_id = people.add_person(
        ws,
        make_draft(
            prison_number="Z3001AA",
            family_name=FAMILY_NAMES[0],
            given_names=GIVEN_NAMES[0],
            notes="Sensitive note text",
        ),
    )
    record = people.get_person(ws, person_id)
    record.draft.family_name = FAMILY_NAMES[1]
    record.draft.date_of_birth = date(1979, 11, 23)
    people.update_person(ws, person_id, record.draft, record.version)
    people.caseload(ws)
    csv_text = (
        "prison_number,family_name,given_names,date_of_birth,nationality,first_language,"
        "custody_status,reception_date\n"
        f"Z3002AB,{FAMILY_NAMES[2]},{GIVEN_NAMES[1]},1992-02-02,GB,en,REMAND,2026-02-02\n"
    )
    import_people.commit(ws, import_people.preview(ws, csv_text))
    users.add_user(ws, "jsmith", "Jo Smith", "pom", TEMPORARY)
    settings.set_idle_lock_minutes(ws, 15)
    backup.create_backup(ws, tmp_path / "backup.zip")
    return person_id


def test_audit_entries_never_contain_personal_data(workspace, tmp_path):
    busy_day(workspace, tmp_path)
    log = audit_log(workspace)
    assert len(log) >= 9
    forbidden = [
        *FAMILY_NAMES,
        *GIVEN_NAMES,
        "Z3001AA",
        "Z3002AB",
        "1979",
        "1990-05-17",
        "Sensitive",
        "Jo Smith",
    ]
    for entry in log:
        for field in (entry.detail, entry.record_id, entry.record_type, entry.action):
            for text in forbidden:
                assert text.casefold() not in field.casefold(), (entry.action, field)


def test_every_action_written_is_a_known_action(workspace, tmp_path):
    busy_day(workspace, tmp_path)
    written = {e.action for e in audit_log(workspace)}
    assert written <= set(ACTIONS), written - set(ACTIONS)


def test_a_demo_profile_writes_only_known_actions(tmp_path):
    demo.make_demo(tmp_path / "demo", 5, seed=2)
    ws = vault.unlock(tmp_path / "demo", demo.DEMO_USER, demo.DEMO_PASSPHRASE)
    try:
        written = {e.action for e in audit_log(ws)}
    finally:
        ws.lock()
    assert "demo_created" in written
    assert written <= set(ACTIONS), written - set(ACTIONS)


def test_each_service_call_leaves_its_entry(workspace, tmp_path):
    person_id = busy_day(workspace, tmp_path)
    log = audit_log(workspace)
    by_action = {e.action: e for e in log}
    assert [e.action for e in log][:2] == ["initialise", "unlock"]
    assert by_action["person_created"].record_id == str(person_id)
    assert by_action["person_updated"].detail == "fields=family_name,date_of_birth"
    assert by_action["people_imported"].detail == "count=1"
    assert by_action["user_created"].detail == "role=pom"
    assert by_action["setting_changed"].detail == "idle_lock_minutes=15"
    assert by_action["backup_created"].detail.startswith("schema=")
    assert all(e.username == ADMIN and e.user_id == workspace.user.id for e in log)
    times = [e.at for e in log]
    assert times == sorted(times)
    assert all(e.at.tzinfo is not None for e in log)


def test_reading_the_log_is_itself_audited_and_filters_work(workspace):
    people.add_person(workspace, make_draft())
    rows = audit.entries(workspace)
    assert [r.action for r in rows][:3] == ["person_created", "unlock", "initialise"]
    assert audit.entries(workspace, action="audit_viewed")[0].username == ADMIN
    assert {r.action for r in audit.entries(workspace, action="unlock")} == {"unlock"}
    assert audit.entries(workspace, username="nobody") == []
    assert len(audit.entries(workspace, limit=2)) == 2
    future = now_utc() + timedelta(days=1)
    assert audit.entries(workspace, since=future) == []
    assert len(audit.entries(workspace, until=future)) >= 3


def test_a_failed_action_leaves_no_entry(workspace):
    person_id = people.add_person(workspace, make_draft())
    record = people.get_person(workspace, person_id)
    people.update_person(workspace, person_id, record.draft, record.version)
    before = len(audit_log(workspace))
    with pytest.raises(StaleRecord):
        people.update_person(workspace, person_id, record.draft, record.version)
    assert len(audit_log(workspace)) == before


def test_lock_can_be_recorded(workspace):
    audit.record(workspace, "lock", "user", workspace.user.id)
    assert audit_log(workspace)[-1].action == "lock"


def test_only_administrators_read_the_log(make_user):
    worker = make_user("jsmith", "resettlement_worker")
    with pytest.raises(PermissionDenied):
        audit.entries(worker)


def test_the_viewer_filter_offers_every_action_in_the_log(workspace):
    from app.services import audit as audit_service

    people.add_person(workspace, make_draft(prison_number="Z8080AA"))
    actions = audit_service.actions_in_log(workspace)
    assert "person_created" in actions and "unlock" in actions
    assert actions == sorted(actions)
