"""An unexpected fault is logged by type and place only, and the user gets a plain sentence."""

import logging
import sys

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ui.crash import configure_logging, install_excepthook


def test_fault_is_logged_without_its_message_and_explained(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    configure_logging(tmp_path)
    install_excepthook()
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    try:
        raise ValueError("Zyxwvutcanary Fictiona A1234BC")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    for handler in logging.getLogger("resettle").handlers:
        handler.flush()
    log = (tmp_path / "logs" / "resettle.log").read_text("utf-8")
    assert "ValueError" in log and "test_crash_hook.py" in log
    assert "Zyxwvutcanary" not in log and "A1234BC" not in log
    boxes = [w for w in window.findChildren(QMessageBox) if w.objectName() == "errorBox"]
    assert boxes and "Something went wrong (ValueError)" in boxes[0].text()
    assert "Zyxwvutcanary" not in boxes[0].text()
    logging.getLogger("resettle").handlers.clear()
