"""Set-up and unlock never freeze the window: the longest pause of the event loop while they run.

A 10 ms timer ticks on the GUI thread while the set-up wizard's Next (key derivation, the new
encrypted database, the signing key) and then an unlock run with the real Argon2id cost; the
longest gap between ticks is what a user would feel as a frozen window.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_window_stays_responsive.py`
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from _common import report


def longest_pause(start, finished) -> tuple[float, float]:
    from PySide6.QtCore import QCoreApplication, QTimer

    app = QCoreApplication.instance()
    gaps: list[float] = []
    last = time.perf_counter()

    def tick() -> None:
        nonlocal last
        now = time.perf_counter()
        gaps.append(now - last)
        last = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    began = time.perf_counter()
    start()
    while not finished():
        app.processEvents()
        time.sleep(0.002)
    took = time.perf_counter() - began
    timer.stop()
    tick()
    return max(gaps) * 1000, took * 1000


def main() -> None:
    from PySide6.QtWidgets import QWizard

    from ui.app import make_application
    from ui.setup_wizard import SetupWizard
    from ui.unlock_dialog import UnlockDialog

    make_application()
    setup_pauses, setup_times, unlock_pauses, unlock_times = [], [], [], []
    for _ in range(3):
        folder = Path(tempfile.mkdtemp(prefix="resettle-bench-setup-")) / "profile"
        wizard = SetupWizard(folder)
        wizard.show()
        wizard.establishment_page.name.setText("HMP Fictional")
        wizard.next()
        page = wizard.admin_page
        page.username.setText("lead")
        page.passphrase.first.setText("quiet meadow lantern 42")
        page.passphrase.second.setText("quiet meadow lantern 42")
        next_button = wizard.button(QWizard.WizardButton.NextButton)
        pause, took = longest_pause(next_button.click,
                                    lambda page=page: page.workspace is not None
                                    or bool(page.message.text()) and not page.working)
        assert page.workspace is not None, page.message.text()
        setup_pauses.append(pause)
        setup_times.append(took)
        page.workspace.lock()
        wizard.close()

        dialog = UnlockDialog(folder, "", "lead")
        dialog.show()
        dialog.passphrase.setText("quiet meadow lantern 42")
        got: list[object] = []
        dialog.unlocked.connect(got.append)
        pause, took = longest_pause(dialog.try_unlock, lambda got=got: bool(got))
        unlock_pauses.append(pause)
        unlock_times.append(took)
        got[0].lock()  # type: ignore[attr-defined]
        dialog.close()
    med = statistics.median
    report("set-up Next: work done on a worker thread", med(setup_times), "ms", "—")
    report("set-up Next: longest pause of the window", med(setup_pauses), "ms", "< 100")
    report("unlock: work done on a worker thread", med(unlock_times), "ms", "—")
    report("unlock: longest pause of the window", med(unlock_pauses), "ms", "< 100")


if __name__ == "__main__":
    main()
