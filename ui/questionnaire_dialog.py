"""A BCST form as staff fill it in: keyboard first, drafts saved as they go, checked at the end.

Every change is saved as a draft shortly after it is made (and at once with Ctrl+S, or when the
form closes, including at lock), so a half-filled form is never lost. Ctrl+Enter completes it;
a completed form reopens read-only until Amend is pressed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import parse_time, parse_uk_date
from app.domain.questionnaire import Answer, Answers, Question
from app.domain.timezone import london_to_utc, now_utc, to_london
from app.errors import UserError, ValidationFailed
from app.services import screening
from app.services.screening import COMPLETED, ScreeningState
from app.services.workspace import Workspace
from ui.messages import plain_message
from ui.ops import ops_for

AUTOSAVE_MS = 800
ERROR_STYLE = "color: #b00020;"


class _QuestionRow:
    """The widgets of one question and how to read and write its answer."""

    def __init__(self, question: Question, on_change: Callable[[], None]) -> None:
        self.question = question
        self.label = QLabel(question.text + ("" if question.required else " (optional)"))
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        if question.help:
            self.label.setToolTip(question.help)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.checks: list[QCheckBox] = []
        self.widget = self._build(on_change)
        self.widget.setObjectName(f"q_{question.id}")
        self.label.setBuddy(self.widget if not self.checks else self.checks[0])

    def _build(self, on_change: Callable[[], None]) -> QWidget:
        q = self.question
        if q.type == "single":
            combo = QComboBox()
            combo.addItem("— choose —", None)
            for option in q.options:
                combo.addItem(option.label, option.code)
            combo.currentIndexChanged.connect(lambda _i: on_change())
            return combo
        if q.type == "multi":
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            for option in q.options:
                check = QCheckBox(option.label)
                check.setProperty("code", option.code)
                check.setProperty("exclusive", option.exclusive)
                check.toggled.connect(lambda on, c=check: self._exclusive(c, on, on_change))
                self.checks.append(check)
                column.addWidget(check)
            return box
        if q.type in ("long_text", "address"):
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(64 if q.type == "address" else 80)
            edit.textChanged.connect(on_change)
            return edit
        line = QLineEdit()
        if q.type == "date":
            line.setPlaceholderText("DD/MM/YYYY")
            line.setMaximumWidth(140)
        line.textChanged.connect(lambda _t: on_change())
        return line

    def _exclusive(self, check: QCheckBox, on: bool, on_change: Callable[[], None]) -> None:
        """'No ID documents' and a passport cannot both be ticked: the last tick wins."""
        if on:
            exclusive = bool(check.property("exclusive"))
            for other in self.checks:
                if other is not check and other.isChecked() and (
                    exclusive or bool(other.property("exclusive"))
                ):
                    other.setChecked(False)
        on_change()

    def read(self) -> tuple[Answer | None, str]:
        """The answer (None when empty) and a problem if the text cannot be read."""
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentData(), ""
        if self.checks:
            codes = [str(c.property("code")) for c in self.checks if c.isChecked()]
            return (codes or None), ""
        text = w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()  # type: ignore[union-attr]
        text = text.strip()
        if not text:
            return None, ""
        if self.question.type == "date":
            try:
                return parse_uk_date(text).isoformat(), ""
            except ValueError as exc:
                return None, str(exc)
        return text, ""

    def write(self, answer: Answer | None) -> None:
        w = self.widget
        if isinstance(w, QComboBox):
            w.setCurrentIndex(max(0, w.findData(answer)))
        elif self.checks:
            chosen = set(answer or [])
            for check in self.checks:
                check.setChecked(check.property("code") in chosen)
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(str(answer or ""))
        elif isinstance(w, QLineEdit):
            value = str(answer or "")
            if self.question.type == "date" and value:
                value = datetime.fromisoformat(value).strftime("%d/%m/%Y")
            w.setText(value)

    def set_visible(self, visible: bool) -> None:
        self.label.setVisible(visible)
        self.widget.setVisible(visible)
        if not visible:
            self.error.hide()

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setEnabled(not read_only)


class QuestionnaireDialog(QDialog):
    def __init__(self, ws: Workspace, state: ScreeningState, heading: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.state = state
        self.form = state.form
        self.setObjectName("questionnaireDialog")
        self.setWindowTitle(f"{state.kind} — {self.form.title} — {heading}")
        self.rows: dict[str, _QuestionRow] = {}
        self._loading = True
        self._dirty = False
        self.amending = False
        self.saved_count = 0

        self.status = QLabel()
        self.status.setObjectName("formStatus")
        self.saved = QLabel()
        self.saved.setObjectName("savedLabel")
        self.saved.setStyleSheet("color: palette(mid);")
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.saved)

        body = QWidget()
        column = QVBoxLayout(body)
        for section in self.form.sections:
            group = QGroupBox(section.title)
            grid = QGridLayout(group)
            grid.setColumnStretch(0, 3)
            grid.setColumnStretch(1, 4)
            line = 0
            for question in section.questions:
                row = _QuestionRow(question, self._changed)
                self.rows[question.id] = row
                grid.addWidget(row.label, line, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(row.widget, line, 1)
                grid.addWidget(row.error, line + 1, 1)
                line += 2
            column.addWidget(group)
        column.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(body)

        self.completed_date = QLineEdit()
        self.completed_date.setObjectName("completedDate")
        self.completed_date.setPlaceholderText("DD/MM/YYYY")
        self.completed_date.setMaximumWidth(120)
        self.completed_time = QLineEdit()
        self.completed_time.setObjectName("completedTime")
        self.completed_time.setPlaceholderText("HH:MM")
        self.completed_time.setMaximumWidth(70)
        now = to_london(now_utc())
        self.completed_date.setText(now.strftime("%d/%m/%Y"))
        self.completed_time.setText(now.strftime("%H:%M"))
        self.completed_label = QLabel("Completed on:")
        self.summary = QLabel()
        self.summary.setObjectName("formSummary")
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setWordWrap(True)

        self.save_button = QPushButton("Save draft")
        self.save_button.setObjectName("saveDraftButton")
        self.save_button.setToolTip("Ctrl+S. Drafts are also saved as you go.")
        self.complete_button = QPushButton("Complete")
        self.complete_button.setObjectName("completeButton")
        self.complete_button.setToolTip("Ctrl+Enter: check every required answer and complete")
        self.amend_button = QPushButton("Amend")
        self.amend_button.setObjectName("amendButton")
        self.close_button = QPushButton("Close")
        self.close_button.setObjectName("closeButton")
        self.save_button.clicked.connect(self.save_now)
        self.complete_button.clicked.connect(self.complete)
        self.amend_button.clicked.connect(self.start_amending)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.completed_label)
        buttons.addWidget(self.completed_date)
        buttons.addWidget(self.completed_time)
        buttons.addStretch(1)
        for b in (self.save_button, self.amend_button, self.complete_button, self.close_button):
            buttons.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.resize(900, 720)

        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_now)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_now)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._primary)

        for qid, row in self.rows.items():
            row.write(state.answers.get(qid))
        self._loading = False
        self._refresh_visibility()
        self._refresh_mode()
        first = next(iter(self.rows.values()), None)
        if first is not None:
            (first.checks[0] if first.checks else first.widget).setFocus()

    # --- state ---------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.state.status == COMPLETED and not self.amending

    def _refresh_mode(self) -> None:
        completed = self.state.status == COMPLETED
        for row in self.rows.values():
            row.set_read_only(self.read_only)
        self.save_button.setVisible(not completed)
        self.amend_button.setVisible(completed and not self.amending)
        self.complete_button.setVisible(not self.read_only)
        self.complete_button.setText("Save amendment" if self.amending else "Complete")
        for w in (self.completed_label, self.completed_date, self.completed_time):
            w.setVisible(not completed)
        if completed:
            when = to_london(self.state.completed_at).strftime("%d/%m/%Y %H:%M") \
                if self.state.completed_at else ""
            self.status.setText(f"Completed {when} by {self.state.completed_by}."
                                + (" Amending: the previous answers are kept in its history."
                                   if self.amending else ""))
        else:
            self.status.setText("Draft: saved as you go. Ctrl+Enter completes the form.")

    def answers(self) -> tuple[Answers, dict[str, str]]:
        answers: Answers = {}
        unreadable: dict[str, str] = {}
        for qid, row in self.rows.items():
            value, problem = row.read()
            if problem:
                unreadable[qid] = problem
            elif value is not None:
                answers[qid] = value
        return answers, unreadable

    def _refresh_visibility(self) -> None:
        answers, _ = self.answers()
        for row in self.rows.values():
            row.set_visible(self.form.is_visible(row.question, answers))

    def _changed(self) -> None:
        if self._loading:
            return
        self._refresh_visibility()
        if self.state.status != COMPLETED:
            self._dirty = True
            self.autosave.start()

    def _show_problems(self, problems: dict[str, str]) -> None:
        for qid, row in self.rows.items():
            row.set_error(problems.get(qid, ""))
        extra = [m for k, m in problems.items() if k not in self.rows]
        if problems:
            count = len(problems)
            text = f"{count} answer{'s need' if count > 1 else ' needs'} attention."
            self.summary.setText(" ".join([text, *extra]))
            first = next((self.rows[k] for k in self.rows if k in problems), None)
            if first is not None:
                self.scroll.ensureWidgetVisible(first.widget)
                (first.checks[0] if first.checks else first.widget).setFocus()
        else:
            self.summary.clear()

    # --- actions -------------------------------------------------------------------------
    def save_now(self) -> bool:
        """Save the draft now; unreadable answers (a half-typed date) wait for the next save."""
        self.autosave.stop()
        if self.state.status == COMPLETED or self.ws.locked:
            return True
        answers, unreadable = self.answers()
        saved = ops_for(self.ws).run(self, screening.save_draft, self.ws, self.state.person_id,
                                     self.state.kind, answers, self.state.row_version,
                                     on_error=self._show_inline)
        if not saved.ok or saved.value is None:
            return False
        self.state = saved.value
        self._dirty = bool(unreadable)
        self.saved_count += 1
        self.saved.setText(f"Draft saved {to_london(now_utc()):%H:%M:%S}")
        for qid, row in self.rows.items():
            row.set_error(unreadable.get(qid, ""))
        return True

    def _show_inline(self, exc: UserError) -> bool:
        """Refused answers are marked on the form; anything else said in its summary line
        (a message box would interrupt typing, and the draft is kept anyway)."""
        if isinstance(exc, ValidationFailed):
            self._show_problems(exc.errors)
        else:
            self.summary.setText(plain_message(exc))
        return True

    def _completed_at(self) -> datetime | None:
        """When it was completed, or None with the problem shown on the form."""
        try:
            day = parse_uk_date(self.completed_date.text())
            at = parse_time(self.completed_time.text() or "00:00")
        except ValueError as exc:
            self._show_problems({"completed_at": f"Completed on: {exc}"})
            return None
        return london_to_utc(day, at)

    def _primary(self) -> None:
        if not self.read_only:
            self.complete()

    def complete(self) -> None:
        self.autosave.stop()
        answers, unreadable = self.answers()
        if unreadable:
            self._show_problems(unreadable)
            return
        ops, state = ops_for(self.ws), self.state
        if self.amending:
            done = ops.run(self, screening.amend, self.ws, state.person_id, state.kind, answers,
                           state.row_version or 0, on_error=self._show_inline)
        else:
            completed_at = self._completed_at()
            if completed_at is None:
                return
            done = ops.run(self, screening.complete, self.ws, state.person_id, state.kind,
                           answers, state.row_version, completed_at, on_error=self._show_inline)
        if not done.ok or done.value is None:
            return
        self.state = done.value
        self._dirty = False
        self.amending = False
        self._show_problems({})
        self.accept()

    def start_amending(self) -> None:
        self.amending = True
        self._refresh_mode()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._dirty:
            self.save_now()
        super().closeEvent(event)

    def reject(self) -> None:
        if self._dirty:
            self.save_now()
        super().reject()
