"""Importing the caseload spreadsheet: preview, then all or nothing."""

from __future__ import annotations

import pytest

from app.errors import PermissionDenied, UserError
from app.services import import_people, people
from tests.conftest import make_draft
from tests.integration.conftest import audit_log

HEADER = (
    "prison_number,family_name,given_names,date_of_birth,nationality,first_language,"
    "custody_status,reception_date,release_date,home_local_authority"
)


def line(number: str, family: str = "Importperson", **changes: str) -> str:
    values = {
        "prison_number": number,
        "family_name": family,
        "given_names": "Fictiona",
        "date_of_birth": "1991-07-04",
        "nationality": "GB",
        "first_language": "English",
        "custody_status": "Sentenced",
        "reception_date": "2026-01-12 10:00",
        "release_date": "2026-12-01",
        "home_local_authority": "Westminster",
    }
    values.update(changes)
    return ",".join(values[c] for c in HEADER.split(","))


def csv_text(*lines: str) -> str:
    return "\n".join((HEADER, *lines)) + "\n"


def count(ws) -> int:
    return len(people.caseload(ws))


def test_a_clean_file_imports_everyone_in_one_audited_action(workspace):
    plan = import_people.preview(workspace, csv_text(line("Z2001AA"), line("z2002ab")))
    assert plan.ok
    assert [(n, d.prison_number) for n, d in plan.drafts] == [(2, "Z2001AA"), (3, "Z2002AB")]
    assert import_people.commit(workspace, plan) == 2
    person = people.get_person(workspace, people.find_id(workspace, "Z2002AB"))
    assert person.draft.home_local_authority == "E09000033"
    assert person.draft.custody_status == "SENTENCED"
    imported = [e for e in audit_log(workspace) if e.action == "people_imported"]
    assert len(imported) == 1 and imported[0].detail == "count=2"


def test_one_bad_line_imports_nothing_and_every_bad_line_is_reported(workspace):
    text = csv_text(
        line("Z2001AA"),
        line("Z2002AB", date_of_birth="2031-01-01"),
        line("Z2003AC"),
        line("Z20O4AD"),
        line("Z2005AE", release_date="2025-01-01"),
    )
    plan = import_people.preview(workspace, text)
    assert not plan.ok
    reasons: dict[int, str] = {}
    for problem in plan.problems:
        reasons[problem.line] = reasons.get(problem.line, "") + problem.message + " | "
    assert set(reasons) == {3, 5, 6}
    assert "date of birth is in the future" in reasons[3]
    assert "A1234BC" in reasons[5]
    assert "before the reception date" in reasons[6]
    assert [n for n, _ in plan.drafts] == [2, 4]

    with pytest.raises(UserError, match="Nothing was imported: 3 line"):
        import_people.commit(workspace, plan)
    assert count(workspace) == 0
    assert "people_imported" not in [e.action for e in audit_log(workspace)]


def test_duplicates_within_the_file_are_reported(workspace):
    plan = import_people.preview(
        workspace, csv_text(line("Z2001AA"), line("Z2002AB"), line("Z2001AA", "Otherperson"))
    )
    assert [(p.line, p.prison_number, p.message) for p in plan.problems] == [
        (4, "Z2001AA", "prison number repeats line 2")
    ]


def test_duplicates_against_the_caseload_are_reported(workspace):
    people.add_person(workspace, make_draft(prison_number="Z2002AB"))
    plan = import_people.preview(workspace, csv_text(line("Z2001AA"), line("Z2002AB")))
    assert [(p.line, p.prison_number, p.message) for p in plan.problems] == [
        (3, "Z2002AB", "prison number is already on the caseload")
    ]
    assert [n for n, _ in plan.drafts] == [2]
    with pytest.raises(UserError):
        import_people.commit(workspace, plan)
    assert count(workspace) == 1


def test_someone_adding_the_same_person_after_the_preview_stops_the_whole_import(workspace):
    plan = import_people.preview(workspace, csv_text(line("Z2001AA"), line("Z2002AB")))
    assert plan.ok
    people.add_person(workspace, make_draft(prison_number="Z2002AB"))
    with pytest.raises(UserError, match="Z2002AB was added meanwhile"):
        import_people.commit(workspace, plan)
    assert people.find_id(workspace, "Z2001AA") is None


def test_a_file_with_only_a_header_has_nothing_to_import(workspace):
    plan = import_people.preview(workspace, csv_text())
    assert not plan.ok and plan.problems == []
    with pytest.raises(UserError, match="no people"):
        import_people.commit(workspace, plan)


def test_a_windows_spreadsheet_in_cp1252_is_read(workspace, tmp_path):
    path = tmp_path / "caseload.csv"
    text = csv_text(line("Z2001AA", "Zoë-Ångström")).replace("\n", "\r\n")
    path.write_bytes(text.encode("cp1252"))
    plan = import_people.preview(workspace, import_people.read_text(path))
    assert plan.ok
    assert plan.drafts[0][1].family_name == "Zoë-Ångström"


def test_a_utf8_file_with_a_byte_order_mark_is_read(workspace, tmp_path):
    path = tmp_path / "caseload.csv"
    path.write_bytes(csv_text(line("Z2001AA", "Łukasiewicz")).encode("utf-8-sig"))
    plan = import_people.preview(workspace, import_people.read_text(path))
    assert plan.ok
    assert plan.drafts[0][1].family_name == "Łukasiewicz"


def test_a_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="Could not read nothing.csv"):
        import_people.read_text(tmp_path / "nothing.csv")


@pytest.mark.parametrize("role", ["viewer", "housing_specialist"])
def test_roles_without_the_import_permission_are_refused(make_user, role):
    ws = make_user("someone", role)
    with pytest.raises(PermissionDenied):
        import_people.preview(ws, csv_text(line("Z2001AA")))


def test_a_resettlement_worker_may_import(make_user):
    ws = make_user("rworker", "resettlement_worker")
    assert import_people.commit(ws, import_people.preview(ws, csv_text(line("Z2001AA")))) == 1
