"""Importing the caseload spreadsheet: preview every line, then import all or nothing.

Reading and checking the file happen at once (the preview is what she is looking at); the
import itself runs on a worker thread through the operation runner, and the caseload and
every other list follow from the change events it publishes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain import reference
from app.domain.csv_people import COLUMNS, REQUIRED
from app.domain.dates import uk_date
from app.domain.roles import Permission
from app.errors import UserError
from app.services import import_people
from app.services.import_people import ImportPreview
from app.services.workspace import Workspace
from ui.dialog_parts import ERROR_COLOUR, fill_row, fit_columns, plain_message, read_only_table
from ui.ops import ops_for

PREVIEW_HEADERS = [
    "Line",
    "Prison no.",
    "Family name",
    "Given names",
    "Date of birth",
    "Custody status",
    "Release date",
]
PROBLEM_HEADERS = ["Line", "Prison no.", "Problem"]


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


class ImportDialog(QDialog):
    """Accepted after a successful import; `imported_count` says how many people were added."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.imported_count = 0
        self.plan: ImportPreview | None = None
        self.path: Path | None = None
        self._text = ""
        self.file_dialog: QFileDialog | None = None
        self.can_import = ws.can(Permission.IMPORT_PEOPLE)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import people from a spreadsheet")
        self.setMinimumSize(880, 580)

        optional = [c for c in COLUMNS if c not in REQUIRED]
        intro = QLabel(
            "Choose a CSV file saved from the caseload spreadsheet. The first row names the "
            f"columns: {', '.join(REQUIRED)}, and optionally {', '.join(optional)}. "
            "Dates are written like 2026-03-31. If any line has a problem, nothing is imported "
            "until the file is fixed."
        )
        intro.setObjectName("introLabel")
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.choose_button = QPushButton("&Choose file…")
        self.choose_button.setObjectName("chooseFileButton")
        self.choose_button.setToolTip("Pick the CSV file to check and import")
        self.choose_button.clicked.connect(self.choose_file)
        self.choose_button.setEnabled(self.can_import)
        self.file_label = QLabel("No file chosen")
        self.file_label.setObjectName("fileLabel")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.file_label, 1)

        self.summary_label = QLabel(
            "Choose a file to see who would be imported."
            if self.can_import
            else "Your role cannot import people. Ask an administrator if you need to."
        )
        self.summary_label.setObjectName("summaryLabel")
        self.summary_label.setWordWrap(True)
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)

        self.problems_table = read_only_table("problemsTable", PROBLEM_HEADERS)
        self.problems_table.setSortingEnabled(True)
        self.problems_box = QGroupBox("Problems to fix in the file")
        self.problems_box.setObjectName("problemsBox")
        box_layout = QVBoxLayout(self.problems_box)
        box_layout.addWidget(self.problems_table)
        self.problems_box.hide()

        self.preview_table = read_only_table("previewTable", PREVIEW_HEADERS)
        self.preview_table.setSortingEnabled(True)
        self.preview_box = QGroupBox("People to import")
        self.preview_box.setObjectName("previewBox")
        box_layout = QVBoxLayout(self.preview_box)
        box_layout.addWidget(self.preview_table)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.problems_box)
        self.splitter.addWidget(self.preview_box)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("importButton")
        self.import_button.setEnabled(False)
        self.import_button.setToolTip("Add everyone in the preview to the caseload")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancelButton")
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(file_row)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.buttons)
        self.choose_button.setFocus()

    # --- choosing and reading the file ---------------------------------------------------
    def choose_file(self) -> None:
        """Open a file chooser without a nested event loop; `file_dialog` keeps it for tests."""
        start = str(self.path.parent) if self.path else QDir.homePath()
        dialog = QFileDialog(self, "Choose the CSV file to import", start)
        dialog.setObjectName("importFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(["CSV files (*.csv)", "Text files (*.txt)", "All files (*)"])
        dialog.fileSelected.connect(lambda chosen: self.load_file(Path(chosen)))
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        dialog.open()

    def load_file(self, path: Path) -> None:
        """Read and check `path`; the Import button is enabled only for a file with no problems."""
        self.path = Path(path)
        self.file_label.setText(str(self.path))
        self.file_label.setToolTip(str(self.path))
        self._text = ""
        read = ops_for(self._ws).run(self, import_people.read_text, self.path,
                                     on_error=self._cannot_read)
        if not read.ok:
            return
        self._text = read.value or ""
        self._preview()

    def _cannot_read(self, exc: UserError) -> bool:
        """A file that cannot be read or checked is told in the summary line, not a box."""
        self._show_plan(None, plain_message(exc))
        return True

    def _preview(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        found = ops_for(self._ws).run(self, import_people.preview, self._ws, self._text,
                                      on_error=self._cannot_read)
        QGuiApplication.restoreOverrideCursor()
        if found.ok:
            self._show_plan(found.value)

    # --- showing the preview -------------------------------------------------------------
    def _show_plan(self, plan: ImportPreview | None, failure: str = "") -> None:
        self.plan = plan
        drafts = plan.drafts if plan else []
        problems = plan.problems if plan else []

        self.preview_table.setSortingEnabled(False)
        self.preview_table.setRowCount(len(drafts))
        for row, (line, draft) in enumerate(drafts):
            fill_row(
                self.preview_table,
                row,
                [
                    (str(line), line),
                    (draft.prison_number, None),
                    (draft.family_name, None),
                    (draft.given_names, None),
                    (uk_date(draft.date_of_birth), draft.date_of_birth),
                    (
                        reference.CUSTODY_STATUSES.get(
                            draft.custody_status, draft.custody_status
                        ),
                        None,
                    ),
                    (
                        uk_date(draft.release_date) or "Not known",
                        draft.release_date.isoformat() if draft.release_date else "9999",
                    ),
                ],
            )
        self.preview_table.setSortingEnabled(True)
        self.preview_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        fit_columns(self.preview_table)
        self.preview_box.setTitle(
            f"People to import ({len(drafts)})" if drafts else "People to import"
        )

        self.problems_table.setSortingEnabled(False)
        self.problems_table.setRowCount(len(problems))
        for row, problem in enumerate(problems):
            fill_row(
                self.problems_table,
                row,
                [
                    (str(problem.line), (problem.line, row)),
                    (problem.prison_number, None),
                    (problem.message, None),
                ],
            )
        self.problems_table.setSortingEnabled(True)
        self.problems_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        fit_columns(self.problems_table, range(2))
        self.problems_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch
        )
        bad_lines = len({p.line for p in problems})
        self.problems_box.setTitle(
            f"Problems to fix in the file ({_plural(bad_lines, 'line', 'lines')})"
        )
        self.problems_box.setVisible(bool(problems))

        ready = plan is not None and plan.ok and self.can_import
        self.import_button.setEnabled(ready)
        if ready:
            self.import_button.setDefault(True)
        if failure:
            self._set_summary(failure, error=True)
        elif problems:
            verb = "has" if bad_lines == 1 else "have"
            self._set_summary(
                f"{_plural(bad_lines, 'line', 'lines')} {verb} problems: nothing will be "
                "imported until the file is fixed.",
                error=True,
            )
        elif drafts:
            self._set_summary(f"{_plural(len(drafts), 'person', 'people')} ready to import.")
        else:
            self._set_summary("The file has no people to import.", error=True)

    def _set_summary(self, text: str, *, error: bool = False) -> None:
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")

    # --- importing -----------------------------------------------------------------------
    def _import(self) -> None:
        if self.plan is None or not self.import_button.isEnabled():
            return
        plan = self.plan
        ops_for(self._ws).run_in_background(
            self, lambda: import_people.commit(self._ws, plan), busy="Importing the caseload…",
            on_done=self._imported, on_error=self._import_refused)

    def _imported(self, count: int) -> None:
        self.imported_count = count
        self.accept()

    def _import_refused(self, _exc: UserError) -> bool:
        """Someone may have added one of these people meanwhile: show the file as it is now,
        and let the runner say why in a message box."""
        self._preview()
        return False
