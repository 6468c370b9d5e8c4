"""The operation runner: failures are told in words and never raised; slow work runs off the
GUI thread with a busy state; a closed dialog is not touched when its work finishes."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QDialog, QMessageBox

from app.errors import UserError, ValidationFailed
from ui.ops import ops_for


def test_a_user_error_is_shown_in_words_and_not_raised(qtbot, workspace):
    parent = QDialog()
    qtbot.addWidget(parent)
    parent.show()

    def refuse() -> None:
        raise UserError("That prison number is already on the caseload.")

    done = ops_for(workspace).run(parent, refuse)
    assert not done.ok
    box = parent.findChild(QMessageBox, "errorBox")
    assert box is not None and "already on the caseload" in box.text()


def test_an_inline_handler_takes_the_error_instead_of_a_box(qtbot, workspace):
    parent = QDialog()
    qtbot.addWidget(parent)
    seen = []
    done = ops_for(workspace).run(
        parent, lambda: (_ for _ in ()).throw(ValidationFailed({"date": "Not a date."})),
        on_error=lambda exc: seen.append(exc) or True)
    assert not done.ok and isinstance(seen[0], ValidationFailed)
    assert parent.findChild(QMessageBox, "errorBox") is None


def test_an_unexpected_fault_gets_a_safe_sentence(qtbot, workspace):
    parent = QDialog()
    qtbot.addWidget(parent)
    done = ops_for(workspace).run(parent, lambda: {}["Zyxwvutcanary"])
    assert not done.ok
    box = parent.findChild(QMessageBox, "errorBox")
    assert "Something went wrong (KeyError)" in box.text()
    assert "Zyxwvutcanary" not in box.text()  # an exception's words may quote personal data


def test_background_work_runs_off_the_gui_thread_with_a_busy_state(qtbot, workspace):
    parent = QDialog()
    qtbot.addWidget(parent)
    parent.show()
    ops = ops_for(workspace)
    where: list[bool] = []
    results: list[int] = []
    ops.run_in_background(parent, lambda: where.append(
        threading.current_thread() is threading.main_thread()) or 42,
        busy="Writing the PDF…", on_done=results.append)
    assert not parent.isEnabled() and ops.busy
    qtbot.waitUntil(lambda: results == [42])
    assert where == [False] and parent.isEnabled() and not ops.busy


def test_a_dialog_closed_before_its_work_finishes_is_left_alone(qtbot, workspace):
    parent = QDialog()
    ops = ops_for(workspace)
    gate = threading.Event()
    called: list[object] = []
    ops.run_in_background(parent, lambda: gate.wait(5) and 1, busy="Working…",
                          on_done=called.append)
    parent.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(parent))
    gate.set()
    qtbot.waitUntil(lambda: not ops.busy)
    assert called == []  # nobody left to tell; no crash touching the deleted dialog
