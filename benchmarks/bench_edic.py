"""The weekly EDIC list on a realistic demo caseload: every week a plan can be open in.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_edic.py [PEOPLE]` (default
1,000 women; the demo gives some plans 30 to 120 open tasks, and referrals). Each of the next
13 ISO weeks is printed as `resettle edic` prints it (app.services.meetings.write_edic); a week
that cannot be printed (LayoutError, issue 13) fails the run. Reports the slowest week.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from _common import report


def profile(people: int) -> Path:
    """A demo profile made once per machine with this version's demo (busy plans)."""
    from app.services import demo

    path = Path(tempfile.gettempdir()) / f"resettle-bench-edic-{people}"
    if not (path / "resettle.db").exists():
        demo.make_demo(path, people, seed=42)
    return path


def main() -> None:
    from app.domain.timezone import today_london
    from app.services import demo, meetings, vault

    people = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    ws = vault.unlock(profile(people), demo.DEMO_USER, demo.DEMO_PASSPHRASE)
    out = Path(tempfile.mkdtemp()) / "edic.pdf"
    slowest, women, tasks = 0.0, 0, 0
    try:
        today = today_london()
        for week in range(13):
            start = today - timedelta(days=today.weekday()) + timedelta(weeks=week)
            end = start + timedelta(days=6)
            rows = meetings.edic_rows(ws, start, end)
            began = time.perf_counter()
            meetings.write_edic(ws, start, end, out)
            took = (time.perf_counter() - began) * 1000
            if took > slowest:
                slowest = took
            women = max(women, len(rows))
            tasks = max([tasks, *(len(r.open_tasks) for r in rows)])
    finally:
        ws.lock()
    report(f"EDIC list, slowest of 13 weeks ({people} women)", slowest, "ms", "< 3000")
    print(f"  most women in a week: {women}; most open tasks for one woman: {tasks}")


if __name__ == "__main__":
    main()
