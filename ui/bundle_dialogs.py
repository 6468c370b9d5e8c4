"""Signed bundles in the window: export a referral, the outbox, and the team's certificate.

Export shows first exactly what will leave (every field, and the files in the bundle), then
asks where to put it; the bundle is written, read back and checked before it is recorded. The
outbox shows every bundle with where it went and what happened since. The certificate dialog is
where an administrator gives recipients the team's certificate and fingerprint (and the
one-page recipient guide), imports the organisation's own certificate, or rotates the key.

Every action goes through the operation runner; writing a bundle or the guide PDF runs on a
worker thread. The outbox and the certificate list re-read themselves from the change events
(whoever changed them), so an action here does not reload anything by hand.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import BundleState
from app.domain.referrals import TYPE_LABELS
from app.domain.roles import Permission
from app.domain.timezone import to_london
from app.errors import UserError
from app.services import bundles
from app.services.changes import Kind
from app.services.workspace import Workspace
from ui.dialog_parts import ErrorLabel, button_row, fill_row, fit_columns, read_only_table
from ui.messages import confirm
from ui.ops import ChangeWatcher, ops_for

BUNDLE_FILES = ("referral.json (the fields above)", "referral.pdf (the same, to read)",
                "signer.pem (the team's certificate)", "SHA256SUMS (checksums)",
                "manifest.json (who, when, for whom; every file's SHA-256)",
                "manifest.json.p7s (the team's signature)")  # fmt: skip


def _when(instant: object) -> str:
    return to_london(instant).strftime("%d/%m/%Y %H:%M")  # type: ignore[arg-type]


class ExportBundleDialog(QDialog):
    """Preview, then export one referral as a signed bundle."""

    def __init__(self, ws: Workspace, referral_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self.referral_id = referral_id
        self.exported: bundles.Exported | None = None
        self.certificate: bytes | None = None
        self.file_dialog: QFileDialog | None = None
        self.setObjectName("exportBundleDialog")
        self.setWindowTitle("Export a signed referral bundle")
        intro = QLabel("These fields, and nothing else about her, will leave in the bundle:")
        self.table = read_only_table("bundlePreview", ["Section", "Field", "Value"])
        files = QLabel("Files in the bundle: " + "; ".join(BUNDLE_FILES) + ".")
        files.setWordWrap(True)
        files.setStyleSheet("color: palette(dark);")
        self.recipient = QLineEdit()
        self.recipient.setObjectName("bundleRecipient")
        self.recipient.setPlaceholderText("Who it is for (default: from the referral)")
        self.encrypt_label = QLabel("Not encrypted (signed only)")
        self.encrypt_label.setObjectName("bundleEncryptLabel")
        choose_cert = QPushButton("Encrypt for a recipient certificate…")
        choose_cert.setObjectName("bundleEncryptButton")
        choose_cert.clicked.connect(self._choose_certificate)
        self.folder = QLineEdit()
        self.folder.setObjectName("bundleFolder")
        self.folder.setPlaceholderText("Removable drive or shared folder")
        browse = QPushButton("Choose folder…")
        browse.setObjectName("bundleFolderButton")
        browse.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        encrypt_row = QHBoxLayout()
        encrypt_row.addWidget(self.encrypt_label, 1)
        encrypt_row.addWidget(choose_cert)
        form = QFormLayout()
        form.addRow("For:", self.recipient)
        form.addRow("Encryption:", encrypt_row)
        form.addRow("Save to:", folder_row)
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export signed bundle",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("bundleExportButton")
        self.buttons.accepted.connect(self._export_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(files)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(760, 640)
        self._load()

    def _load(self) -> None:
        found = self.ops.run(self, bundles.preview, self.ws, self.referral_id,
                             on_error=self._cannot_export)
        if not found.ok:
            return
        rows = found.value or []
        self.table.setRowCount(len(rows))
        for r, (section, field, value) in enumerate(rows):
            fill_row(self.table, r, [(section, None), (field, None), (value, None)])
        fit_columns(self.table)

    def _cannot_export(self, exc: UserError) -> bool:
        """Why this referral cannot leave (no current consent, say), told in the dialog."""
        self.error.show_exception(exc)
        self.export_button.setEnabled(False)
        return True

    def _choose_certificate(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Recipient's certificate", str(Path.home()),
            "Certificates (*.pem *.crt *.cer *.der)")  # fmt: skip
        if path:
            self.set_certificate(Path(path))

    def set_certificate(self, path: Path) -> None:
        try:
            self.certificate = path.read_bytes()
        except OSError:
            self.error.show_message(f"{path} cannot be read.")
            return
        self.encrypt_label.setText(f"Encrypted for the holder of {path.name}")

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Where to put the bundle",
                                                str(Path.home()))  # fmt: skip
        if path:
            self.folder.setText(path)

    def _export_clicked(self) -> None:  # a slot returns None (PySide6 and returned bools)
        self.export()

    def export(self) -> bool:
        """Start writing the bundle on a worker thread (it is signed, written, read back and
        checked, which takes a moment); the dialog closes when it is done. False if the
        folder is missing."""
        folder = self.folder.text().strip()
        if not folder:
            self.error.show_message("Choose the folder or drive to save the bundle to.")
            return False
        self.error.clear_message()
        referral_id, certificate = self.referral_id, self.certificate
        recipient = self.recipient.text().strip()
        self.ops.run_in_background(
            self, lambda: bundles.export_referral(self.ws, referral_id, Path(folder),
                                                  encrypt_to=certificate, recipient=recipient),
            busy="Writing the signed bundle…", on_done=self._exported,
            on_error=self.error.refused)
        return True

    def _exported(self, made: bundles.Exported) -> None:
        self.exported = made
        self.accept()


class OutboxDialog(QDialog):
    """Every bundle made here: where it went, its state, and recording what happened next."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None,
                 person_id: int | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self.person_id = person_id
        self.rows: list[bundles.OutboxEntry] = []
        self.setObjectName("outboxDialog")
        self.setWindowTitle("Outbox: signed bundles")
        self.table = read_only_table("outboxTable", ["Made", "Prison no.", "Type", "State",
                                                     "For", "File", "Where"])  # fmt: skip
        self.table.itemSelectionChanged.connect(self._selected)
        self.history = QLabel()
        self.history.setObjectName("outboxHistory")
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.PlainText)
        self.error = ErrorLabel()
        row, self.buttons = button_row("outbox", [
            (state, text, lambda s=state: self._ask_mark(s), True)
            for state, text in ((BundleState.UPLOADED, "Mark &uploaded…"),
                                (BundleState.ACKNOWLEDGED, "Mark &acknowledged…"),
                                (BundleState.WITHDRAWN, "&Withdraw…"))])  # fmt: skip
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.history)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.resize(1000, 560)
        self.watcher = ChangeWatcher(self, self.ops, (Kind.BUNDLES,), self._changed)
        self.load()

    def _changed(self, _changes: object) -> None:
        entry = self.current()
        self.load(entry.bundle_id if entry is not None else None)

    def load(self, select: str | None = None) -> None:
        found = self.ops.run(self, bundles.outbox, self.ws, self.person_id,
                             on_error=self.error.refused)
        if not found.ok:
            return
        self.rows = found.value or []
        self.table.setRowCount(len(self.rows))
        for r, e in enumerate(self.rows):
            kind = TYPE_LABELS.get(e.referral_type, e.referral_type.title())
            fill_row(self.table, r, [
                (_when(e.created_at), e.created_at), (e.prison_number, None), (kind, None),
                (bundles.STATES.get(e.state, e.state), None), (e.recipient, None),
                (e.file_name, None), (e.location, None)])  # fmt: skip
        fit_columns(self.table)
        index = next((i for i, e in enumerate(self.rows) if e.bundle_id == select), None)
        if index is not None:
            self.table.selectRow(index)
        self._selected()

    def current(self) -> bundles.OutboxEntry | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) and self.table.selectedItems() \
            else None  # fmt: skip

    def _selected(self) -> None:
        entry = self.current()
        can = self.ws.can(Permission.EXPORT)
        for state, button in self.buttons.items():
            button.setEnabled(can and entry is not None
                              and entry.state in bundles.MARKABLE[state])  # fmt: skip
        if entry is None:
            self.history.setText("Choose a bundle to see what happened to it.")
            return
        lines = [f"Bundle {entry.bundle_id} · SHA-256 {entry.sha256[:16]}… · {entry.size:,} bytes"
                 + (f" · encrypted for {entry.encrypted_to}" if entry.encrypted_to else "")]
        lines += [f"{_when(at)}  {bundles.STATES.get(state, state)} by {who}"
                  + (f": {note}" if note else "") for at, who, state, note in entry.events]
        self.history.setText("\n".join(lines))

    def _ask_mark(self, state: str) -> None:
        entry = self.current()
        if entry is None:
            return
        prompt = {BundleState.UPLOADED: "Where was it uploaded (optional)?",
                  BundleState.ACKNOWLEDGED: "Who acknowledged it (optional)?",
                  BundleState.WITHDRAWN: "Why is it withdrawn?"}[BundleState(state)]  # fmt: skip
        note, ok = QInputDialog.getText(self, bundles.STATES[BundleState(state)], prompt)
        if ok:
            self.mark(entry.bundle_id, state, note)

    def mark(self, bundle_id: str, state: str, note: str = "") -> bool:
        """Record what happened to a bundle; the list follows from the change events."""
        done = self.ops.run(self, bundles.mark, self.ws, bundle_id, state, note,
                            on_error=self.error.refused)
        if done.ok:
            self.error.clear_message()
        return done.ok


class SigningDialog(QDialog):
    """The team's signing certificate: give it to recipients, import, rotate."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self.setObjectName("signingDialog")
        self.setWindowTitle("Signing certificate")
        self.summary = QLabel()
        self.summary.setObjectName("signingSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = read_only_table("signingHistory", ["Since", "In use", "Source",
                                                        "Certificate", "Fingerprint (SHA-256)"])
        self.error = ErrorLabel()
        self.note = QLabel()
        self.note.setObjectName("signingNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()
        admin = ws.can(Permission.CHANGE_SETTINGS)
        row, self.buttons = button_row("signing", [
            ("export", "Save certificate…", self._save_certificate, True),
            ("guide", "Save recipient guide (PDF)…", self._save_guide, True),
            ("import", "Import organisation certificate…", self._import, admin),
            ("rotate", "Make a new key…", self._rotate, admin)])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.resize(900, 420)
        self.watcher = ChangeWatcher(self, self.ops, (Kind.SIGNING,), lambda _c: self.load())
        self.load()

    def load(self) -> None:
        made = self.ops.run(self, bundles.ensure_identity, self.ws, on_error=self.error.refused)
        if not made.ok:
            return
        found = self.ops.run(self, bundles.identities, self.ws, on_error=self.error.refused)
        if not found.ok:
            return
        views = found.value or []
        active = next((v for v in views if v.active), None)
        if active is not None:
            self.summary.setText(
                f"Bundles are signed with: {active.subject}\nSHA-256 fingerprint: "
                f"{active.fingerprint}\nValid until {active.not_after:%d/%m/%Y}. Give "
                "recipients this certificate (or its fingerprint) by a route other than the "
                "bundles themselves, so they can tell the bundles came from this team.")
        self.table.setRowCount(len(views))
        for r, v in enumerate(views):
            fill_row(self.table, r, [(_when(v.created_at), v.created_at),
                                     ("Yes" if v.active else "Retired", None),
                                     (v.source.title(), None), (v.subject, None),
                                     (v.fingerprint, None)])  # fmt: skip
        fit_columns(self.table)

    def _save_certificate(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, "Save the team's certificate",
                                               str(Path.home() / "resettle-team.pem"),
                                               "Certificates (*.pem)")  # fmt: skip
        if path:
            self.save_certificate(Path(path))

    def _saved(self, path: Path) -> None:
        self.error.clear_message()
        self.note.setText(f"Saved: {path}")
        self.note.show()

    def save_certificate(self, path: Path) -> bool:
        done = self.ops.run(self, bundles.export_certificate, self.ws, path,
                            on_error=self.error.refused)
        if done.ok:
            self._saved(path)
        return done.ok

    def _save_guide(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, "Save the recipient guide",
                                               str(Path.home() / "checking-our-bundles.pdf"),
                                               "PDF files (*.pdf)")  # fmt: skip
        if path:
            self.save_guide(Path(path))

    def save_guide(self, path: Path) -> None:
        """Write the guide PDF on a worker thread; "Saved: …" shows when it is on disk."""
        self.note.hide()
        self.ops.run_in_background(
            self, lambda: bundles.write_recipient_guide(self.ws, path),
            busy="Writing the recipient guide…", on_done=self._saved,
            on_error=self.error.refused)

    def _import(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, "Organisation certificate and key",
                                               str(Path.home()), "PKCS #12 (*.p12 *.pfx)")
        if not path:
            return
        password, ok = QInputDialog.getText(self, "Password", "The file's password:",
                                            QLineEdit.EchoMode.Password)  # fmt: skip
        if ok:
            self.import_file(Path(path), password)

    def import_file(self, path: Path, password: str) -> bool:
        try:
            data = path.read_bytes()
        except OSError:
            self.error.show_message(f"{path} cannot be read.")
            return False
        done = self.ops.run(self, bundles.import_pkcs12, self.ws, data, password,
                            on_error=self.error.refused)
        if done.ok:
            self.error.clear_message()
        return done.ok

    def _rotate(self) -> None:
        if confirm(self, "Make a new key", "Make a new signing key and certificate? Bundles "
                   "already sent still verify with the old certificate; give recipients the "
                   "new one."):  # fmt: skip
            self.rotate()

    def rotate(self) -> bool:
        done = self.ops.run(self, bundles.rotate, self.ws, on_error=self.error.refused)
        if done.ok:
            self.error.clear_message()
        return done.ok
