"""The main window composes the caseload and the record view; dialogs do the rest.

It holds personal data only in its models and views; `clear()` empties them at lock, and the
controller then deletes the whole window with its dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QSplitter, QTabWidget, QWidget

from app import __version__
from app.domain.roles import Permission
from app.domain.timezone import today_london
from app.errors import UserError
from app.services import people, settings
from app.services.changes import Changes, Kind
from app.services.people import PersonRecord
from app.services.workspace import Workspace
from ui import keyboard, window_layout
from ui.caseload_view import CaseloadView
from ui.induction_view import InductionView
from ui.messages import show_error
from ui.ops import ChangeWatcher, ops_for
from ui.person_dialog import PersonDialog
from ui.person_view import PersonView
from ui.plan_panel import PlanPanel
from ui.planning_board import PlanningBoard
from ui.referrals_panel import ReferralsPanel
from ui.release_day_panel import ReleaseDayPanel
from ui.release_list_view import ReleaseListView
from ui.screening_panel import ScreeningPanel
from ui.sheets_panel import SheetsPanel

SELECTION_SETTLE_MS = 250
BOARD_DELAY_MS = 300


class MainWindow(QMainWindow):
    lock_requested = Signal()
    settings_changed = Signal()

    def __init__(self, ws: Workspace, today: Callable[[], date] = today_london,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self._today = today
        self._record: PersonRecord | None = None
        self.setObjectName("mainWindow")
        title = f"Resettle — {settings.establishment(ws)}"
        if settings.is_demo(ws):
            title += " — DEMO, fictional data"
        self.setWindowTitle(title)

        self.caseload = CaseloadView(today, ws=ws)
        self.induction = InductionView(ws=ws)
        self.lists = QTabWidget()
        self.lists.setObjectName("listTabs")
        self.lists.setDocumentMode(True)
        self.lists.addTab(self.caseload, "Caseload")
        self.lists.addTab(self.induction, "Induction")
        self.board = PlanningBoard(ws)
        self.lists.addTab(self.board, "Planning")
        self.releases = ReleaseListView(ws)
        self.lists.addTab(self.releases, "Release && follow-up")  # && shows one &
        self._board_loaded = False
        self.lists.currentChanged.connect(self._on_list_tab)
        self.screening = ScreeningPanel(ws)
        self.plan = PlanPanel(ws)
        self.referrals = ReferralsPanel(ws)
        self.release_day = ReleaseDayPanel(ws)
        self.sheets = SheetsPanel(ws)
        self.person = PersonView({"Screening": self.screening, "Plan": self.plan,
                                  "Release day": self.release_day, "Sheets": self.sheets,
                                  "Referrals": self.referrals})
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.lists)
        splitter.addWidget(self.person)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setContentsMargins(6, 6, 6, 0)
        self.setCentralWidget(splitter)
        self.splitter = splitter

        self._pending_person: int | None = None
        self._open_timer = QTimer(self)
        self._open_timer.setSingleShot(True)
        self._open_timer.setInterval(SELECTION_SETTLE_MS)
        self._open_timer.timeout.connect(self._open_pending)
        self.caseload.current_person_changed.connect(self._on_current)
        self.caseload.person_activated.connect(self.open_person)
        self.caseload.shown_changed.connect(self._on_shown)
        self.induction.current_person_changed.connect(self._on_current)
        self.induction.person_activated.connect(self._open_for_screening)
        self.board.current_person_changed.connect(self._on_current)
        self.board.person_activated.connect(self._open_for_plan)
        self.releases.person_activated.connect(self._open_for_release_day)
        self.person.edit_requested.connect(self.edit_person)
        self._watch_changes()

        self.shown_label = QLabel()
        self.shown_label.setObjectName("shownLabel")
        self.statusBar().addPermanentWidget(self.shown_label)
        role = ws.user.role.replace("_", " ")
        self.statusBar().showMessage(f"Signed in as {ws.user.display_name} ({role})")
        self._build_actions()
        self._load_caseload()
        self.caseload.search.setFocus()
        # Once the caseload is on screen, load the induction queue and the board too, so their
        # tabs say what is overdue or late (nobody slips past a deadline unseen).
        self._lists_loaded = False
        self._lists_timer = QTimer(self)
        self._lists_timer.setSingleShot(True)
        self._lists_timer.setInterval(BOARD_DELAY_MS)
        self._lists_timer.timeout.connect(self._load_other_lists)
        self._lists_timer.start()
        self._arrange_for_keyboard_and_screen()

    def _arrange_for_keyboard_and_screen(self) -> None:
        """Shortcuts and table focus rules (ui.keyboard); size and split (ui.window_layout)."""
        self.keys = keyboard.install(self)
        self.splitter_memory = window_layout.arrange(self, self.ws, self.splitter)

    # --- actions -------------------------------------------------------------------------
    def _action(self, text: str, slot: Callable[[], object], shortcut: str | None = None,
                permission: Permission | None = None, name: str = "") -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))

        def run(_checked: bool = False) -> None:
            # A slot must return None: PySide6 mishandles a returned bool (refcount abort).
            slot()

        action.triggered.connect(run)
        if permission is not None:
            action.setEnabled(self.ws.can(permission))
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("&New person…", self.new_person, "Ctrl+N",
                                       Permission.EDIT_PEOPLE, "newPersonAction")
        self.import_action = self._action("&Import caseload CSV…", self.import_csv, None,
                                          Permission.IMPORT_PEOPLE, "importAction")
        self.transfer_action = self._action("&Transfer out…", self.transfer_out, None,
                                            Permission.EDIT_PEOPLE, "transferAction")
        self.find_action = self._action("&Find", self._focus_search, "Ctrl+F", name="findAction")
        self.lock_action = self._action("&Lock", self.lock_requested.emit, "Ctrl+L",
                                        name="lockAction")
        self.users_action = self._action("&Users…", self.manage_users, None,
                                         Permission.MANAGE_USERS, "usersAction")
        self.audit_action = self._action("&Audit log…", self.show_audit, None,
                                         Permission.VIEW_AUDIT, "auditAction")
        self.outcomes_action = self._action("Accommodation &outcomes report…", self.show_outcomes,
                                            None, Permission.VIEW_AUDIT, "outcomesAction")
        self.closures_action = self._action("&Closure days…", self.show_closures, None,
                                            Permission.CHANGE_SETTINGS, "closuresAction")
        self.directory_action = self._action("Service &directory…", self.show_directory, None,
                                             Permission.VIEW_PEOPLE, "directoryAction")
        self.receive_transfer_action = self._action(
            "Receive a &transfer bundle…", self.receive_transfer, None, Permission.EDIT_PEOPLE,
            "receiveTransferAction")
        self.send_transfer_action = self._action(
            "Send her record as a transfer &bundle…", self.send_transfer, None,
            Permission.EXPORT, "sendTransferAction")
        self.outbox_action = self._action("Signed bundles &outbox…", self.show_outbox, None,
                                          Permission.VIEW_PEOPLE, "outboxAction")
        self.signing_action = self._action("Si&gning certificate…", self.show_signing, None,
                                           Permission.VIEW_PEOPLE, "signingAction")
        self.settings_action = self._action("&Settings…", self.show_settings, None,
                                            Permission.CHANGE_SETTINGS, "settingsAction")
        self.passphrase_action = self._action("&Change my passphrase…", self.change_passphrase,
                                              name="passphraseAction")
        self.refresh_action = self._action("&Refresh", self.reload, "F5", name="refreshAction")
        quit_action = self._action("&Quit", self.close, "Ctrl+Q", name="quitAction")
        about = self._action("&About Resettle", self.about, name="aboutAction")

        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for a in (self.import_action, self.receive_transfer_action, self.refresh_action,
                  self.lock_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        person_menu = bar.addMenu("&Person")
        person_menu.addAction(self.new_action)
        person_menu.addAction(self.find_action)
        person_menu.addAction(self.transfer_action)
        person_menu.addAction(self.send_transfer_action)
        person_menu.addAction(self.outbox_action)
        admin = bar.addMenu("&Administration")
        for a in (self.users_action, self.audit_action, self.outcomes_action,
                  self.closures_action, self.directory_action, self.signing_action,
                  self.settings_action):
            admin.addAction(a)
        account = bar.addMenu("&Account")
        account.addAction(self.passphrase_action)
        account.addAction(self.lock_action)
        bar.addMenu("&Help").addAction(about)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (self.new_action, self.import_action):
            toolbar.addAction(a)
        toolbar.addSeparator()
        for a in (self.users_action, self.audit_action):
            toolbar.addAction(a)
        toolbar.addSeparator()
        toolbar.addAction(self.lock_action)

    # --- data ----------------------------------------------------------------------------
    def _watch_changes(self) -> None:
        """The lists, the record and its tabs each follow the change events themselves; the
        window only keeps the lists' tab titles (their counts) and her header in step."""
        for view in (self.induction, self.board, self.releases):
            view.title_changed.connect(
                lambda title, shown=view: self.lists.setTabText(self.lists.indexOf(shown), title))
        ops = self.ops
        everyone = (Kind.PEOPLE, Kind.OUTCOMES, Kind.TRANSFERS)
        self.watchers = [
            # Her header and details, and her history when it is on screen.
            ChangeWatcher(self.person, ops, everyone, self._refresh_record,
                          person=lambda: self.person.person_id),
            ChangeWatcher(self.person.history, ops, tuple(Kind), self._refresh_history,
                          person=lambda: self.person.person_id),
        ]

    def reload(self) -> None:
        """F5: read everything again (nothing should need it, but a user may want to be sure)."""
        self.ops.bus.changed.emit(Changes.everything())

    def _refresh_record(self, _changes: Changes) -> None:
        """Her header, details and history after a change to her (not audited as a new look)."""
        if self._record is None:
            return
        done = self.ops.run(self, people.reread_person, self.ws, self._record.id)
        if not done.ok:
            return
        if done.value is None:  # she is no longer here
            self._close_record()
            return
        self._record = done.value
        self.person.show_record(done.value, None, self._today(),
                                self.ws.can(Permission.EDIT_PEOPLE))

    def _refresh_history(self, _changes: Changes) -> None:
        if self._record is not None:
            done = self.ops.run(self, people.history, self.ws, self._record.id)
            if done.ok and done.value is not None:
                self.person.show_history(done.value)

    def _close_record(self) -> None:
        self._record = None
        for panel in (self.screening, self.plan, self.referrals, self.release_day, self.sheets,
                      self.person):
            panel.clear()

    def _load_caseload(self) -> bool:
        return self.caseload.load()

    def _load_other_lists(self) -> None:
        self._lists_timer.stop()
        if self.ws.locked or self._lists_loaded:
            return
        self._lists_loaded = True
        self.induction.load()
        self._load_board()
        self.releases.load()

    def _on_list_tab(self, index: int) -> None:
        if self.lists.widget(index) is self.board and not self._board_loaded:
            self._load_board()

    def _load_board(self) -> None:
        self._board_loaded = True
        self.board.load()

    def _open_for_release_day(self, person_id: int) -> None:
        self.open_person(person_id)
        self.person.show_tab("Release day")

    def _open_for_plan(self, person_id: int) -> None:
        self.open_person(person_id)
        self.person.show_tab("Plan")

    def _open_for_screening(self, person_id: int) -> None:
        self.open_person(person_id)
        self.person.show_tab("Screening")

    def _on_shown(self, shown: int, total: int) -> None:
        self.shown_label.setText(f"Showing {shown:,} of {total:,}")

    def _on_current(self, person_id: int | None) -> None:
        """Selection follows the keyboard and the filter: open the record once it settles, so
        typing stays fast and the audit log is not filled with records glanced past."""
        self._pending_person = person_id
        if person_id is not None:
            self._open_timer.start()

    def _open_pending(self) -> None:
        if self._pending_person is not None:
            self.open_person(self._pending_person)

    def open_person(self, person_id: int, refresh: bool = False) -> None:
        """Show her record; each opening is audited once, so re-selecting her is a no-op."""
        if person_id == self.person.person_id and not refresh:
            return
        done = self.ops.run(self, people.get_person, self.ws, person_id)
        if not done.ok or done.value is None:
            return
        record = self._record = done.value
        history = self.ops.run(self, people.history, self.ws, person_id)
        self.person.show_record(record, history.value or [], self._today(),
                                self.ws.can(Permission.EDIT_PEOPLE))
        self.screening.show_person(record.id, record.draft)
        self.plan.show_person(record.id, record.draft)
        self.referrals.show_person(record.id, record.draft)
        self.release_day.show_person(record.id, record.draft)
        self.sheets.show_person(record.id, record.draft)

    def new_person(self) -> None:
        dialog = PersonDialog(self.ws, self)
        dialog.accepted.connect(lambda: self._after_save(dialog.saved_id))
        dialog.open()

    def edit_person(self, person_id: int) -> None:
        done = self.ops.run(self, people.reread_person, self.ws, person_id)
        if not done.ok or done.value is None:
            return
        dialog = PersonDialog(self.ws, self, done.value)
        dialog.accepted.connect(lambda: self._after_edit(dialog))
        dialog.open()

    def _after_edit(self, dialog: PersonDialog) -> None:
        self._after_save(dialog.saved_id)
        if dialog.moved:
            box = QMessageBox(QMessageBox.Icon.Information, "Release date changed",
                              "Her release date changed, so these due dates moved:\n\n"
                              + "\n".join(f"• {line}" for line in dialog.moved),
                              QMessageBox.StandardButton.Ok, self)
            box.setObjectName("replanBox")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def _after_save(self, person_id: int | None) -> None:
        """The lists already show the change; bring her into view and open her record."""
        if person_id is not None:
            self.caseload.select_person(person_id, clear_filters_if_hidden=True)
            self.open_person(person_id)

    # --- dialogs built elsewhere ---------------------------------------------------------
    def import_csv(self) -> None:
        from ui.import_dialog import ImportDialog

        ImportDialog(self.ws, self).open()

    def manage_users(self) -> None:
        from ui.users_dialog import UsersDialog

        UsersDialog(self.ws, self).open()

    def show_audit(self) -> None:
        from ui.audit_dialog import AuditDialog

        AuditDialog(self.ws, self).open()

    def transfer_out(self) -> None:
        from ui.transfer_dialog import TransferDialog

        person_id = self.person.person_id
        if person_id is None:
            show_error(self, UserError("Open the woman's record first."))
            return
        assert self._record is not None
        TransferDialog(self.ws, person_id, self._record.draft, self).open()

    def show_outcomes(self) -> None:
        from ui.outcomes_dialog import OutcomesDialog

        OutcomesDialog(self.ws, self).open()

    def show_closures(self) -> None:
        from ui.closures_dialog import ClosuresDialog

        ClosuresDialog(self.ws, self).open()

    def show_directory(self) -> None:
        from ui.directory_dialog import DirectoryDialog

        dialog = DirectoryDialog(self.ws, self)
        self.directory_dialog = dialog
        dialog.open()

    def receive_transfer(self) -> None:
        from ui.transfer_bundle_dialogs import ImportTransferDialog

        dialog = ImportTransferDialog(self.ws, self)
        dialog.accepted.connect(lambda: self._received(dialog.person_id))
        self.transfer_dialog = dialog
        dialog.open()

    def _received(self, person_id: int | None) -> None:
        if person_id is not None:
            self.open_person(person_id, refresh=True)

    def send_transfer(self) -> None:
        from ui.transfer_bundle_dialogs import ExportTransferDialog

        person_id = self.person.person_id
        if person_id is None:
            show_error(self, UserError("Open her record first."))
            return
        self.transfer_dialog = ExportTransferDialog(self.ws, person_id, self)
        self.transfer_dialog.open()

    def show_outbox(self) -> None:
        from ui.bundle_dialogs import OutboxDialog

        self.outbox_dialog = OutboxDialog(self.ws, self)
        self.outbox_dialog.open()

    def show_signing(self) -> None:
        from ui.bundle_dialogs import SigningDialog

        self.signing_dialog = SigningDialog(self.ws, self)
        self.signing_dialog.open()

    def show_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ws, self)
        dialog.accepted.connect(self.settings_changed)
        dialog.open()

    def change_passphrase(self, forced: bool = False) -> None:
        from ui.passphrase_dialog import ChangePassphraseDialog

        ChangePassphraseDialog(self.ws, self, forced=forced).open()

    def about(self) -> None:
        QMessageBox.about(
            self, "About Resettle",
            f"<b>Resettle {__version__}</b><p>Offline resettlement planning for women's prisons "
            "in England and Wales. Data stays encrypted on this computer.</p>",
        )

    def _focus_search(self) -> None:
        """Ctrl+F: one find for everyone, so it brings the caseload forward first."""
        self.lists.setCurrentWidget(self.caseload)
        self.caseload.search.setFocus()
        self.caseload.search.selectAll()

    # --- lock ----------------------------------------------------------------------------
    def clear(self) -> None:
        """Empty every view that holds personal data and close open dialogs."""
        self._open_timer.stop()
        self._lists_timer.stop()
        self._pending_person = None
        # Listed first: a dialog saving its draft as it closes refreshes views, which may
        # delete some of their own children.
        for child in [c for c in self.findChildren(QWidget) if c.isWindow() and c is not self]:
            if shiboken6.isValid(child):
                child.close()
        self._record = None
        for watcher in self.findChildren(ChangeWatcher):
            watcher.pending = None
        self.caseload.clear()
        self.induction.clear()
        self.board.clear()
        self.releases.clear()
        self.screening.clear()
        self.plan.clear()
        self.referrals.clear()
        self.release_day.clear()
        self.sheets.clear()
        self.person.clear()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """Back at the window: show what the command line (or another window) changed."""
        if (event.type() == QEvent.Type.ActivationChange and self.isActiveWindow()
                and not self.ws.locked):
            self.ops.run(self, self.ws.check_external_changes)
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.clear()
        super().closeEvent(event)
