"""Her information sheets: pick sheets and a language, preview, print or save, see what she has.

The language defaults to her first language (or English, with a note, when there are no sheets
in it yet). The sheets ticked at first are the ones most women need (housing, release day,
money; immigration for a foreign national); the abuse sheet is never pre-ticked, because
handing it over is a conversation staff choose to have. The preview and the printer both draw
the PDF itself, rendered in memory; printing and saving are recorded in her history.

Saving and printing render the PDF on a worker thread (it takes seconds for several sheets in
two languages), so the window stays responsive; the preview renders at once on the GUI thread,
because pressing Preview should show the pages there and then. "Given so far" is re-read when
the change events say her sheets changed, like every other view.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import SheetMethod, TranslationStatus
from app.domain.person import PersonDraft
from app.domain.roles import Permission
from app.domain.timezone import to_london
from app.errors import UserError
from app.services import sheets
from app.services.changes import Kind
from app.services.workspace import Workspace
from app.sheets.catalogues import review
from app.sheets.languages import ENGLISH, LANGUAGES
from app.sheets.library import SHEETS
from app.sheets.raster import PageImage, pages
from ui.ops import follow_her, ops_for

PREVIEW_DPI = 60
PRINT_DPI = 300
USUAL = ("housing-before-release", "release-day", "money-id-benefits")
BRITISH_OR_IRISH = {"GB", "IE", "ZZ", ""}


def _image(page: PageImage) -> QImage:
    image = QImage(page.rgb, page.width, page.height, page.stride, QImage.Format.Format_RGB888)
    return image.copy()  # own the pixels: the bytes object can go


class SheetsPanel(QWidget):
    # The kinds of record this tab shows: a change to her in any of them re-shows her.
    WATCHES = (Kind.PEOPLE, Kind.SHEETS, Kind.DIRECTORY, Kind.RELEASE_DAY)
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self.person_id: int | None = None
        self.person: PersonDraft | None = None
        self.watcher = follow_her(self, ws, self.WATCHES)
        self.file_dialog: QFileDialog | None = None
        self.print_dialog: QPrintDialog | None = None
        self._printer: QPrinter | None = None

        self.sheet_list = QListWidget()
        self.sheet_list.setObjectName("sheetList")
        for sheet in SHEETS.values():
            item = QListWidgetItem(sheet.title)
            item.setData(Qt.ItemDataRole.UserRole, sheet.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.sheet_list.addItem(item)
        self.sheet_list.setFixedHeight(self.sheet_list.sizeHintForRow(0) * 5 + 6)
        self.sheet_list.itemChanged.connect(self._choices_changed)

        self.language = QComboBox()
        self.language.setObjectName("sheetLanguage")
        # Sized by a short name, not the longest "English — native (draft translation)": the
        # record must fit beside the lists on a 1366-pixel screen. The open list shows all.
        self.language.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.language.setMinimumContentsLength(18)
        for lang in LANGUAGES.values():
            status = review(lang.code)
            suffix = "" if lang.code == ENGLISH else (
                " (draft translation)" if status.is_draft else " (reviewed)")
            label = f"{lang.english_name} \u2014 {lang.native_name}{suffix}"
            self.language.addItem(label, lang.code)
        self.language.currentIndexChanged.connect(self._language_changed)
        self.bilingual = QCheckBox("English below each part")
        self.bilingual.toggled.connect(lambda _on: self._clear_preview())
        self.bilingual.setToolTip("Prints the English under each part, so staff can see what "
                                  "she is given.")
        self.bilingual.setObjectName("sheetBilingual")
        self.language_note = QLabel()
        self.language_note.setObjectName("sheetLanguageNote")
        self.language_note.setWordWrap(True)
        self.language_note.setStyleSheet("color: palette(dark);")

        self.preview_button = QPushButton("&Preview")
        self.preview_button.setObjectName("sheetPreviewButton")
        self.preview_button.clicked.connect(self.preview)
        self.print_button = QPushButton("P&rint…")
        self.print_button.setObjectName("sheetPrintButton")
        self.print_button.clicked.connect(self._ask_printer)
        self.save_button = QPushButton("&Save as PDF…")
        self.save_button.setObjectName("sheetSaveButton")
        self.save_button.clicked.connect(self._ask_file)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.print_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.pages_box = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_box)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview_area = QScrollArea()
        self.preview_area.setObjectName("sheetPreview")
        self.preview_area.setWidgetResizable(True)
        self.preview_area.setWidget(self.pages_box)
        self.preview_area.setStyleSheet("QScrollArea { background: palette(mid); }")

        self.given = QTableWidget(0, 4)
        self.given.setObjectName("sheetsGivenTable")
        self.given.setHorizontalHeaderLabels(["When", "Sheet", "Language", "How, by whom"])
        self.given.verticalHeader().setVisible(False)
        self.given.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.given.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        self.given.horizontalHeader().setStretchLastSection(True)

        self.sheet_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sheet_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        language_row = QHBoxLayout()
        language_row.addWidget(QLabel("<b>Language:</b>"))
        language_row.addWidget(self.language, 1)
        language_row.addWidget(self.bilingual)
        self.given.setMaximumHeight(self.given.fontMetrics().height() * 6)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Sheets to give her</b>"))
        layout.addWidget(self.sheet_list)
        layout.addLayout(language_row)
        layout.addWidget(self.language_note)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("<b>Given so far</b>"))
        layout.addWidget(self.given)
        layout.addWidget(QLabel("<b>Preview</b>, exactly as it prints"))
        layout.addWidget(self.preview_area, 1)
        self._clear_preview()
        self._update_buttons()

    # --- her record --------------------------------------------------------------------
    def show_person(self, person_id: int, person: PersonDraft) -> None:
        if person_id != self.person_id:
            self._clear_preview()
            self._preselect(person)
            self._choose_language(person.first_language)
        self.person_id, self.person = person_id, person
        self._load_given()
        self._update_buttons()

    def clear(self) -> None:
        self.person_id, self.person = None, None
        self._clear_preview()
        self.given.setRowCount(0)
        self._update_buttons()

    def _preselect(self, person: PersonDraft) -> None:
        wanted = set(USUAL)
        if person.nationality not in BRITISH_OR_IRISH:
            wanted.add("immigration-nrpf")
        self.sheet_list.blockSignals(True)
        for row in range(self.sheet_list.count()):
            item = self.sheet_list.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.sheet_list.blockSignals(False)

    def _choose_language(self, first_language: str) -> None:
        index = self.language.findData(first_language)
        self.language.blockSignals(True)
        self.language.setCurrentIndex(index if index >= 0 else self.language.findData(ENGLISH))
        self.language.blockSignals(False)
        if index < 0 and first_language not in ("", ENGLISH):
            from app.domain.reference import languages

            name = languages().get(first_language, first_language)
            self.language_note.setText(f"There are no sheets in {name} yet: English is chosen. "
                                       "Go through it with her and an interpreter.")  # fmt: skip
        else:
            self.language_note.setText(self._status_note())

    def _status_note(self) -> str:
        code = self.language_code()
        status = review(code)
        if code == ENGLISH:
            return ""
        if status.is_draft:
            return ("Draft translation, not yet checked by a qualified translator: "
                    "the sheet says so in small print.")  # fmt: skip
        return f"Translation checked by {status.reviewed_by} on {status.reviewed_on:%d/%m/%Y}."

    def _choices_changed(self) -> None:
        self._update_buttons()
        self._clear_preview()

    def _language_changed(self) -> None:
        self.language_note.setText(self._status_note())
        self.bilingual.setEnabled(self.language_code() != ENGLISH)
        self._clear_preview()

    def _load_given(self) -> None:
        if self.person_id is None:
            return
        found = self.ops.run(self, sheets.sheets_given, self.ws, self.person_id)
        if not found.ok:
            return
        rows = found.value or []
        self.given.setRowCount(len(rows))
        for r, row in enumerate(rows):
            language = row.language + (" + English" if row.bilingual else "")
            if row.review_status == TranslationStatus.DRAFT:
                language += " (draft)"
            values = (to_london(row.given_at).strftime("%d/%m/%Y %H:%M"), row.title, language,
                      f"{row.method}, {row.given_by}")  # fmt: skip
            for c, value in enumerate(values):
                self.given.setItem(r, c, QTableWidgetItem(value))
        self.given.resizeColumnsToContents()

    # --- choices -----------------------------------------------------------------------
    def chosen_sheets(self) -> list[str]:
        return [self.sheet_list.item(row).data(Qt.ItemDataRole.UserRole)
                for row in range(self.sheet_list.count())
                if self.sheet_list.item(row).checkState() == Qt.CheckState.Checked]  # fmt: skip

    def language_code(self) -> str:
        return str(self.language.currentData() or ENGLISH)

    def set_choice(self, sheet_ids: list[str], language: str, bilingual: bool = False) -> None:
        for row in range(self.sheet_list.count()):
            item = self.sheet_list.item(row)
            state = item.data(Qt.ItemDataRole.UserRole) in sheet_ids
            item.setCheckState(Qt.CheckState.Checked if state else Qt.CheckState.Unchecked)
        self.language.setCurrentIndex(self.language.findData(language))
        self.bilingual.setChecked(bilingual)

    def _update_buttons(self) -> None:
        ready = self.person_id is not None and bool(self.chosen_sheets())
        self.preview_button.setEnabled(ready)
        can_give = ready and self.ws.can(Permission.EXPORT)
        self.print_button.setEnabled(can_give)
        self.save_button.setEnabled(can_give)

    def _choice(self) -> tuple[list[str], str, bool]:
        """The sheets, language and bilingual choice as they are now (taken before a worker
        starts, so a later click cannot change what is being written)."""
        return self.chosen_sheets(), self.language_code(), self.bilingual.isChecked()

    def _pdf(self) -> bytes | None:
        """The PDF for the preview, rendered now (the preview shows it at once)."""
        if self.person_id is None:
            return None
        return self.ops.run(self, sheets.render_for, self.ws, self.person_id,
                            *self._choice()).value

    # --- preview -----------------------------------------------------------------------
    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            widget = self.pages_layout.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # gone from the screen now, not when deleteLater runs
                widget.deleteLater()

    def _clear_preview(self) -> None:
        self._clear_pages()
        hint = QLabel("Press Preview to see the pages exactly as they will print.")
        hint.setObjectName("sheetPreviewHint")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(dark); padding: 24px;")
        self.pages_layout.addWidget(hint)

    def preview(self) -> int:
        """Show every page as it will print; returns the number of pages."""
        self._clear_preview()
        data = self._pdf()
        if data is not None:
            self._clear_pages()
        if data is None:
            return 0
        count = 0
        for page in pages(data, PREVIEW_DPI * self.devicePixelRatioF()):
            label = QLabel()
            label.setObjectName("sheetPage")
            pixmap = QPixmap.fromImage(_image(page))
            pixmap.setDevicePixelRatio(self.devicePixelRatioF())
            label.setPixmap(pixmap)
            label.setStyleSheet("border: 1px solid palette(dark); background: white;")
            self.pages_layout.addWidget(label)
            count += 1
        return count

    # --- print and save ----------------------------------------------------------------
    def _ask_printer(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName("Information sheets")
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print her information sheets")
        dialog.accepted.connect(self._print_accepted)
        self.print_dialog = dialog
        self._printer = printer  # kept alive while the dialog is open
        QDialog.open(dialog)  # PySide6's QPrintDialog.open() wants (receiver, member)

    def _print_accepted(self) -> None:  # a slot returns None (PySide6 and returned bools)
        if self._printer is not None:
            self.print_to(self._printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Start printing the sheets; they are recorded as given once printed.

        "Print to File (PDF)" writes the vector PDF itself (small, sharp, searchable); a real
        printer gets each page drawn at up to 300 dpi. The PDF is rendered on a worker thread,
        the pages drawn on the GUI thread (the printer belongs to it). False if there is
        nothing to print.
        """
        if self.person_id is None:
            return False
        target = printer.outputFileName()
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and target:
            return self.save_to(Path(target))
        person_id, choice = self.person_id, self._choice()

        def printed(data: bytes) -> None:
            if self.paint(printer, data):
                self.ops.run(self, sheets.record_given, self.ws, person_id, *choice,
                             SheetMethod.PRINTED)

        self.ops.run_in_background(
            self, lambda: sheets.render_for(self.ws, person_id, *choice),
            busy="Preparing the pages to print…", on_done=printed)
        return True

    def paint(self, printer: QPrinter, data: bytes) -> bool:
        """Draw every page of the PDF on the printer; False (with a message) if it fails."""
        return self.ops.run(self, _paint_pages, printer, data).ok

    def _ask_file(self) -> None:
        if self.person is None:
            return
        name = f"sheets-{self.person.prison_number}-{self.language_code()}.pdf"
        dialog = QFileDialog(self, "Save her information sheets", str(Path.home() / name),
                             "PDF files (*.pdf)")  # fmt: skip
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(self._file_chosen)
        self.file_dialog = dialog
        dialog.open()

    def _file_chosen(self, chosen: str) -> None:
        self.save_to(Path(chosen))

    def save_to(self, path: Path, on_done: Callable[[Path], None] | None = None) -> bool:
        """Start writing her chosen sheets to `path` on a worker thread (recorded as given when
        written: "Given so far" follows from the change events). False if nothing to save."""
        if self.person_id is None:
            return False
        person_id, choice = self.person_id, self._choice()
        self.ops.run_in_background(
            self, lambda: sheets.save_pdf(self.ws, person_id, *choice, path),
            busy="Writing the PDF…", on_done=on_done)
        return True


def _paint_pages(printer: QPrinter, data: bytes) -> None:
    """Draw every page on the printer; a UserError (shown by the runner) if it fails."""
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("The printer could not be started. Check it is on and connected, then "
                        "try again.")  # fmt: skip
    try:
        dpi = min(PRINT_DPI, max(printer.resolution(), 150))
        for number, page in enumerate(pages(data, dpi)):
            if number and not printer.newPage():
                raise UserError("The printer stopped part-way. Check it, then print again.")
            # Let the print engine scale (a 1200 dpi device would need a 550 MB image).
            image = _image(page)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.topLeft(), size), image)
    finally:
        painter.end()
