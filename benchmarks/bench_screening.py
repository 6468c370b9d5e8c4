"""Screening: open the BCST2 form, save one answer, list the induction view for 5,000 women.

Run: `make bench` or `QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_screening.py`
The induction figure uses a profile where nobody is screened yet: all 5,000 are in the queue.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _common import median_ms, report


def unscreened_profile(people: int = 5000) -> Path:
    from app.services import demo

    path = Path(tempfile.gettempdir()) / f"resettle-bench-unscreened-{people}"
    if not (path / "resettle.db").exists():
        demo.make_demo(path, people, seed=42, screenings=False)
    return path


def main() -> None:
    from app.services import people, screening, vault
    from ui.app import make_application
    from ui.induction_view import InductionView
    from ui.questionnaire_dialog import QuestionnaireDialog

    app = make_application()
    profile = unscreened_profile()
    ws = vault.unlock(profile, "admin", "demo-passphrase")
    person_id = people.caseload(ws)[0].id
    state = screening.screenings_for(ws, person_id)["BCST2"]
    count = len(state.form.questions())

    def open_form() -> None:
        dialog = QuestionnaireDialog(ws, state, "Benchmark")
        dialog.show()
        app.processEvents()
        dialog._dirty = False  # nothing typed: closing must not save
        dialog.close()
        dialog.deleteLater()

    report(f"open the BCST2 form ({count} questions)", median_ms(open_form), "ms", "< 200")

    dialog = QuestionnaireDialog(ws, state, "Benchmark")
    first = next(iter(dialog.rows.values()))

    def save_answer() -> None:
        widget = first.widget
        widget.setCurrentIndex(1 if widget.currentIndex() != 1 else 2)  # type: ignore[attr-defined]
        assert dialog.save_now()

    report("save one answer (draft, audited)", median_ms(save_answer, repeat=15), "ms", "< 50")
    dialog._dirty = False
    dialog.close()

    view = InductionView()
    view.show()

    def induction_view() -> None:
        from app.services import induction

        view.set_rows(induction.queue(ws))
        app.processEvents()
        assert view.model.rowCount() == 5000

    report("induction view, 5,000 women unscreened", median_ms(induction_view), "ms", "< 150")
    ws.lock()


if __name__ == "__main__":
    main()
