"""Transfer out: record where she went and write the handover summary that goes with her.

The summary PDF is written (and the transfer recorded) on a worker thread through the runner;
every view that shows her follows from the change events.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import parse_uk_date
from app.domain.person import PersonDraft
from app.domain.timezone import today_london
from app.errors import UserError, ValidationFailed
from app.services import transfers
from app.services.workspace import Workspace
from ui.ops import ops_for


class TransferDialog(QDialog):
    def __init__(self, ws: Workspace, person_id: int, person: PersonDraft,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.person_id = ws, person_id
        self.setWindowTitle(f"Transfer out — {person.family_name.upper()}, {person.given_names}")
        self.setObjectName("transferDialog")
        intro = QLabel("Everything still open (screening, needs, plan tasks, referrals) is "
                       "written into a handover summary PDF to go with her. She then leaves "
                       "the induction queue, the planning board and the meeting lists.")
        intro.setWordWrap(True)
        self.destination = QLineEdit()
        self.destination.setObjectName("destinationEdit")
        self.destination.setPlaceholderText("Receiving prison, e.g. HMP & YOI …")
        self.day = QLineEdit(today_london().strftime("%d/%m/%Y"))
        self.day.setObjectName("transferDateEdit")
        self.path = QLineEdit(str(Path.home() / f"handover-{person.prison_number}.pdf"))
        self.path.setObjectName("handoverPathEdit")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Transferred to:", self.destination)
        form.addRow("On:", self.day)
        form.addRow("Handover PDF:", row)
        self.message = QLabel()
        self.message.setObjectName("transferMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.addButton("Record transfer", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setObjectName("recordTransferButton")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.file_dialog: QFileDialog | None = None

    def _choose(self) -> None:
        dialog = QFileDialog(self, "Save the handover summary", self.path.text(),
                             "PDF files (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(self.path.setText)
        self.file_dialog = dialog
        dialog.open()

    def submit(self) -> None:
        """Start the transfer on a worker thread; the dialog closes when it is recorded."""
        try:
            day = parse_uk_date(self.day.text())
        except ValueError as exc:
            self.message.setText(f"On: {exc}")
            return
        self.message.clear()
        person_id, destination = self.person_id, self.destination.text()
        handover = Path(self.path.text()).expanduser()
        ops_for(self.ws).run_in_background(
            self, lambda: transfers.transfer_out(self.ws, person_id, transferred_on=day,
                                                 destination=destination,
                                                 handover_pdf=handover),
            busy="Writing the handover summary…", on_done=lambda _result: self.accept(),
            on_error=self._show_inline)

    def _show_inline(self, exc: UserError) -> bool:
        """Refusals (no destination, a date before she arrived) stay in the dialog."""
        if isinstance(exc, ValidationFailed):
            self.message.setText(" ".join(exc.errors.values()))
        else:
            self.message.setText(str(exc))
        return True
