"""Planning: the board for 5,000 women, and the EDIC PDF for a 40-woman week.

Run: `make bench` or `QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_planning.py`
"""

from __future__ import annotations

import shutil
import tempfile
import time as time_module
from datetime import time, timedelta
from pathlib import Path

from _common import demo_profile, median_ms, report


def main() -> None:
    from app.domain import planning as rules
    from app.domain.timezone import today_london
    from app.services import meetings, people, planning, vault
    from tests.conftest import make_draft
    from ui.app import make_application
    from ui.planning_board import PlanningBoard

    app = make_application()
    ws = vault.unlock(demo_profile(5000), "admin", "demo-passphrase")

    board = PlanningBoard(ws)
    board.show()

    def load_board() -> None:
        board.reload()
        app.processEvents()

    report("planning board, 5,000 women (query + view)", median_ms(load_board), "ms", "< 200")
    report("planning board, service only", median_ms(lambda: planning.board(ws)), "ms", "-")
    # Plans open at unlock: usually nothing is due (one cheap query, no write).
    report("plans opened at unlock, none due", median_ms(lambda: planning.open_due_plans(ws)),
           "ms", "< 20")
    ws.lock()

    # A week without an unlock: about 55 plans open at once (on a copy: this writes).
    copy = Path(tempfile.mkdtemp()) / "plans"
    shutil.copytree(demo_profile(5000), copy)
    ws = vault.unlock(copy, "admin", "demo-passphrase")
    started = time_module.perf_counter()
    opened = planning.open_due_plans(ws, today_london() + timedelta(days=7))
    report(f"plans opened at unlock after a week away ({len(opened)} plans)",
           (time_module.perf_counter() - started) * 1000, "ms", "< 2000")
    ws.lock()

    # A separate small profile with exactly 40 women released in one week.
    path = Path(tempfile.mkdtemp()) / "edic"
    vault.initialise(path, "HMP Benchmark (fictional)", "admin", "benchmark passphrase 1")
    ws = vault.unlock(path, "admin", "benchmark passphrase 1")
    start, end = rules.following_week(today_london())
    for i in range(40):
        people.add_person(ws, make_draft(
            prison_number=f"Z{i:04d}BM", family_name=f"Benchmark{i}",
            release_date=start + timedelta(days=i % 7), release_time=time(9 + i % 9, 0),
            mappa_level=("", "1", "2")[i % 3]))
    out = Path(tempfile.mkdtemp()) / "edic.pdf"
    report("EDIC PDF, 40 women", median_ms(lambda: meetings.write_edic(ws, start, end, out)),
           "ms", "< 1000")
    ws.lock()


if __name__ == "__main__":
    main()
