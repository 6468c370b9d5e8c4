"""Accounts on this workstation: an administrator adds, disables, enables, resets and re-roles.

Every change goes through app.services.users, which checks the rules (at least one active
administrator, passphrase strength, unique usernames) and writes the audit log. Sub-dialogs
are opened with open(), never exec(), and the one showing is kept in `sub_dialog`
(a confirmation box in `confirm_box`) so tests can reach it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.roles import ROLE_LABELS, ROLE_PERMISSIONS, Permission, Role
from app.services import users
from app.services.changes import Kind
from app.services.users import UserSummary
from app.services.workspace import Workspace
from ui.dialog_parts import (
    ErrorLabel,
    MatchHint,
    StrengthHint,
    fill_row,
    fit_columns,
    london_time,
    passphrase_edit,
    read_only_table,
)
from ui.ops import ChangeWatcher, ops_for

HEADERS = ["Username", "Name", "Role", "Active", "Must change passphrase", "Last unlock (UK)"]
COL_USERNAME, COL_NAME, COL_ROLE, COL_ACTIVE, COL_MUST_CHANGE, COL_LAST_UNLOCK = range(6)
USERNAME_ROLE = Qt.ItemDataRole.UserRole + 1

_PERMISSION_TEXT = {
    Permission.VIEW_PEOPLE: "see the caseload",
    Permission.EDIT_PEOPLE: "add and edit records",
    Permission.EXPORT: "export",
    Permission.IMPORT_PEOPLE: "import spreadsheets",
    Permission.BACKUP: "make and restore backups",
    Permission.VIEW_AUDIT: "read the audit log",
    Permission.CHANGE_SETTINGS: "change settings",
    Permission.MANAGE_USERS: "manage users",
}


def role_label(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return role


def role_description(role: Role) -> str:
    allowed = [text for perm, text in _PERMISSION_TEXT.items() if perm in ROLE_PERMISSIONS[role]]
    if len(allowed) == 1:
        return f"Can {allowed[0]} only."
    return "Can " + ", ".join(allowed[:-1]) + " and " + allowed[-1] + "."


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


class RoleCombo(QComboBox):
    """The roles by their labels; `currentData()` is the role's stored value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roleCombo")
        for role in Role:
            self.addItem(role.label, role.value)
            self.setItemData(self.count() - 1, role_description(role), Qt.ItemDataRole.ToolTipRole)

    def select_role(self, role: str) -> None:
        index = self.findData(role)
        if index >= 0:
            self.setCurrentIndex(index)

    @property
    def role(self) -> Role:
        return Role(self.currentData())


class _ActionDialog(QDialog):
    """A small form whose OK runs one service call; a refusal is shown inline and it stays open."""

    def __init__(self, ws: Workspace, parent: QWidget | None, ok_text: str) -> None:
        super().__init__(parent)
        self._ws = ws
        self.setMinimumWidth(540)
        self.intro_label = QLabel()
        self.intro_label.setObjectName("introLabel")
        self.intro_label.setWordWrap(True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error_label = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("okButton")
        self.ok_button.setText(ok_text)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancelButton")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addSpacing(4)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _check(self) -> str:
        """A problem to show before calling the service (e.g. confirmation differs), or ''."""
        return ""

    def _perform(self) -> None:
        raise NotImplementedError

    def _submit(self) -> None:
        problem = self._check()
        if problem:
            self.error_label.show_message(problem)
            return
        self.error_label.clear_message()
        # Hashing a passphrase takes a moment: a wait cursor, on the GUI thread so a refusal
        # is in the form as soon as OK is pressed.
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        done = ops_for(self._ws).run(self, self._perform, on_error=self.error_label.refused)
        QGuiApplication.restoreOverrideCursor()
        if done.ok:
            self.accept()


class _PassphraseFields:
    """A temporary passphrase, its confirmation and the live hints, added to a form."""

    def __init__(self, form: QFormLayout, username: Callable[[], str]) -> None:
        self.passphrase_edit = passphrase_edit("passphraseEdit")
        self.passphrase_edit.setToolTip(
            "Tell her this passphrase in person; she must change it at her first unlock."
        )
        self.confirm_edit = passphrase_edit("confirmEdit")
        self.strength_label = StrengthHint(self.passphrase_edit, username)
        self.match_label = MatchHint(self.passphrase_edit, self.confirm_edit)
        form.addRow("&Temporary passphrase:", self.passphrase_edit)
        form.addRow("", self.strength_label)
        form.addRow("Con&firm passphrase:", self.confirm_edit)
        form.addRow("", self.match_label)

    def problem(self) -> str:
        if not self.passphrase_edit.text():
            return "Enter a temporary passphrase."
        if not self.match_label.matches:
            return "The passphrase and its confirmation are different. Type them again."
        return ""


class AddUserDialog(_ActionDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent, "Add user")
        self.created_username = ""
        self.setObjectName("addUserDialog")
        self.setWindowTitle("Add a user")
        self.intro_label.setText(
            "She will unlock Resettle with this username and the temporary passphrase, and "
            "must then choose her own passphrase."
        )
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("usernameEdit")
        self.username_edit.setMaxLength(32)
        self.username_edit.setPlaceholderText("e.g. jsmith")
        self.username_edit.setToolTip(
            "2 to 32 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter."
        )
        self.display_name_edit = QLineEdit()
        self.display_name_edit.setObjectName("displayNameEdit")
        self.display_name_edit.setMaxLength(120)
        self.display_name_edit.setPlaceholderText("e.g. Jo Smith")
        self.role_combo = RoleCombo()
        self.role_combo.select_role(Role.RESETTLEMENT_WORKER.value)
        self.role_description = QLabel()
        self.role_description.setObjectName("roleDescription")
        self.role_description.setWordWrap(True)
        self.role_combo.currentIndexChanged.connect(
            lambda: self.role_description.setText(role_description(self.role_combo.role))
        )
        self.role_description.setText(role_description(self.role_combo.role))

        self.form.addRow("&Username:", self.username_edit)
        self.form.addRow("&Name:", self.display_name_edit)
        self.form.addRow("&Role:", self.role_combo)
        self.form.addRow("", self.role_description)
        self.fields = _PassphraseFields(self.form, lambda: self.username_edit.text().strip())
        self.username_edit.textChanged.connect(self.fields.strength_label.refresh)
        self.username_edit.setFocus()

    def _check(self) -> str:
        if not self.username_edit.text().strip():
            self.username_edit.setFocus()
            return "Enter a username."
        return self.fields.problem()

    def _perform(self) -> None:
        username = self.username_edit.text().strip().lower()
        users.add_user(
            self._ws,
            username,
            self.display_name_edit.text(),
            self.role_combo.currentData(),
            self.fields.passphrase_edit.text(),
        )
        self.created_username = username


class TemporaryPassphraseDialog(_ActionDialog):
    """Reset an active account's passphrase, or enable a disabled one with a new passphrase."""

    def __init__(
        self, ws: Workspace, user: UserSummary, *, enable: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(ws, parent, "Enable account" if enable else "Reset passphrase")
        self.user = user
        self.enable = enable
        self.setObjectName("temporaryPassphraseDialog")
        who = user.display_name or user.username
        if enable:
            self.setWindowTitle(f"Enable {user.username}")
            self.intro_label.setText(
                f"{who} will be able to unlock Resettle again with this temporary passphrase, "
                "and must then choose her own."
            )
        else:
            self.setWindowTitle(f"Reset the passphrase of {user.username}")
            self.intro_label.setText(
                f"{who}'s old passphrase will stop working. She unlocks with this temporary "
                "passphrase and must then choose her own."
            )
        self.fields = _PassphraseFields(self.form, lambda: user.username)
        self.fields.passphrase_edit.setFocus()

    def _check(self) -> str:
        return self.fields.problem()

    def _perform(self) -> None:
        temporary = self.fields.passphrase_edit.text()
        if self.enable:
            users.enable_user(self._ws, self.user.username, temporary)
        else:
            users.reset_passphrase(self._ws, self.user.username, temporary)


class ChangeRoleDialog(_ActionDialog):
    def __init__(self, ws: Workspace, user: UserSummary, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent, "Change role")
        self.user = user
        self.setObjectName("changeRoleDialog")
        self.setWindowTitle(f"Change the role of {user.username}")
        self.intro_label.setText(
            f"{user.display_name or user.username} is now {role_label(user.role)}. "
            "A new role takes effect at her next unlock."
        )
        self.role_combo = RoleCombo()
        self.role_combo.select_role(user.role)
        self.role_description = QLabel(role_description(self.role_combo.role))
        self.role_description.setObjectName("roleDescription")
        self.role_description.setWordWrap(True)
        self.role_combo.currentIndexChanged.connect(
            lambda: self.role_description.setText(role_description(self.role_combo.role))
        )
        self.form.addRow("&Role:", self.role_combo)
        self.form.addRow("", self.role_description)
        self.role_combo.currentIndexChanged.connect(self._update_button)
        self._update_button()
        self.role_combo.setFocus()

    def _update_button(self) -> None:
        self.ok_button.setEnabled(self.role_combo.currentData() != self.user.role)

    def _perform(self) -> None:
        users.set_role(self._ws, self.user.username, self.role_combo.currentData())


class UsersDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.users: list[UserSummary] = []
        self.sub_dialog: QDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.can_manage = ws.can(Permission.MANAGE_USERS)
        self.setObjectName("usersDialog")
        self.setWindowTitle("Users")
        self.setMinimumSize(980, 440)

        intro = QLabel(
            "Everyone who can unlock Resettle on this workstation. A disabled account cannot "
            "open the data, even with a copy of the files."
        )
        intro.setWordWrap(True)

        self.table = read_only_table("usersTable", HEADERS)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_USERNAME, Qt.SortOrder.AscendingOrder)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.change_role())

        def button(text: str, name: str, tip: str, slot: Callable[[], None]) -> QPushButton:
            widget = QPushButton(text)
            widget.setObjectName(name)
            widget.setToolTip(tip)
            widget.setAutoDefault(False)
            widget.clicked.connect(slot)
            return widget

        self.add_button = button(
            "&Add user…", "addUserButton", "Give someone an account", self.add_user
        )
        self.role_button = button(
            "Change &role…", "changeRoleButton", "Change what the selected user may do",
            self.change_role,
        )
        self.reset_button = button(
            "Reset &passphrase…", "resetPassphraseButton",
            "Give the selected user a temporary passphrase (for a forgotten one)",
            self.reset_passphrase,
        )
        self.disable_button = button(
            "&Disable…", "disableButton",
            "Stop the selected user unlocking Resettle; her records stay", self.disable_user,
        )
        self.enable_button = button(
            "&Enable…", "enableButton",
            "Let a disabled user unlock again, with a temporary passphrase", self.enable_user,
        )
        side = QVBoxLayout()
        for widget in (self.add_button, self.role_button, self.reset_button):
            side.addWidget(widget)
        side.addSpacing(12)
        side.addWidget(self.disable_button)
        side.addWidget(self.enable_button)
        side.addStretch(1)

        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addLayout(side)

        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeButton")
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)

        if self.can_manage:
            # The list follows the change events: an action here (or anywhere) re-reads it.
            self.watcher = ChangeWatcher(self, ops_for(ws), (Kind.USERS,),
                                         lambda _c: self.refresh())
            self.refresh()
        else:
            self.status_label.setText(
                "Your role cannot manage users. Ask an administrator if you need to."
            )
        self._update_buttons()
        self.table.setFocus()

    # --- the list ----------------------------------------------------------------------
    def refresh(self, select: str = "") -> None:
        selected = select or (self.selected_user().username if self.selected_user() else "")
        found = ops_for(self._ws).run(self, users.list_users, self._ws)
        if not found.ok:
            return
        self.users = found.value or []
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            fill_row(
                self.table,
                row,
                [
                    (user.username, None),
                    (user.display_name, None),
                    (role_label(user.role), None),
                    (_yes_no(user.active), None),
                    (_yes_no(user.must_change_passphrase), None),
                    (
                        london_time(user.last_unlock_at, never="Never"),
                        user.last_unlock_at.timestamp() if user.last_unlock_at else 0.0,
                    ),
                ],
            )
            self.table.item(row, COL_USERNAME).setData(USERNAME_ROLE, user.username)
            if not user.active:
                for column in range(len(HEADERS)):
                    item = self.table.item(row, column)
                    item.setForeground(self.palette().placeholderText())
                    item.setToolTip("Disabled: cannot unlock Resettle")
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        fit_columns(self.table)
        if selected:
            self.select_user(selected)
        self._update_buttons()

    def select_user(self, username: str) -> bool:
        for row in range(self.table.rowCount()):
            if self.table.item(row, COL_USERNAME).data(USERNAME_ROLE) == username:
                self.table.selectRow(row)
                self.table.setCurrentCell(row, COL_USERNAME)
                return True
        return False

    def selected_user(self) -> UserSummary | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        username = self.table.item(rows[0].row(), COL_USERNAME).data(USERNAME_ROLE)
        return next((u for u in self.users if u.username == username), None)

    def _update_buttons(self) -> None:
        user = self.selected_user() if self.can_manage else None
        self.add_button.setEnabled(self.can_manage)
        self.role_button.setEnabled(user is not None)
        self.reset_button.setEnabled(user is not None and user.active)
        self.disable_button.setEnabled(user is not None and user.active)
        self.enable_button.setEnabled(user is not None and not user.active)

    # --- actions -----------------------------------------------------------------------
    def _open(self, dialog: QDialog, done: Callable[[], None]) -> None:
        if self.sub_dialog is not None:
            self.sub_dialog.deleteLater()
        self.sub_dialog = dialog

        def finished(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                done()
            self.table.setFocus()

        dialog.finished.connect(finished)
        dialog.open()

    def add_user(self) -> None:
        dialog = AddUserDialog(self._ws, self)

        def done() -> None:
            name = dialog.created_username
            self.select_user(name)
            self.status_label.setText(
                f"Added {name}. Tell her the temporary passphrase in person; she must change "
                "it at her first unlock."
            )

        self._open(dialog, done)

    def change_role(self) -> None:
        user = self.selected_user()
        if user is None or not self.can_manage:
            return
        dialog = ChangeRoleDialog(self._ws, user, self)

        def done() -> None:
            self.select_user(user.username)
            self.status_label.setText(
                f"{user.username} is now {role_label(dialog.role_combo.currentData())}."
            )

        self._open(dialog, done)

    def reset_passphrase(self) -> None:
        user = self.selected_user()
        if user is None or not user.active:
            return
        dialog = TemporaryPassphraseDialog(self._ws, user, enable=False, parent=self)

        def done() -> None:
            self.select_user(user.username)
            self.status_label.setText(
                f"{user.username} has a temporary passphrase and must change it at her next "
                "unlock."
            )

        self._open(dialog, done)

    def enable_user(self) -> None:
        user = self.selected_user()
        if user is None or user.active:
            return
        dialog = TemporaryPassphraseDialog(self._ws, user, enable=True, parent=self)

        def done() -> None:
            self.select_user(user.username)
            self.status_label.setText(
                f"{user.username} is enabled and must change the temporary passphrase at her "
                "next unlock."
            )

        self._open(dialog, done)

    def disable_user(self) -> None:
        user = self.selected_user()
        if user is None or not user.active:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Disable account",
            f"Disable {user.username} ({user.display_name})? She will no longer be able to "
            "unlock Resettle. Her past work and the audit log stay. You can enable the account "
            "again later with a new temporary passphrase.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("confirmDisableBox")
        yes = box.addButton("Disable", QMessageBox.ButtonRole.AcceptRole)
        yes.setObjectName("confirmButton")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if self.confirm_box is not None:
            self.confirm_box.deleteLater()
        self.confirm_box = box

        def finished(_result: int) -> None:
            if box.clickedButton() is not yes:
                return
            if not ops_for(self._ws).run(self, users.disable_user, self._ws, user.username).ok:
                return
            self.select_user(user.username)
            self.status_label.setText(f"{user.username} is disabled and cannot unlock Resettle.")

        box.finished.connect(finished)
        box.open()
