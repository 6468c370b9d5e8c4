"""The Screening tab: BCST1 and BCST2 with their deadlines, the needs they raised, the summary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import NeedReview, NeedStatus, ScreeningKind
from app.domain.needs_rules import NEED_STATUS_LABELS, OWNER_LABELS, OWNERS
from app.domain.person import PersonDraft
from app.domain.questionnaire import PATHWAY_LABELS
from app.domain.roles import Permission
from app.domain.screening_deadlines import countdown, deadlines
from app.domain.timezone import now_utc, to_london
from app.errors import UserError
from app.services import needs, screening, summary
from app.services.calendar import WorkingCalendar, working_calendar
from app.services.changes import Kind
from app.services.needs import NeedView
from app.services.screening import COMPLETED, DRAFT, SKIP_REASONS, SKIPPED, ScreeningState
from app.services.workspace import Workspace
from ui.dialog_parts import ErrorLabel
from ui.ops import follow_her, ops_for
from ui.questionnaire_dialog import QuestionnaireDialog

STATUS_LABELS = NEED_STATUS_LABELS


class _TextDialog(QDialog):
    """A small non-blocking prompt: one line of text (and optionally an owner).

    With `submit`, OK runs it and the prompt closes only when it succeeds; otherwise it stays
    open with the message under the field, so what was typed is not lost.
    """

    def __init__(self, title: str, label: str, text: str, parent: QWidget,
                 owner: str | None = None, submit: Callable[[], bool] | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle(title)
        self.edit = QLineEdit(text)
        self.edit.setObjectName("promptEdit")
        self.edit.setMinimumWidth(420)
        self.owner = QComboBox()
        self.owner.setObjectName("ownerCombo")
        for code in OWNERS:
            self.owner.addItem(OWNER_LABELS[code], code)
        self.error = ErrorLabel()
        self.error.setObjectName("promptError")
        form = QFormLayout()
        form.addRow(label, self.edit)
        form.addRow("", self.error)  # beside the field it is about
        if owner is not None:
            self.owner.setCurrentIndex(self.owner.findData(owner))
            form.addRow("Owner:", self.owner)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._ok if submit is not None else self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _ok(self) -> None:
        assert self._submit is not None
        if self._submit():
            self.accept()


class ScreeningPanel(QWidget):
    """Her screenings and needs. Actions go through the operation runner; the panel does not
    reload itself, nor tell the lists: the change events re-show her (during the service call,
    so a handler reads nothing it took before the call once it has returned) and refresh the
    queues that show her."""

    # The kinds of record this tab shows: a change to her in any of them re-shows her.
    WATCHES = (Kind.PEOPLE, Kind.SCREENING, Kind.NEEDS)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self.person_id: int | None = None
        self.person: PersonDraft | None = None
        self.watcher = follow_her(self, ws, self.WATCHES)
        self.states: dict[str, ScreeningState] = {}
        self.need_rows: list[NeedView] = []
        self._chosen_need_id: int | None = None
        self.dialog: QuestionnaireDialog | None = None
        self.prompt: _TextDialog | None = None
        self.file_dialog: QFileDialog | None = None
        can_edit = ws.can(Permission.EDIT_PEOPLE)

        forms = QGroupBox("Induction screening")
        grid = QGridLayout(forms)
        self.status_labels: dict[str, QLabel] = {}
        self.open_buttons: dict[str, QPushButton] = {}
        self.skip_boxes: dict[str, QComboBox] = {}
        for line, kind in enumerate(screening.KINDS):
            title = QLabel(f"<b>{kind}</b>")
            status = QLabel()
            status.setObjectName(f"{kind}Status")
            status.setWordWrap(True)
            button = QPushButton()
            button.setObjectName(f"{kind}Button")
            button.clicked.connect(lambda _c=False, k=kind: self.open_form(k))
            skip = QComboBox()
            skip.setObjectName(f"{kind}Skip")
            skip.addItem("Not needed…", None)
            skip.setToolTip("Close this screening without doing it here, with the reason")
            skip.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            skip.setMinimumContentsLength(12)
            for code, label in SKIP_REASONS.items():
                skip.addItem(label, code)
            skip.setEnabled(can_edit)
            skip.activated.connect(lambda index, k=kind: self._skip(k, index))
            self.status_labels[kind], self.open_buttons[kind], self.skip_boxes[kind] = (
                status, button, skip)
            grid.addWidget(title, line, 0)
            grid.addWidget(status, line, 1)
            grid.addWidget(button, line, 2)
            grid.addWidget(skip, line, 3)
        grid.setColumnStretch(1, 1)
        self.print_button = QPushButton("Print summary (PDF)…")
        self.print_button.setObjectName("printSummaryButton")
        self.print_button.clicked.connect(self.choose_summary_file)
        grid.addWidget(self.print_button, len(screening.KINDS), 2, 1, 2)

        needs_box = QGroupBox("Support needs")
        # Four columns fit beside the caseload; the pathway is in each need's tooltip (and PDF).
        self.needs_table = QTableWidget(0, 4)
        self.needs_table.setObjectName("needsTable")
        self.needs_table.setHorizontalHeaderLabels(["Need", "Owner", "Status", "Next action"])
        self.needs_table.setWordWrap(False)
        self.needs_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.needs_table.setTabKeyNavigation(False)  # Tab reaches Accept/Decline; arrows move
        self.needs_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.needs_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.needs_table.verticalHeader().setVisible(False)
        header = self.needs_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # Status is sized for its words, not its longest cell: a long decline reason elides
        # (it is in the tooltip and below) instead of squeezing the need's title.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.needs_table.setColumnWidth(
            2, self.needs_table.fontMetrics().horizontalAdvance("Declined: wwww") + 12)
        self.needs_table.setColumnWidth(3, 150)
        self.need_detail = QLabel()
        self.need_detail.setObjectName("needDetail")
        self.need_detail.setWordWrap(True)
        self.need_detail.setTextFormat(Qt.TextFormat.PlainText)
        self.need_detail.setMinimumHeight(60)
        self.needs_table.itemSelectionChanged.connect(self._update_need_buttons)
        self.accept_button = QPushButton("Accept")
        self.accept_button.setObjectName("acceptNeedButton")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setObjectName("editNeedButton")
        self.decline_button = QPushButton("Decline…")
        self.decline_button.setObjectName("declineNeedButton")
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("needStatusCombo")
        for code in (NeedStatus.NOT_STARTED, NeedStatus.IN_PROGRESS, NeedStatus.MET):
            self.status_combo.addItem(STATUS_LABELS[code], code)
        self.action_button = QPushButton("Next action done")
        self.action_button.setObjectName("actionDoneButton")
        self.accept_button.clicked.connect(self.accept_need)
        self.edit_button.clicked.connect(self.edit_need)
        self.decline_button.clicked.connect(self.decline_need)
        self.status_combo.activated.connect(lambda _i: self.set_need_status())
        self.action_button.clicked.connect(self.mark_next_action)
        row = QHBoxLayout()
        for w in (self.accept_button, self.edit_button, self.decline_button):
            row.addWidget(w)
        row.addStretch(1)
        progress = QHBoxLayout()
        progress.addWidget(QLabel("Status:"))
        progress.addWidget(self.status_combo)
        progress.addWidget(self.action_button)
        progress.addStretch(1)
        needs_layout = QVBoxLayout(needs_box)
        needs_layout.addWidget(self.needs_table, 1)
        needs_layout.addWidget(self.need_detail)
        needs_layout.addLayout(row)
        needs_layout.addLayout(progress)

        layout = QVBoxLayout(self)
        layout.addWidget(forms)
        layout.addWidget(needs_box, 1)
        self._update_need_buttons()

    # --- data ----------------------------------------------------------------------------
    def show_person(self, person_id: int, person: PersonDraft) -> None:
        self.person_id, self.person = person_id, person
        self.refresh()

    def clear(self) -> None:
        self.person_id, self.person, self.states, self.need_rows = None, None, {}, []
        for label in self.status_labels.values():
            label.clear()
        self.needs_table.setRowCount(0)

    def refresh(self) -> None:
        if self.person_id is None or self.person is None:
            return
        person_id = self.person_id

        def read() -> tuple[dict[str, ScreeningState], list[NeedView], WorkingCalendar]:
            return (screening.screenings_for(self.ws, person_id),
                    needs.needs_for(self.ws, person_id), working_calendar(self.ws))

        found = self.ops.run(self, read)
        if not found.ok or found.value is None:
            return
        self.states, self.need_rows, calendar = found.value
        assert self.person.reception_at is not None
        first, second = deadlines(self.person.reception_at,
                                  self.states[ScreeningKind.BCST1].completed_at,
                                  self.states[ScreeningKind.BCST2].completed_at, calendar)
        now = now_utc()
        can_edit = self.ws.can(Permission.EDIT_PEOPLE)
        for kind, deadline in ((ScreeningKind.BCST1, first), (ScreeningKind.BCST2, second)):
            state = self.states[kind]
            label, button, skip = (self.status_labels[kind], self.open_buttons[kind],
                                   self.skip_boxes[kind])
            due = to_london(deadline.due).strftime("%a %d/%m/%Y %H:%M")
            label.setStyleSheet("")
            if state.status == COMPLETED:
                when = to_london(state.completed_at).strftime("%d/%m/%Y %H:%M")  # type: ignore[arg-type]
                label.setText(f"Completed {when} by {state.completed_by}")
                button.setText("View / amend")
            elif state.status == SKIPPED:
                label.setText(f"Not needed: {SKIP_REASONS.get(state.skip_reason, '')}")
                button.setText("Start")
            else:
                left = countdown(deadline.remaining(now))
                prefix = "Draft saved" if state.status == DRAFT else "Not started"
                label.setText(f"{prefix} · {left}\nDue {due}")
                overdue = deadline.remaining(now).total_seconds() < 0
                label.setStyleSheet("color: #b00020; font-weight: 600;" if overdue else "")
                button.setText("Continue" if state.status == DRAFT else "Start")
            button.setEnabled(state.status != SKIPPED and (can_edit or state.status == COMPLETED))
            skip.setVisible(state.status not in (COMPLETED, SKIPPED))
        self._fill_needs()

    def _fill_needs(self) -> None:
        # The need she chose stays chosen by what it is, not by its row: a screening completed
        # or amended meanwhile may add or remove rows above it, and the buttons act on the
        # selected row.
        chosen = self._chosen_need_id
        self.needs_table.blockSignals(True)
        self.needs_table.clearSelection()
        self.needs_table.setRowCount(len(self.need_rows))
        for line, need in enumerate(self.need_rows):
            pending = [a for a in need.actions if a.done_at is None]
            next_action = ""
            if pending:
                first = pending[0]
                due = f" (by {first.due_date:%d/%m/%Y})" if first.due_date else ""
                next_action = f"{first.title}{due}"
            elif need.actions:
                next_action = "All actions done"
            if need.review == NeedReview.ACCEPTED:
                status = STATUS_LABELS.get(need.status, need.status)
            elif need.review == NeedReview.DECLINED:
                status = f"Declined: {need.decline_reason}"
            else:
                status = "Proposed"
            pathway = PATHWAY_LABELS.get(need.pathway, need.pathway)
            cells = (need.title, OWNER_LABELS.get(need.owner, need.owner), status, next_action)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{text}\nPathway: {pathway}" if column == 0 else text)
                self.needs_table.setItem(line, column, item)
        self.needs_table.blockSignals(False)
        ids = [n.id for n in self.need_rows]
        if chosen in ids:
            self.needs_table.selectRow(ids.index(chosen))
        self._update_need_buttons()

    def selected_need(self) -> NeedView | None:
        rows = self.needs_table.selectionModel().selectedRows()
        return self.need_rows[rows[0].row()] if rows else None

    def _describe(self, need: NeedView | None) -> str:
        if need is None:
            return "Choose a need to see its actions. Proposed needs come from the screening " \
                   "answers: accept, edit or decline each one."
        lines = [f"{need.title} — {PATHWAY_LABELS.get(need.pathway, need.pathway)}, "
                 f"{OWNER_LABELS.get(need.owner, need.owner)}"]
        if need.review == NeedReview.DECLINED:
            lines.append(f"Declined: {need.decline_reason}")
        for action in need.actions:
            mark = "✔" if action.done_at else "•"
            due = f" (by {action.due_date:%d/%m/%Y})" if action.due_date else ""
            lines.append(f"  {mark} {action.title}{due}")
        return "\n".join(lines)

    def _update_need_buttons(self) -> None:
        need = self.selected_need()
        self._chosen_need_id = need.id if need is not None else None
        self.need_detail.setText(self._describe(need))
        can_edit = self.ws.can(Permission.EDIT_PEOPLE)
        accepted = need is not None and need.review == NeedReview.ACCEPTED
        self.accept_button.setEnabled(can_edit and need is not None and not accepted)
        self.edit_button.setEnabled(can_edit and need is not None)
        self.decline_button.setEnabled(can_edit and need is not None
                                       and need.review != NeedReview.DECLINED)
        self.status_combo.setEnabled(can_edit and accepted)
        self.action_button.setEnabled(can_edit and need is not None and any(
            a.done_at is None for a in need.actions))
        if accepted and need is not None:
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(need.status)))

    # --- forms ---------------------------------------------------------------------------
    def open_form(self, kind: str) -> QuestionnaireDialog | None:
        if self.person_id is None or self.person is None:
            return None
        state = self.states[kind]
        heading = f"{self.person.family_name.upper()}, {self.person.given_names} " \
                  f"({self.person.prison_number})"
        dialog = QuestionnaireDialog(self.ws, state, heading, self)
        dialog.finished.connect(self._form_closed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _form_closed(self, _result: int) -> None:
        # What the form saved re-showed her as it was saved (change events): nothing to reload.
        self.dialog = None

    def _skip(self, kind: str, index: int) -> None:
        box = self.skip_boxes[kind]
        reason = box.itemData(index)
        box.setCurrentIndex(0)
        if reason is None or self.person_id is None:
            return
        self.ops.run(self, screening.skip, self.ws, self.person_id, kind, reason,
                     self.states[kind].row_version)

    # --- needs ---------------------------------------------------------------------------
    # Each action takes the need it acts on before the call: the tab is re-shown during it.
    def accept_need(self) -> None:
        need = self.selected_need()
        if need is not None:
            self.ops.run(self, needs.accept, self.ws, need.id)

    def edit_need(self) -> None:
        need = self.selected_need()
        if need is None:
            return
        need_id = need.id
        prompt = _TextDialog("Edit need", "Need:", need.title, self, owner=need.owner)
        prompt.accepted.connect(lambda: self.ops.run(
            self, needs.accept, self.ws, need_id, title=prompt.edit.text(),
            owner=prompt.owner.currentData()))
        self.prompt = prompt
        prompt.open()

    def decline_need(self) -> None:
        need = self.selected_need()
        if need is None:
            return
        need_id = need.id
        prompt = _TextDialog("Decline need", "Reason:", "", self,
                             submit=lambda: self._decline(need_id))
        prompt.setObjectName("declineNeedDialog")
        self.prompt = prompt
        prompt.open()

    def _decline(self, need_id: int) -> bool:
        """Decline with the typed reason; a refusal is shown under the reason, box kept open."""
        prompt = self.prompt
        if prompt is None:
            return False
        prompt.error.clear_message()

        def refused(exc: UserError) -> bool:
            prompt.edit.setFocus()
            return prompt.error.refused(exc)

        return self.ops.run(self, needs.decline, self.ws, need_id, prompt.edit.text(),
                            on_error=refused).ok

    def set_need_status(self) -> None:
        need = self.selected_need()
        if need is not None:
            self.ops.run(self, needs.set_status, self.ws, need.id,
                         self.status_combo.currentData())

    def mark_next_action(self) -> None:
        need = self.selected_need()
        pending = [a for a in need.actions if a.done_at is None] if need else []
        if pending:
            self.ops.run(self, needs.mark_action, self.ws, pending[0].id, True)

    # --- summary -------------------------------------------------------------------------
    def choose_summary_file(self) -> None:
        if self.person is None or self.person_id is None:
            return
        # The woman is taken now, with the name the file is offered under: the summary is hers
        # even if the record shown has changed by the time a file is chosen.
        person_id = self.person_id
        name = f"BCST-summary-{self.person.prison_number}-{date.today():%Y%m%d}.pdf"
        dialog = QFileDialog(self, "Save the BCST summary", str(Path.home() / name),
                             "PDF files (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(
            lambda chosen: self.write_summary(Path(chosen), open_it=True, person_id=person_id))
        self.file_dialog = dialog
        dialog.open()

    def write_summary(self, path: Path, open_it: bool = False,
                      on_done: Callable[[Path], None] | None = None,
                      person_id: int | None = None) -> bool:
        """Start writing her BCST summary on a worker thread (rendering takes a moment), and
        open it when written if asked. False if no woman is shown."""
        person_id = self.person_id if person_id is None else person_id
        if person_id is None:
            return False

        def written(out: Path) -> None:
            if open_it:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))
            if on_done is not None:
                on_done(out)

        self.ops.run_in_background(
            self, lambda: summary.write_bcst_summary(self.ws, person_id, path),
            busy="Writing the PDF…", on_done=written)
        return True
