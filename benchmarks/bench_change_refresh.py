"""One change on a 5,000-woman caseload: how long until every visible view shows it.

The window is open on the caseload with her record and its Plan tab on screen; the other lists
are loaded (hidden tabs). Each sample is one real service call (what the window's runner does)
and the event processing after it; the service call alone is measured too, so the refresh's own
cost is the difference.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_change_refresh.py`
"""

from __future__ import annotations

import dataclasses
import statistics
import time

from _common import demo_profile, report


def main() -> None:
    from app.services import people, planning, vault
    from ui.app import make_application
    from ui.main_window import MainWindow

    profile = demo_profile(5000)
    app = make_application()
    ws = vault.unlock(profile, "admin", "demo-passphrase")
    window = MainWindow(ws)
    window.resize(1366, 768)
    window.show()
    window._load_other_lists()
    app.processEvents()
    person_id = window.caseload.model.row_at(100).id
    window.open_person(person_id)
    if planning.plan_for(ws, person_id) is None:
        planning.start_plan(ws, person_id)
    window.person.show_tab("Plan")
    app.processEvents()
    task = planning.plan_for(ws, person_id).tasks[0]

    def timed(change) -> tuple[float, float]:
        start = time.perf_counter()
        change()
        app.processEvents()
        total = (time.perf_counter() - start) * 1000
        return total

    statuses = ["IN_PROGRESS", "NOT_STARTED"]
    task_total = [timed(lambda i=i: planning.update_task(ws, task.id, status=statuses[i % 2]))
                  for i in range(21)]
    # The same calls with nobody watching: the service's own time.
    bus = window.ops.bus
    bus.close()  # nobody hears the changes: the service's own time
    task_alone = [timed(lambda i=i: planning.update_task(ws, task.id, status=statuses[i % 2]))
                  for i in range(21)]

    def edit(i: int) -> None:
        record = people.reread_person(ws, person_id)
        draft = dataclasses.replace(record.draft, pom_name=f"Fictional POM {i}")
        people.update_person(ws, person_id, draft, record.version)

    person_alone = [timed(lambda i=i: edit(i)) for i in range(21)]
    bus._unsubscribe = ws.subscribe(bus._relay)
    person_total = [timed(lambda i=i: edit(i)) for i in range(21)]
    shown = window.caseload.model.row_at(window.caseload.model.row_of(person_id))
    assert shown.id == person_id
    med = statistics.median
    report("task status changed: commit + visible views", med(task_total[1:]), "ms", "—")
    report("task status changed: commit alone", med(task_alone[1:]), "ms", "—")
    report("  refresh of the visible views (difference)",
           med(task_total[1:]) - med(task_alone[1:]), "ms", "< 50")
    report("her record edited: commit + caseload row, header, tab", med(person_total[1:]),
           "ms", "—")
    report("her record edited: commit alone", med(person_alone[1:]), "ms", "—")
    report("  refresh of the visible views (difference)",
           med(person_total[1:]) - med(person_alone[1:]), "ms", "< 50")
    window.close()
    ws.lock()


if __name__ == "__main__":
    main()
