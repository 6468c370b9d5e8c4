"""Adding, changing and opening person records on the real encrypted database."""

from __future__ import annotations

from datetime import date, time

import pytest

from app.domain.caseload import ReleaseWindow
from app.errors import NotFound, PermissionDenied, StaleRecord, ValidationFailed
from app.services import people, vault
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft
from tests.integration.conftest import audit_log


def test_add_then_read_back_every_field(workspace):
    draft = make_draft(
        aliases="Fi Testperson",
        interpreter_needed=True,
        release_time=time(9, 30),
        release_type="CRD_LICENCE",
        mappa_level="2",
        pom_name="P. Officer",
        notes="Line one\nLine two",
    )
    person_id = people.add_person(workspace, draft)
    record = people.get_person(workspace, person_id)
    assert record.version == 1
    assert record.draft == draft.normalised()
    assert record.draft.reception_at.tzinfo is not None


def test_the_draft_is_normalised_before_it_is_saved(workspace):
    person_id = people.add_person(
        workspace, make_draft(prison_number=" z1234 ab", family_name="  Two   Words ")
    )
    record = people.get_person(workspace, person_id)
    assert record.draft.prison_number == "Z1234AB"
    assert record.draft.family_name == "Two Words"
    assert people.find_id(workspace, "z1234ab") == person_id


def test_an_invalid_draft_is_refused_with_field_errors_and_nothing_saved(workspace):
    with pytest.raises(ValidationFailed) as refused:
        people.add_person(workspace, make_draft(prison_number="123", family_name=""))
    assert set(refused.value.errors) == {"prison_number", "family_name"}
    assert people.caseload(workspace) == []
    assert "person_created" not in [e.action for e in audit_log(workspace)]


def test_a_duplicate_prison_number_is_a_field_error(workspace):
    people.add_person(workspace, make_draft(prison_number="Z1234AB"))
    with pytest.raises(ValidationFailed) as refused:
        people.add_person(workspace, make_draft(prison_number="z1234ab", family_name="Other"))
    assert list(refused.value.errors) == ["prison_number"]
    assert "Z1234AB is already on the caseload" in refused.value.errors["prison_number"]


def test_update_saves_changes_and_bumps_the_version(workspace):
    person_id = people.add_person(workspace, make_draft())
    record = people.get_person(workspace, person_id)
    record.draft.family_name = "Renamed"
    record.draft.release_date = date(2027, 3, 1)
    new_version = people.update_person(workspace, person_id, record.draft, record.version)
    assert new_version == record.version + 1
    again = people.get_person(workspace, person_id)
    assert (again.version, again.draft.family_name) == (new_version, "Renamed")
    updated = [e for e in audit_log(workspace) if e.action == "person_updated"]
    assert updated[-1].detail == "fields=family_name,release_date"


def test_keeping_the_own_prison_number_on_update_is_not_a_duplicate(workspace):
    person_id = people.add_person(workspace, make_draft())
    record = people.get_person(workspace, person_id)
    record.draft.notes = "Just a note"
    people.update_person(workspace, person_id, record.draft, record.version)


def test_update_to_another_persons_prison_number_is_a_field_error(workspace):
    people.add_person(workspace, make_draft(prison_number="Z0001AA"))
    second = people.add_person(workspace, make_draft(prison_number="Z0002AB"))
    record = people.get_person(workspace, second)
    record.draft.prison_number = "Z0001AA"
    with pytest.raises(ValidationFailed) as refused:
        people.update_person(workspace, second, record.draft, record.version)
    assert "prison_number" in refused.value.errors


def test_saving_from_a_stale_version_is_refused_and_keeps_the_newer_save(workspace):
    person_id = people.add_person(workspace, make_draft())
    mine = people.get_person(workspace, person_id)
    theirs = people.get_person(workspace, person_id)
    theirs.draft.family_name = "Savedfirst"
    people.update_person(workspace, person_id, theirs.draft, theirs.version)

    mine.draft.family_name = "Savedsecond"
    with pytest.raises(StaleRecord, match="Someone else saved"):
        people.update_person(workspace, person_id, mine.draft, mine.version)
    assert people.get_person(workspace, person_id).draft.family_name == "Savedfirst"


def test_a_stale_save_from_another_session_is_refused(data_dir, workspace, open_as):
    person_id = people.add_person(workspace, make_draft())
    other = open_as(ADMIN, ADMIN_PASSPHRASE)
    mine = people.get_person(workspace, person_id)
    theirs = people.get_person(other, person_id)
    theirs.draft.given_names = "Other"
    people.update_person(other, person_id, theirs.draft, theirs.version)
    mine.draft.given_names = "Mine"
    with pytest.raises(StaleRecord):
        people.update_person(workspace, person_id, mine.draft, mine.version)


def test_a_missing_record_is_not_found(workspace):
    with pytest.raises(NotFound):
        people.get_person(workspace, 999)
    with pytest.raises(NotFound):
        people.update_person(workspace, 999, make_draft(), 1)


def test_opening_a_record_is_audited_as_person_viewed(workspace):
    person_id = people.add_person(workspace, make_draft())
    people.get_person(workspace, person_id)
    people.get_person(workspace, person_id)
    viewed = [e for e in audit_log(workspace) if e.action == "person_viewed"]
    assert len(viewed) == 2
    assert all(
        (e.username, e.record_type, e.record_id) == (ADMIN, "person", str(person_id))
        for e in viewed
    )


def test_the_caseload_lists_everyone_with_windows_and_is_audited(workspace):
    people.add_person(workspace, make_draft(prison_number="Z0001AA", family_name="Brown"))
    people.add_person(
        workspace,
        make_draft(prison_number="Z0002AB", family_name="Adams", release_date=date(2026, 3, 4)),
    )
    people.add_person(
        workspace, make_draft(prison_number="Z0003AC", family_name="Clarke", release_date=None)
    )
    rows = people.caseload(workspace, today=date(2026, 3, 2))
    assert [r.family_name for r in rows] == ["Adams", "Brown", "Clarke"]
    assert rows[0].windows == {
        ReleaseWindow.THIS_WEEK,
        ReleaseWindow.WITHIN_12_WEEKS,
        ReleaseWindow.WITHIN_24_WEEKS,
    }
    assert rows[2].windows == {ReleaseWindow.UNKNOWN}
    assert "z0002ab adams" in rows[0].search_key
    listed = [e for e in audit_log(workspace) if e.action == "caseload_listed"]
    assert listed[-1].detail == "rows=3"


def test_a_viewer_can_read_but_cannot_add_or_change(workspace, make_user):
    person_id = people.add_person(workspace, make_draft())
    viewer = make_user("reader", "viewer")
    record = people.get_person(viewer, person_id)
    assert len(people.caseload(viewer)) == 1
    with pytest.raises(PermissionDenied):
        people.add_person(viewer, make_draft(prison_number="Z9999ZZ"))
    record.draft.family_name = "Changed"
    with pytest.raises(PermissionDenied):
        people.update_person(viewer, person_id, record.draft, record.version)
    assert people.get_person(workspace, person_id).draft.family_name == "Testperson"


def test_saved_records_survive_locking(data_dir, workspace):
    person_id = people.add_person(workspace, make_draft())
    workspace.lock()
    again = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    try:
        assert people.get_person(again, person_id).draft.prison_number == "Z1234AB"
    finally:
        again.lock()


def test_history_lists_who_touched_this_record_newest_first(workspace, make_user):
    person_id = people.add_person(workspace, make_draft(prison_number="Z0001AA"))
    other_id = people.add_person(workspace, make_draft(prison_number="Z0002AB"))
    record = people.get_person(workspace, person_id)
    record.draft.notes = "Changed"
    people.update_person(workspace, person_id, record.draft, record.version)
    people.get_person(make_user("reader", "viewer"), person_id)
    people.get_person(workspace, other_id)

    history = people.history(workspace, person_id)
    assert [(h.username, h.action) for h in history] == [
        ("reader", "person_viewed"),
        (ADMIN, "person_updated"),
        (ADMIN, "person_viewed"),
        (ADMIN, "person_created"),
    ]
    assert history[1].detail == "fields=notes"
