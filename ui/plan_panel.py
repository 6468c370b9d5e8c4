"""The Plan tab: her pre-release plan, the steps recorded on it, and its tasks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import parse_uk_date, uk_date
from app.domain.needs_rules import OWNERS
from app.domain.person import PersonDraft
from app.domain.planning import plan_opens
from app.domain.questionnaire import PATHWAYS
from app.domain.roles import Permission
from app.domain.timezone import today_london
from app.errors import UserError, ValidationFailed
from app.services import planning
from app.services.changes import Kind
from app.services.planning import OPEN_TASK, TASK_STATUSES, PlanView, TaskView
from app.services.workspace import Workspace
from ui.dialog_parts import ERROR_COLOUR, ErrorLabel, fill_row, filling, read_only_table
from ui.hearings_box import HearingsBox
from ui.ops import follow_her, ops_for
from ui.screening_panel import OWNER_LABELS, PATHWAY_LABELS

DATE_FIELDS = ("tenancy_advice_offered_on", "accommodation_identified_on", "handover_on",
               "cpp_allocated_on")
TASK_HEADERS = ["Pathway", "Task", "Owner", "Due", "Status"]
COL_DUE = 3


def date_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText("DD/MM/YYYY")
    edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("00/00/00000") + 24)
    return edit


def _with_error(widget: QWidget, error: ErrorLabel, extra: QWidget | None = None) -> QWidget:
    """A field with its own inline message underneath (and an optional hint beside it)."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    if extra is None:
        column.addWidget(widget)
    else:
        line = QHBoxLayout()
        line.addWidget(widget)
        line.addWidget(extra, 1)
        column.addLayout(line)
    column.addWidget(error)
    return box


def _show_in(label: ErrorLabel, exc: UserError) -> bool:
    """Show a refused action in the dialog's own message line (an `on_error` for the runner)."""
    if isinstance(exc, ValidationFailed):
        label.show_message(" ".join(exc.errors.values()))
    else:
        label.show_exception(exc)
    return True


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


class TaskDialog(QDialog):
    """Add a task: pathway, what needs doing, who owns it, by when (non-blocking)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a task")
        self.pathway = QComboBox()
        self.pathway.setObjectName("taskPathway")
        for code in PATHWAYS:
            self.pathway.addItem(PATHWAY_LABELS.get(code, code), code)
        self.title = QLineEdit()
        self.title.setObjectName("taskTitle")
        self.title.setMinimumWidth(360)
        self.owner = QComboBox()
        self.owner.setObjectName("taskOwner")
        for code in OWNERS:
            self.owner.addItem(OWNER_LABELS.get(code, code), code)
        self.due = date_edit("taskDue")
        self.due.setToolTip("Leave empty if there is no date")
        form = QFormLayout()
        form.addRow("Pathway:", self.pathway)
        form.addRow("Task:", self.title)
        form.addRow("Owner:", self.owner)
        form.addRow("Due by:", self.due)
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)


class PlanPanel(QWidget):
    # The kinds of record this tab shows: a change to her in any of them re-shows her.
    WATCHES = (Kind.PEOPLE, Kind.PLAN, Kind.HEARINGS, Kind.REFERRALS, Kind.SCREENING,
                  Kind.NEEDS)
    """Her plan. Actions go through the operation runner; the panel does not reload itself
    or anyone else afterwards: the change events re-show her record (ui/main_window.py)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None,
                 today: Callable[[], date] = today_london) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops_for(ws)
        self._today = today
        self.person_id: int | None = None
        self.person: PersonDraft | None = None
        self.watcher = follow_her(self, ws, self.WATCHES)
        self.plan: PlanView | None = None
        self.task_dialog: TaskDialog | None = None
        self._selected_id: int | None = None
        can_edit = ws.can(Permission.EDIT_PEOPLE)

        # --- no plan yet
        self.status = QLabel()
        self.status.setObjectName("planStatus")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.start_button = QPushButton("Start plan now")
        self.start_button.setObjectName("startPlanButton")
        self.start_button.setEnabled(can_edit)
        self.start_button.clicked.connect(self.start_plan)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignTop)

        # --- steps recorded
        self.steps_box = QGroupBox("Steps recorded")
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        for name in (*DATE_FIELDS, "handover_to", "accommodation_summary", "notes",
                     "dtr_needed", "crs_needed"):
            self.errors[name] = ErrorLabel()
            self.errors[name].setObjectName(f"{name}_error")
        for name in DATE_FIELDS:
            self.edits[name] = date_edit(name)
        self.handover_to = QLineEdit()
        self.handover_to.setObjectName("handover_to")
        self.handover_to.setPlaceholderText("Name of the community probation practitioner")
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("accommodation_summary")
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(self.summary.fontMetrics().lineSpacing() * 3 + 14)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 3 + 14)
        self.dtr_needed = QCheckBox("Duty to refer needed")
        self.dtr_needed.setObjectName("dtr_needed")
        self.crs_needed = QCheckBox("CRS referral needed")
        self.crs_needed.setObjectName("crs_needed")
        self.cpp_due = QLabel()
        self.cpp_due.setObjectName("cppDue")
        self.cpp_due.setWordWrap(True)
        self.save_button = QPushButton("Save plan")
        self.save_button.setObjectName("savePlanButton")
        self.save_button.setEnabled(can_edit)
        self.save_button.clicked.connect(self.save_plan)
        self.saved = QLabel()
        self.saved.setObjectName("planSaved")
        form = QFormLayout(self.steps_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        field = self._field
        form.addRow("Tenancy advice offered on:", field("tenancy_advice_offered_on"))
        form.addRow("Accommodation identified on:", field("accommodation_identified_on"))
        form.addRow("Accommodation:", _with_error(self.summary,
                                                  self.errors["accommodation_summary"]))
        form.addRow("Handover to:", _with_error(self.handover_to, self.errors["handover_to"]))
        form.addRow("Handover on:", field("handover_on"))
        form.addRow("CPP allocated on:", _with_error(self.edits["cpp_allocated_on"],
                                                     self.errors["cpp_allocated_on"],
                                                     self.cpp_due))
        needed = QHBoxLayout()
        needed.addWidget(self.dtr_needed)
        needed.addWidget(self.crs_needed)
        needed.addStretch(1)
        form.addRow(needed)  # across the form: beside a label it would not fit a 1366 screen
        form.addRow("Notes:", _with_error(self.notes, self.errors["notes"]))
        self.form_error = ErrorLabel()
        form.addRow(self.form_error)
        save_row = QHBoxLayout()
        save_row.addWidget(self.saved, 1)
        save_row.addWidget(self.save_button)
        form.addRow(save_row)

        # --- tasks
        self.tasks_box = QGroupBox("Tasks")
        self.tasks_table = read_only_table("tasksTable", TASK_HEADERS)
        self.tasks_table.setMinimumHeight(150)
        self.tasks_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.tasks_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Narrow enough that the task's own words keep most of the width beside the lists
        # (the full pathway is in its tooltip).
        self.tasks_table.setColumnWidth(0, self.fontMetrics().horizontalAdvance("Accomm…")
                                        + 16)
        self.tasks_table.itemSelectionChanged.connect(self._update_task_buttons)
        self.add_button = QPushButton("Add task…")
        self.add_button.setObjectName("addTaskButton")
        self.add_button.clicked.connect(self.open_task_dialog)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("taskStatusCombo")
        for code, label in TASK_STATUSES.items():
            self.status_combo.addItem(label, code)
        self.set_status_button = QPushButton("Set status")
        self.set_status_button.setObjectName("setTaskStatusButton")
        self.set_status_button.clicked.connect(self.set_task_status)
        task_row = QHBoxLayout()
        task_row.addWidget(self.add_button)
        task_row.addStretch(1)
        task_row.addWidget(QLabel("Status:"))
        task_row.addWidget(self.status_combo)
        task_row.addWidget(self.set_status_button)
        tasks_layout = QVBoxLayout(self.tasks_box)
        tasks_layout.addWidget(self.tasks_table, 1)
        tasks_layout.addLayout(task_row)

        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addLayout(top)
        self.hearings = HearingsBox(ws)
        inner.addWidget(self.hearings)
        inner.addWidget(self.steps_box)
        inner.addWidget(self.tasks_box, 1)
        self.filler = QWidget()  # keeps the "no plan yet" line at the top
        inner.addWidget(self.filler, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.clear()

    def _field(self, name: str) -> QWidget:
        return _with_error(self.edits[name], self.errors[name])

    # --- data ----------------------------------------------------------------------------
    def show_person(self, person_id: int, person: PersonDraft) -> None:
        self.person_id, self.person = person_id, person
        # Hearings matter while her release date is unknown (remand, awaiting sentence).
        self.hearings.setVisible(person.release_date is None)
        self.hearings.show_person(person_id)
        self.refresh()

    def clear(self) -> None:
        self.person_id, self.person, self.plan = None, None, None
        self.hearings.clear()
        self.hearings.hide()
        self.status.clear()
        self.start_button.hide()
        self.steps_box.hide()
        self.tasks_box.hide()
        self.tasks_table.setRowCount(0)

    def refresh(self) -> None:
        if self.person_id is None or self.person is None:
            return
        found = self.ops.run(self, planning.plan_for, self.ws, self.person_id)
        if not found.ok:
            return
        self.plan = found.value
        self._clear_errors()
        release = self.person.release_date
        plan = self.plan
        can_edit = self.ws.can(Permission.EDIT_PEOPLE)
        self.start_button.setVisible(plan is None)
        self.steps_box.setVisible(plan is not None)
        self.tasks_box.setVisible(plan is not None)
        self.filler.setVisible(plan is None)
        if plan is None:
            when = (f"({uk_date(plan_opens(release))})" if release
                    else "(her release date is not known yet)")
            text = f"No plan yet: it opens automatically 12 weeks before release {when}."
            if release is not None and plan_opens(release) <= self._today():
                # Plans open at unlock (or when her date changes), not when a window looks.
                text = ("No plan yet: she is within 12 weeks of release. Start it now, or it "
                        "opens at the next unlock.")
            self.status.setText(text)
            self.start_button.setEnabled(can_edit)
            return
        started = f"Started {uk_date(plan.started_on)} by {plan.started_by}"
        # What was already late when she arrived is said here once, not as overdue tasks.
        self.status.setText(f"{started}\n{plan.already_late}" if plan.already_late else started)
        for name in DATE_FIELDS:
            self.edits[name].setText(uk_date(getattr(plan, name)))
        self.handover_to.setText(plan.handover_to)
        self.summary.setPlainText(plan.accommodation_summary)
        self.notes.setPlainText(plan.notes)
        self.dtr_needed.setChecked(plan.dtr_needed)
        self.crs_needed.setChecked(plan.crs_needed)
        self.cpp_due.setText(plan.cpp_due_text)
        for widget in (*self.edits.values(), self.handover_to, self.summary, self.notes,
                       self.dtr_needed, self.crs_needed):
            widget.setEnabled(can_edit)
        self._fill_tasks(plan.tasks)

    def _fill_tasks(self, tasks: tuple[TaskView, ...]) -> None:
        today = self._today()
        table = self.tasks_table
        chosen = self._selected_id
        table.clearSelection()
        with filling(table):
            table.setRowCount(len(tasks))
            bold = QFont()
            bold.setBold(True)
            for line, task in enumerate(tasks):
                overdue = (task.due_date is not None and task.due_date < today
                           and task.status in OPEN_TASK)
                due = uk_date(task.due_date) if task.due_date else "No date"
                if overdue and task.due_date is not None:
                    due = f"Overdue · {task.due_date:%d/%m}"
                fill_row(table, line, [
                    (PATHWAY_LABELS.get(task.pathway, task.pathway), None), (task.title, None),
                    (OWNER_LABELS.get(task.owner, task.owner), None), (due, task.due_date),
                    (TASK_STATUSES.get(task.status, task.status), None),
                ])
                cell(table, line, 0).setToolTip(PATHWAY_LABELS.get(task.pathway, task.pathway))
                cell(table, line, COL_DUE).setToolTip(
                    f"Due {uk_date(task.due_date)}" if task.due_date else "No due date")
                notes = f"\n{task.notes}" if task.notes else ""
                cell(table, line, 1).setToolTip(task.title + notes)
                if overdue:
                    due_cell = cell(table, line, COL_DUE)
                    due_cell.setForeground(QBrush(QColor(ERROR_COLOUR)))
                    due_cell.setFont(bold)
        ids = [t.id for t in tasks]
        if chosen in ids:
            table.selectRow(ids.index(chosen))
        self._update_task_buttons()

    # --- plan ----------------------------------------------------------------------------
    def start_plan(self) -> None:
        if self.person_id is None:
            return
        self.ops.run(self, planning.start_plan, self.ws, self.person_id)

    def _clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear_message()
        self.form_error.clear_message()
        self.saved.clear()

    def changes(self) -> dict[str, object] | None:
        """What differs from the saved plan; None (with messages shown) if a date is unreadable."""
        assert self.plan is not None
        plan = self.plan
        values: dict[str, object] = {}
        bad = False
        for name in DATE_FIELDS:
            text = self.edits[name].text().strip()
            try:
                values[name] = parse_uk_date(text) if text else None
            except ValueError as exc:
                self.errors[name].show_message(str(exc))
                bad = True
        if bad:
            return None
        values["handover_to"] = self.handover_to.text().strip()
        values["accommodation_summary"] = self.summary.toPlainText().strip()
        values["notes"] = self.notes.toPlainText().strip()
        values["dtr_needed"] = self.dtr_needed.isChecked()
        values["crs_needed"] = self.crs_needed.isChecked()
        return {k: v for k, v in values.items() if v != getattr(plan, k)}

    def save_plan(self) -> bool:
        if self.person_id is None or self.plan is None:
            return False
        self._clear_errors()
        changes = self.changes()
        if changes is None:
            return False
        if not changes:
            self.saved.setText("Nothing has changed.")
            return True
        done = self.ops.run(self, planning.update_plan, self.ws, self.person_id,
                            on_error=self._show_inline, **changes)
        if done.ok:
            self.saved.setText("Saved.")  # after the change events re-showed the plan
        return done.ok

    def _show_inline(self, exc: UserError) -> bool:
        """A refused save is told beside the field it is about (or under the form)."""
        if isinstance(exc, ValidationFailed):
            for name, message in exc.errors.items():
                (self.errors.get(name) or self.form_error).show_message(message)
        else:
            self.form_error.show_exception(exc)
        return True

    # --- tasks ---------------------------------------------------------------------------
    def selected_task(self) -> TaskView | None:
        if self.plan is None:
            return None
        rows = self.tasks_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.plan.tasks[rows[0].row()]

    def _update_task_buttons(self) -> None:
        task = self.selected_task()
        self._selected_id = task.id if task else None
        can_edit = self.ws.can(Permission.EDIT_PEOPLE)
        self.add_button.setEnabled(can_edit and self.plan is not None)
        self.status_combo.setEnabled(can_edit and task is not None)
        self.set_status_button.setEnabled(can_edit and task is not None)
        if task is not None:
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(task.status)))

    def open_task_dialog(self) -> TaskDialog | None:
        if self.person_id is None or self.plan is None:
            return None
        dialog = TaskDialog(self)
        dialog.buttons.accepted.connect(self.submit_task)
        self.task_dialog = dialog
        dialog.open()
        return dialog

    def submit_task(self) -> bool:
        dialog = self.task_dialog
        if dialog is None or self.person_id is None:
            return False
        dialog.error.clear_message()
        text = dialog.due.text().strip()
        try:
            due = parse_uk_date(text) if text else None
        except ValueError as exc:
            dialog.error.show_message(str(exc))
            return False
        done = self.ops.run(self, planning.add_task, self.ws, self.person_id,
                            pathway=dialog.pathway.currentData(), title=dialog.title.text(),
                            owner=dialog.owner.currentData(), due_date=due,
                            on_error=lambda exc: _show_in(dialog.error, exc))
        if done.ok:
            dialog.accept()
        return done.ok

    def set_task_status(self) -> None:
        task = self.selected_task()
        if task is None:
            return
        self.ops.run(self, planning.update_task, self.ws, task.id,
                     status=self.status_combo.currentData())
