"""First run: name the establishment, create the first administrator, keep the recovery key.

The database is created when the administrator page is accepted; the last page shows the
recovery key exactly once and cannot be finished until the user confirms she has kept it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.services import vault
from app.services.workspace import Workspace
from ui.messages import plain_message
from ui.passphrase_fields import NewPassphraseFields
from ui.threads import Job, run_in_thread


class EstablishmentPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Welcome to Resettle")
        self.setSubTitle(
            "Resettle keeps your team's caseload in an encrypted file on this computer. "
            "First, which establishment is this?"
        )
        self.name = QLineEdit()
        self.name.setObjectName("establishmentEdit")
        self.name.setPlaceholderText("e.g. HMP & YOI Bronzefield")
        form = QFormLayout(self)
        form.addRow("Establishment:", self.name)
        self.registerField("establishment*", self.name)


class AdministratorPage(QWizardPage):
    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.recovery_key = ""
        self.working = False
        self._job: Job | None = None
        # Opened at set-up and handed to the window at Finish: no second key derivation.
        self.workspace: Workspace | None = None
        self.setTitle("The first administrator")
        self.setSubTitle(
            "This account adds the rest of the team. Choose a passphrase you will remember: "
            "a few unrelated words is strong and easy to type."
        )
        self.username = QLineEdit()
        self.username.setObjectName("adminUsernameEdit")
        self.username.setPlaceholderText("lower case, e.g. jsmith")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("adminNameEdit")
        self.passphrase = NewPassphraseFields(self.username)
        self.message = QLabel()
        self.message.setObjectName("adminMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Username:", self.username)
        form.addRow("Full name:", self.display_name)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.message)
        self.registerField("adminUsername*", self.username)
        self.passphrase.changed.connect(self.completeChanged)

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.username.text().strip()) and self.passphrase.acceptable()

    def validatePage(self) -> bool:  # noqa: N802
        """Next starts the set-up on a worker thread (key derivation, the database, the signing
        key take seconds) and moves on by itself when it is done: the window never freezes."""
        if self.recovery_key:
            return True  # already created; going Back and Next again must not re-create
        if self.working:
            return False
        self.working = True
        self.message.setStyleSheet("")
        self.message.setText("Creating the encrypted database and the team's signing key…")
        self.setEnabled(False)
        wizard = self.wizard()
        for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.BackButton):
            wizard.button(which).setEnabled(False)
        self._job = run_in_thread(self._set_up, self._set_up_done, self._set_up_failed)
        return False

    def _set_up(self) -> tuple[str, Workspace]:
        data = (str(self.field("establishment")), self.username.text(), self.passphrase.value(),
                self.display_name.text())
        key = vault.initialise(self.data_dir, data[0], data[1], data[2], display_name=data[3])
        ws = vault.unlock(self.data_dir, data[1], data[2])
        try:
            # The team's signing certificate is made at set-up, so its fingerprint can be
            # given to recipients before the first bundle is sent (app.services.bundles).
            from app.services import bundles

            bundles.ensure_identity(ws)
        except BaseException:
            ws.lock()
            raise
        return key, ws

    def _set_up_done(self, made: tuple[str, Workspace]) -> None:
        self.recovery_key, self.workspace = made
        self.working = False
        self.setEnabled(True)
        self.message.clear()
        self.wizard().next()

    def _set_up_failed(self, exc: Exception) -> None:
        self.working = False
        self.setEnabled(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(plain_message(exc))
        self.wizard().button(QWizard.WizardButton.BackButton).setEnabled(True)
        self.completeChanged.emit()


class RecoveryKeyPage(QWizardPage):
    def __init__(self, admin_page: AdministratorPage) -> None:
        super().__init__()
        self.admin_page = admin_page
        self.setTitle("Your recovery key")
        self.setSubTitle(
            "If every passphrase is forgotten, this key is the only way back into the data. "
            "It is shown only now. Print it or write it down and lock it away."
        )
        self.key = QLabel()
        self.key.setObjectName("recoveryKeyLabel")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(15)
        self.key.setFont(font)
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key.setStyleSheet("padding: 14px; border: 1px dashed palette(mid);")
        self.print_button = QPushButton("Print…")
        self.print_button.setObjectName("printRecoveryButton")
        self.print_button.clicked.connect(self.print_key)
        self.confirm = QCheckBox(
            "I have printed or written down the recovery key and will keep it safe."
        )
        self.confirm.setObjectName("recoveryConfirm")
        layout = QVBoxLayout(self)
        layout.addWidget(self.key)
        layout.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        layout.addWidget(self.confirm)
        self.registerField("recoveryConfirmed*", self.confirm)

    def initializePage(self) -> None:  # noqa: N802
        self.key.setText(self.admin_page.recovery_key)

    def document(self) -> QTextDocument:
        establishment = str(self.field("establishment"))
        doc = QTextDocument()
        doc.setHtml(
            f"<h2>Resettle recovery key</h2><p>{establishment}</p>"
            f"<p style='font-family: monospace; font-size: 18pt'>{self.admin_page.recovery_key}</p>"
            "<p>Keep this sheet locked away. With it, anyone holding a copy of the database "
            "can set a new passphrase for any user.</p>"
        )
        return doc

    def print_key(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.document().print_(printer)


class SetupWizard(QWizard):
    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set up Resettle")
        self.setObjectName("setupWizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.establishment_page = EstablishmentPage()
        self.admin_page = AdministratorPage(data_dir)
        self.recovery_page = RecoveryKeyPage(self.admin_page)
        self.addPage(self.establishment_page)
        self.addPage(self.admin_page)
        self.addPage(self.recovery_page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(640, 480)

    def opened_workspace(self) -> Workspace | None:
        """The workspace set-up opened, handed over once (None if set-up did not finish)."""
        ws, self.admin_page.workspace = self.admin_page.workspace, None
        return ws

    def reject(self) -> None:
        ws = self.opened_workspace()
        if ws is not None:
            ws.lock()
        super().reject()

    def credentials(self) -> tuple[str, str]:
        return self.admin_page.username.text().strip().lower(), self.admin_page.passphrase.value()
