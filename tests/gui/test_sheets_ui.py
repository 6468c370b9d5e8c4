"""The Sheets tab and the service directory, with real widgets, a real record and real PDFs."""

from __future__ import annotations

import subprocess
from datetime import date, time

import pytest
from PySide6.QtPrintSupport import QPrinter

from app.services import people, sheets
from tests.conftest import make_draft
from ui.directory_dialog import DirectoryDialog, ServiceDialog
from ui.sheets_panel import SheetsPanel

WORKER_MS = 30_000  # a PDF written on a worker thread, on a busy shared machine


def _panel(qtbot, workspace, **overrides):
    draft = make_draft(**overrides)
    person_id = people.add_person(workspace, draft)
    panel = SheetsPanel(workspace)
    qtbot.addWidget(panel)
    panel.resize(620, 900)
    panel.show()
    panel.show_person(person_id, draft)
    return panel, person_id


def test_her_first_language_and_the_usual_sheets_are_chosen(qtbot, workspace):
    panel, _ = _panel(qtbot, workspace, nationality="VN", first_language="vi")
    assert panel.language_code() == "vi"
    assert set(panel.chosen_sheets()) == {"housing-before-release", "release-day",
                                          "money-id-benefits", "immigration-nrpf"}
    assert "experiencing-abuse" not in panel.chosen_sheets()
    assert "Draft translation" in panel.language_note.text()


def test_a_language_without_sheets_falls_back_to_english_and_says_so(qtbot, workspace):
    panel, _ = _panel(qtbot, workspace, nationality="NG", first_language="yo")
    assert panel.language_code() == "en"
    assert "no sheets in Yoruba" in panel.language_note.text()
    assert not panel.bilingual.isEnabled() or panel.language_code() == "en"


def test_british_woman_is_not_given_the_immigration_sheet_by_default(qtbot, workspace):
    panel, _ = _panel(qtbot, workspace)
    assert "immigration-nrpf" not in panel.chosen_sheets()


def test_preview_draws_the_pages_and_records_nothing(qtbot, workspace):
    panel, person_id = _panel(qtbot, workspace, nationality="SY", first_language="ar",
                              release_date=date(2027, 3, 5), release_time=time(10, 0))
    panel.set_choice(["release-day"], "ar")
    count = panel.preview()
    assert count >= 1
    pages = panel.pages_box.findChildren(type(panel.language_note), "sheetPage")
    assert len(pages) == count
    assert pages[0].pixmap().width() > 300
    assert sheets.sheets_given(workspace, person_id) == []


def test_printing_draws_every_page_and_records_it(qtbot, workspace, tmp_path, monkeypatch):
    """The raster path a real printer takes, drawn into Qt's PDF engine (no printer here)."""
    panel, person_id = _panel(qtbot, workspace, nationality="PK", first_language="ur")
    panel.set_choice(["release-day", "housing-before-release"], "ur", bilingual=True)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    data = sheets.render_for(workspace, person_id, ["release-day", "housing-before-release"],
                             "ur", True)  # fmt: skip
    assert panel.paint(printer, data)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    printed = int(next(line.split()[-1] for line in info.stdout.splitlines()
                       if line.startswith("Pages:")))  # fmt: skip
    from app.sheets.raster import page_count

    assert printed == page_count(data) >= 2
    printer.setOutputFileName("")
    monkeypatch.setattr(panel, "paint", lambda printer, data: True)
    assert panel.print_to(printer)  # rendered on a worker, drawn and recorded when ready
    qtbot.waitUntil(lambda: panel.given.rowCount() == 2 and panel.isEnabled(), timeout=WORKER_MS)
    given = sheets.sheets_given(workspace, person_id)
    assert {g.sheet_id for g in given} == {"release-day", "housing-before-release"}
    assert all(g.method == "Printed" and g.language == "Urdu" and g.bilingual for g in given)
    assert panel.given.rowCount() == 2


def test_print_to_file_writes_the_vector_pdf(qtbot, workspace, tmp_path):
    panel, person_id = _panel(qtbot, workspace, nationality="RO", first_language="ro")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "to-file.pdf"
    printer.setOutputFileName(str(out))
    assert panel.print_to(printer)
    qtbot.waitUntil(lambda: panel.given.rowCount() > 0, timeout=WORKER_MS)  # then recorded
    assert out.stat().st_size < 500_000 * len(panel.chosen_sheets())
    assert "Z1234AB" in subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                                       text=True, check=True).stdout  # fmt: skip
    assert {g.method for g in sheets.sheets_given(workspace, person_id)} == {"Saved as PDF"}


def test_print_button_opens_the_print_dialog(qtbot, workspace):
    panel, _ = _panel(qtbot, workspace, nationality="RO", first_language="ro")
    panel.print_button.click()
    assert panel.print_dialog is not None
    qtbot.waitUntil(panel.print_dialog.isVisible)
    panel.print_dialog.reject()


def test_save_button_opens_a_file_dialog_for_a_pdf(qtbot, workspace):
    panel, _ = _panel(qtbot, workspace, nationality="RO", first_language="ro")
    panel.save_button.click()
    qtbot.waitUntil(panel.file_dialog.isVisible)
    assert panel.file_dialog.defaultSuffix() == "pdf"
    assert "Z1234AB" in panel.file_dialog.selectedFiles()[0]
    panel.file_dialog.reject()


def test_save_as_pdf_writes_and_lists_it(qtbot, workspace, tmp_path):
    panel, person_id = _panel(qtbot, workspace, nationality="RO", first_language="ro")
    out = tmp_path / "hers.pdf"
    panel.set_choice(["money-id-benefits"], "ro")
    assert panel.save_to(out)
    assert not panel.isEnabled()  # busy while the worker writes it
    qtbot.waitUntil(lambda: panel.given.rowCount() == 1 and panel.isEnabled(), timeout=WORKER_MS)
    assert out.read_bytes().startswith(b"%PDF")
    assert "Romanian" in panel.given.item(0, 2).text()
    assert "draft" in panel.given.item(0, 2).text()


def test_a_save_that_fails_on_the_worker_is_told_and_records_nothing(qtbot, workspace,
                                                                     tmp_path):
    from PySide6.QtWidgets import QMessageBox

    panel, person_id = _panel(qtbot, workspace)
    assert panel.save_to(tmp_path)  # a folder, not a file
    qtbot.waitUntil(lambda: panel.findChild(QMessageBox, "errorBox") is not None,
                    timeout=WORKER_MS)
    assert "is a folder" in panel.findChild(QMessageBox, "errorBox").text()
    assert panel.isEnabled()
    assert sheets.sheets_given(workspace, person_id) == []


def test_viewer_can_preview_but_not_print_or_save(qtbot, workspace, make_viewer):
    person_id = people.add_person(workspace, make_draft())
    panel = SheetsPanel(make_viewer)
    qtbot.addWidget(panel)
    panel.show_person(person_id, make_draft())
    assert panel.preview_button.isEnabled()
    assert not panel.print_button.isEnabled() and not panel.save_button.isEnabled()


def test_nothing_chosen_disables_the_buttons(qtbot, workspace):
    panel, _ = _panel(qtbot, workspace)
    panel.set_choice([], "en")
    assert not panel.preview_button.isEnabled() and not panel.print_button.isEnabled()


def test_lock_clears_her_pages(qtbot, workspace):
    panel, _ = _panel(qtbot, workspace)
    panel.preview()
    panel.clear()
    qtbot.waitUntil(lambda: not panel.pages_box.findChildren(type(panel.language_note),
                                                              "sheetPage"))  # fmt: skip
    assert panel.given.rowCount() == 0


def test_directory_dialog_adds_a_service_that_then_prints(qtbot, workspace):
    dialog = DirectoryDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()  # the list follows the change events while it is on screen
    before = dialog.table.rowCount()
    form = ServiceDialog(workspace, None, dialog)
    qtbot.addWidget(form)
    form.organisation.setText("Fictional Housing Advice")
    form.phone.setText("01632 960 444")
    form.languages.setText("Polish, ro")
    form.topics["housing"].setChecked(True)
    assert form.save()
    assert dialog.table.rowCount() == before + 1
    entry = next(e for e in sheets.directory(workspace)
                 if e.organisation == "Fictional Housing Advice")  # fmt: skip
    assert entry.languages == ("pl", "ro")


def test_service_form_refuses_bad_input_in_plain_words(qtbot, workspace):
    form = ServiceDialog(workspace, None)
    qtbot.addWidget(form)
    form.languages.setText("Klingon")
    assert not form.save()
    assert "Klingon" in form.error.text()
    form.languages.setText("")
    form.phone.setText("ring us")
    assert not form.save()
    assert "digits" in form.error.text()


def test_directory_is_read_only_for_a_worker(qtbot, workspace, make_viewer):
    dialog = DirectoryDialog(make_viewer)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() > 0
    assert not dialog.buttons["add"].isEnabled()


def test_sheets_tab_in_the_window_and_history_updates(qtbot, main_window, tmp_path):
    window = main_window
    person_id = people.find_id(window.ws, "Z1002AA")
    window.open_person(person_id)
    window.person.show_tab("Sheets")
    assert window.sheets.person_id == person_id
    window.sheets.set_choice(["release-day"], "pl")
    assert window.sheets.save_to(tmp_path / "s.pdf")
    qtbot.waitUntil(lambda: window.sheets.given.rowCount() == 1, timeout=WORKER_MS)
    window.person.show_tab("History")  # a hidden history catches up when it is shown

    def texts() -> list[str]:
        return [window.person.history.item(r, 2).text()
                for r in range(window.person.history.rowCount())]  # fmt: skip

    qtbot.waitUntil(lambda: any("Saved as PDF" in t for t in texts()), timeout=WORKER_MS)
    assert any("information sheets given: Saved as PDF: release-day in Polish" in t
               for t in texts())  # fmt: skip


@pytest.fixture
def make_viewer(workspace, data_dir):
    from app.services import users, vault

    temporary = "temporary passphrase for a viewer"
    users.add_user(workspace, "viewer2", "Val Viewer", "viewer", temporary)
    viewer = vault.unlock(data_dir, "viewer2", temporary)
    yield viewer
    viewer.lock()


def test_window_screenshot(qtbot, main_window, tmp_path):
    """Looked at by a person: tests/gui writes it only when RESETTLE_SCREENSHOTS is set."""
    import os

    window = main_window
    window.open_person(people.find_id(window.ws, "Z1003AA"))
    window.person.show_tab("Sheets")
    window.sheets.set_choice(["release-day"], "ar", bilingual=True)
    window.sheets.preview()
    first = window.sheets.pages_box.findChildren(type(window.sheets.language_note), "sheetPage")[0]
    qtbot.waitUntil(first.isVisible)
    target = os.environ.get("RESETTLE_SCREENSHOTS")
    if target:
        window.grab().save(os.path.join(target, "sheets-tab.png"))
    assert window.sheets.preview_area.isVisible()
    assert window.person.tabs.tabText(window.person.tabs.currentIndex()) == "Sheets"
