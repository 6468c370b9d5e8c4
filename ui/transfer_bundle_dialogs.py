"""Transfers between prisons as signed bundles: send her whole record, receive one.

Receiving shows who signed the bundle (and the certificate fingerprint to check with the
sending team), whether this team trusts that sender (if not, she must tick that she checked the
fingerprint before Import is offered), what it holds, and whether she is already here; an
existing record is replaced only when the person ticks that she wants it replaced, and never
when the local record is newer.

The preview is read at once (she is looking at it); importing and exporting, which decrypt,
verify, write and read back whole records, run on a worker thread through the runner.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.timezone import to_london
from app.errors import UserError
from app.services import transfer_bundles
from app.services.workspace import Workspace
from ui.dialog_parts import ErrorLabel
from ui.ops import ops_for


class ImportTransferDialog(QDialog):
    """Choose a transfer bundle, see what it holds, then import it."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self.path: Path | None = None
        self.preview: transfer_bundles.TransferPreview | None = None
        self.person_id: int | None = None
        self.setObjectName("importTransferDialog")
        self.setWindowTitle("Receive a transfer bundle")
        self.file = QLineEdit()
        self.file.setObjectName("transferFile")
        self.file.setReadOnly(True)
        choose = QPushButton("Choose bundle…")
        choose.setObjectName("transferChooseButton")
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(choose)
        self.summary = QLabel("Choose the .rsb file the sending prison gave you.")
        self.summary.setObjectName("transferSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.replace = QCheckBox("Replace her record here with the one in the bundle")
        self.replace.setObjectName("transferReplace")
        self.replace.hide()
        self.replace.toggled.connect(self._update)
        self.fingerprint_checked = QCheckBox("I have checked this fingerprint with the sending "
                                             "prison: it is the one they gave me")
        self.fingerprint_checked.setObjectName("transferFingerprintChecked")
        self.fingerprint_checked.hide()
        self.fingerprint_checked.toggled.connect(self._update)
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("transferImportButton")
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self._import_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.replace)
        layout.addWidget(self.fingerprint_checked)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(680, 420)

    def _choose(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, "Transfer bundle", str(Path.home()),
                                               "Resettle bundles (*.rsb)")  # fmt: skip
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> bool:
        self.path, self.preview = path, None
        self.file.setText(str(path))
        self.error.clear_message()
        found = self.ops.run(self, transfer_bundles.preview_transfer, self.ws, path,
                             on_error=self._refused)
        if not found.ok or found.value is None:
            self._update()
            return False
        preview = self.preview = found.value
        made = to_london(preview.created_at).strftime("%d/%m/%Y %H:%M")
        counts = ", ".join(f"{name.replace('_', ' ')}: {n}" for name, n in preview.counts.items()
                           if n)  # fmt: skip
        local = {"NEW": "She is not on the caseload here: she will be added.",
                 "EXISTS_OLDER": "She is already here. Her record here is older than the "
                                 "bundle: tick below to replace it.",
                 "EXISTS_NEWER": "She is already here and her record here was changed after "
                                 "this bundle was made: it will not be overwritten."}
        sender = (f"Trusted: {preview.trusted_as}." if preview.trusted_as else
                  "NOT A TRUSTED SENDER. Ring the sending prison and check this fingerprint "
                  "with them before importing.")  # fmt: skip
        self.summary.setText(
            f"{preview.name} ({preview.prison_number}), born "
            f"{preview.date_of_birth:%d/%m/%Y}\n"
            f"From {preview.establishment}, made {made}\n"
            f"Signed by {preview.sender}\nCertificate fingerprint (SHA-256): "
            f"{preview.fingerprint}\n{sender}\n\n"
            f"Holds her details and {counts or 'nothing else'}; history entries: "
            f"{preview.history_entries} (kept in the bundle, not imported).\n\n"
            f"{local.get(preview.local, preview.local)}")
        self.replace.setVisible(preview.local == "EXISTS_OLDER")
        self.replace.setChecked(False)
        self.fingerprint_checked.setVisible(not preview.trusted_as)
        self.fingerprint_checked.setChecked(False)
        self._update()
        return True

    def _refused(self, exc: UserError) -> bool:
        self.summary.setText("This bundle cannot be imported.")
        self.error.show_exception(exc)
        return True

    def _update(self) -> None:
        preview = self.preview
        ok = preview is not None and (preview.local == "NEW" or (
            preview.local == "EXISTS_OLDER" and self.replace.isChecked())) and (
            bool(preview.trusted_as) or self.fingerprint_checked.isChecked())  # fmt: skip
        self.import_button.setEnabled(bool(ok))

    def _import_clicked(self) -> None:  # a slot returns None (PySide6 and returned bools)
        self.do_import()

    def do_import(self) -> bool:
        """Start importing on a worker thread; the dialog closes (accepted, with `person_id`)
        when she is in. False if there is nothing to import."""
        if self.path is None or self.preview is None:
            return False
        self.error.clear_message()
        path, replace = self.path, self.replace.isChecked()
        confirmed = (self.preview.fingerprint if self.fingerprint_checked.isChecked()
                     and not self.preview.trusted_as else None)  # fmt: skip
        self.ops.run_in_background(
            self, lambda: transfer_bundles.import_transfer(self.ws, path, replace=replace,
                                                           confirmed_fingerprint=confirmed),
            busy="Importing her record…", on_done=self._imported, on_error=self.error.refused)
        return True

    def _imported(self, person_id: int) -> None:
        self.person_id = person_id
        self.accept()


class ExportTransferDialog(QDialog):
    """Send her whole record to the receiving prison as a signed bundle."""

    def __init__(self, ws: Workspace, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self.person_id = person_id
        self.exported: object | None = None
        self.setObjectName("exportTransferDialog")
        self.setWindowTitle("Send her record to another prison")
        intro = QLabel("The bundle carries her whole record: details, screenings, needs, plan, "
                       "referrals, consents, release-day checklist and history, signed by this "
                       "team. The receiving prison imports it into its own Resettle.")
        intro.setWordWrap(True)
        self.recipient = QLineEdit()
        self.recipient.setObjectName("transferRecipient")
        self.recipient.setPlaceholderText("The receiving prison, e.g. HMP Example")
        self.folder = QLineEdit()
        self.folder.setObjectName("transferFolder")
        browse = QPushButton("Choose folder…")
        browse.clicked.connect(self._choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export signed bundle",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._export_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("For:"))
        layout.addWidget(self.recipient)
        layout.addWidget(QLabel("Save to:"))
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, 260)

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Where to put the bundle",
                                                str(Path.home()))  # fmt: skip
        if path:
            self.folder.setText(path)

    def _export_clicked(self) -> None:
        self.export()

    def export(self) -> bool:
        """Start writing her bundle on a worker thread; the dialog closes when it is written
        and checked. False if the folder is missing."""
        folder = self.folder.text().strip()
        if not folder:
            self.error.show_message("Choose the folder or drive to save the bundle to.")
            return False
        self.error.clear_message()
        person_id, recipient = self.person_id, self.recipient.text().strip()
        self.ops.run_in_background(
            self, lambda: transfer_bundles.export_transfer(self.ws, person_id, Path(folder),
                                                           recipient=recipient),
            busy="Writing her transfer bundle…", on_done=self._exported,
            on_error=self.error.refused)
        return True

    def _exported(self, made: object) -> None:
        self.exported = made
        self.accept()
