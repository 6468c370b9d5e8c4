"""Sheets from a real encrypted record: personalised, recorded in her history, the directory
kept by administrators, and the command line as a script uses it."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import date, time

import pytest

from app.cli import main
from app.domain.directory import PRELISTED, DirectoryEntry
from app.errors import PermissionDenied, UserError, ValidationFailed
from app.services import people, release_day, sheets
from app.services.audit import entries
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft


def _pdf_text(path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())  # fmt: skip


@pytest.fixture
def woman(workspace):
    """A fictional Romanian woman released on a Friday, with her checklist partly done."""
    pid = people.add_person(workspace, make_draft(
        prison_number="Z4321CD", given_names="Ioana", family_name="Fictivescu",
        nationality="RO", first_language="ro", release_date=date(2027, 2, 5),
        release_time=time(9, 0), home_local_authority="E09000012"))  # fmt: skip
    view = release_day.checklist_for(workspace, pid)
    items = {i.code: i for i in view.items}
    release_day.set_item(workspace, items["SLEEP_TONIGHT"].id, state="DONE",
                         details="Fictional Lodge, 1 Nowhere Street, London E8 0ZZ")  # fmt: skip
    release_day.set_item(workspace, items["TRANSPORT"].id, state="OPEN",
                         details="Not yet booked: do not print")  # fmt: skip
    return pid


def test_her_sheet_person_has_only_what_a_sheet_may_say(workspace, woman):
    person = sheets.sheet_person(workspace, woman)
    assert person.name == "Ioana Fictivescu"
    assert person.council == "Hackney"
    assert person.release_date == date(2027, 2, 5)
    assert "WEEKEND" in person.warnings  # a Friday release
    assert person.arrangements == (("SLEEP_TONIGHT",
                                    "Fictional Lodge, 1 Nowhere Street, London E8 0ZZ"),)
    assert sheets.her_language(workspace, woman).code == "ro"


def test_saving_a_pdf_personalises_it_and_records_what_she_was_given(workspace, woman,
                                                                      tmp_path):  # fmt: skip
    out = tmp_path / "sheets.pdf"
    sheets.save_pdf(workspace, woman, ["release-day", "housing-before-release"], "ro", True, out)
    text = _pdf_text(out)
    assert "Ioana Fictivescu" in text and "Z4321CD" in text
    assert "Fictional Lodge, 1 Nowhere Street" in text
    assert "Not yet booked" not in text  # an open item is not an arrangement
    assert "5 februarie 2027" in text  # Babel's Romanian date
    assert "Hackney" in text
    given = sheets.sheets_given(workspace, woman)
    assert [(g.sheet_id, g.language, g.bilingual, g.method, g.review_status) for g in given] == [
        ("release-day", "Romanian", True, "Saved as PDF", "draft"),
        ("housing-before-release", "Romanian", True, "Saved as PDF", "draft"),
    ] or {g.sheet_id for g in given} == {"release-day", "housing-before-release"}
    assert all(g.given_by == ADMIN for g in given)
    history = people.history(workspace, woman)
    assert history[0].action == "information_sheets_given"
    assert "in Romanian with English" in history[0].detail
    assert "Ioana" not in history[0].detail


def test_preview_is_rendered_in_memory_and_not_recorded(workspace, woman, tmp_path):
    data = sheets.render_for(workspace, woman, ["money-id-benefits"], "ro")
    assert data.startswith(b"%PDF")
    assert sheets.sheets_given(workspace, woman) == []
    assert list(tmp_path.iterdir()) == [] or all(p.name == "profile" for p in tmp_path.iterdir())


def test_printing_is_recorded(workspace, woman):
    sheets.record_given(workspace, woman, ["experiencing-abuse"], "ro", False, "PRINTED")
    [given] = sheets.sheets_given(workspace, woman)
    assert (given.method, given.language, given.bilingual) == ("Printed", "Romanian", False)


def test_a_viewer_cannot_give_sheets_or_keep_the_directory(workspace, woman, make_user):
    viewer = make_user("viewer1", "viewer")
    with pytest.raises(PermissionDenied):
        sheets.record_given(viewer, woman, ["release-day"], "ro", False, "PRINTED")
    with pytest.raises(PermissionDenied):
        sheets.save_service(viewer, DirectoryEntry("Fictional Help", topics=("housing",)))
    worker = make_user("worker1", "resettlement_worker")
    with pytest.raises(PermissionDenied):
        sheets.save_service(worker, DirectoryEntry("Fictional Help", topics=("housing",)))
    sheets.record_given(worker, woman, ["release-day"], "ro", False, "PRINTED")


def test_unknown_language_or_sheet_is_refused_plainly(workspace, woman, tmp_path):
    with pytest.raises(UserError, match="no sheets in 'xx'"):
        sheets.save_pdf(workspace, woman, ["release-day"], "xx", False, tmp_path / "a.pdf")
    with pytest.raises(UserError, match="no sheet 'nope'"):
        sheets.save_pdf(workspace, woman, ["nope"], "ro", False, tmp_path / "a.pdf")
    with pytest.raises(UserError, match="at least one sheet"):
        sheets.save_pdf(workspace, woman, [], "ro", False, tmp_path / "a.pdf")
    assert not (tmp_path / "a.pdf").exists()
    assert sheets.sheets_given(workspace, woman) == []


def test_a_failed_write_records_nothing_and_leaves_nothing(workspace, woman, tmp_path):
    missing = tmp_path / "gone" / "deeper"
    (tmp_path / "gone").write_text("a file, not a folder")
    with pytest.raises(UserError):
        sheets.save_pdf(workspace, woman, ["release-day"], "ro", False, missing / "s.pdf")
    assert sheets.sheets_given(workspace, woman) == []


def test_new_database_prelists_named_organisations_without_contact_details(workspace):
    entries_ = sheets.directory(workspace)
    assert [e.organisation for e in entries_] == [name for name, _s, _t in PRELISTED]
    assert all(not e.phone and not e.address for e in entries_)


def test_administrator_keeps_the_directory(workspace):
    new_id = sheets.save_service(workspace, DirectoryEntry(
        "Fictional Advice Line", "Free advice", phone="01632 960 222", hours="Mon-Fri 9-5",
        languages=("pl", "ro"), topics=("money", "housing")))  # fmt: skip
    entry = next(e for e in sheets.directory(workspace) if e.id == new_id)
    assert entry.phone == "01632 960 222" and entry.languages == ("pl", "ro")
    sheets.move_service(workspace, new_id, -1)
    order = [e.id for e in sheets.directory(workspace)]
    assert order.index(new_id) == len(order) - 2
    with pytest.raises(ValidationFailed) as caught:
        sheets.save_service(workspace, DirectoryEntry("", phone="call us", topics=()))
    assert set(caught.value.errors) >= {"organisation", "phone", "topics"}
    sheets.remove_service(workspace, new_id)
    assert new_id not in [e.id for e in sheets.directory(workspace)]
    actions = [e.action for e in entries(workspace, limit=20)]
    assert "directory_service_added" in actions and "directory_service_removed" in actions


def test_directory_phone_number_is_printed_on_her_sheet(workspace, woman, tmp_path):
    sheets.save_service(workspace, DirectoryEntry(
        "Fictional Money Advice", phone="01632 960 333", languages=("ro",),
        topics=("money",)))  # fmt: skip
    out = tmp_path / "money.pdf"
    sheets.save_pdf(workspace, woman, ["money-id-benefits"], "ro", False, out)
    text = _pdf_text(out)
    assert "Fictional Money Advice" in text and "01632 960 333" in text
    assert "română" in text  # languages spoken, named in her language


def run(monkeypatch, capsys, *argv, data_dir=None):
    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PASSPHRASE + "\n"))
    extra = ["--data-dir", str(data_dir), "--user", ADMIN, "--passphrase-stdin"] if data_dir else []
    code = main([*argv, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_sheets_list_json(monkeypatch, capsys):
    code, out, _err = run(monkeypatch, capsys, "sheets", "list", "--format", "json")
    assert code == 0
    data = json.loads(out)["sheets"]
    assert {s["id"] for s in data} == {"housing-before-release", "release-day", "immigration-nrpf",
                                       "experiencing-abuse", "money-id-benefits"}
    langs = {lang["code"]: lang for lang in data[0]["languages"]}
    assert len(langs) >= 23
    assert langs["ar"]["direction"] == "rtl" and langs["ar"]["review_status"] == "draft"
    assert langs["en"]["review_status"] == "source"


def test_cli_sample_sheet_needs_no_database(monkeypatch, capsys, tmp_path):
    out = tmp_path / "sample.pdf"
    code, stdout, err = run(monkeypatch, capsys, "sheet", "--sample", "--sheet", "release-day",
                            "--lang", "vi", "--out", str(out))  # fmt: skip
    assert code == 0, err
    assert "Z1234AB" in _pdf_text(out)


def test_cli_sheet_for_a_person(workspace, woman, data_dir, monkeypatch, capsys, tmp_path):
    workspace.lock()
    out = tmp_path / "hers.pdf"
    code, stdout, err = run(monkeypatch, capsys, "sheet", "--person", "Z4321CD", "--sheet",
                            "release-day", "--lang", "ro", "--bilingual", "--out", str(out),
                            data_dir=data_dir)  # fmt: skip
    assert code == 0, err
    assert "Ioana Fictivescu" in _pdf_text(out)
    code, _out, err = run(monkeypatch, capsys, "sheet", "--person", "Z9999ZZ", "--sheet",
                          "release-day", "--out", str(tmp_path / "x.pdf"), data_dir=data_dir)
    assert code == 1 and "no Z9999ZZ" in err
    code, _out, err = run(monkeypatch, capsys, "sheet", "--sheet", "release-day", "--out",
                          str(tmp_path / "y.pdf"))  # fmt: skip
    assert code == 1 and "--person" in err
