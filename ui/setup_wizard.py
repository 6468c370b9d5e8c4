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

from app.errors import UserError
from app.services import vault
from ui.passphrase_fields import NewPassphraseFields


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
        if self.recovery_key:
            return True  # already created; going Back and Next again must not re-create
        self.setCursor(Qt.CursorShape.WaitCursor)
        try:
            self.recovery_key = vault.initialise(
                self.data_dir,
                str(self.field("establishment")),
                self.username.text(),
                self.passphrase.value(),
                display_name=self.display_name.text(),
            )
            self._make_signing_key()
        except UserError as exc:
            self.message.setText(str(exc))
            return False
        finally:
            self.unsetCursor()
        return True


    def _make_signing_key(self) -> None:
        """The team's signing certificate is made at set-up, so its fingerprint can be given
        to recipients before the first bundle is sent (app.services.bundles)."""
        from app.services import bundles

        ws = vault.unlock(self.data_dir, self.username.text(), self.passphrase.value())
        try:
            bundles.ensure_identity(ws)
        finally:
            ws.lock()


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

    def credentials(self) -> tuple[str, str]:
        return self.admin_page.username.text().strip().lower(), self.admin_page.passphrase.value()
