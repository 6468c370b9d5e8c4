"""Release day: opening a checklist, and the outcomes report over 10,000 releases.

Run: `make bench` or `QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_release_day.py`
The 10,000 released women are inserted directly (fictional, Z prison numbers), not through the
demo, so the profile builds in seconds.
"""

from __future__ import annotations

import random
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _common import median_ms, report


def main() -> None:
    from sqlalchemy import insert

    from app.services import release_day, vault
    from app.store.models import Person, ReleaseOutcome
    from ui.app import make_application
    from ui.release_day_panel import ReleaseDayPanel

    app = make_application()
    path = Path(tempfile.mkdtemp()) / "outcomes"
    vault.initialise(path, "HMP Benchmark (fictional)", "admin", "benchmark passphrase 1")
    ws = vault.unlock(path, "admin", "benchmark passphrase 1")
    rng = random.Random(5)
    today = date.today()
    now = datetime.now(UTC)
    codes = ["A01C", "A01D", "A07B", "A04", "A17", "A02", "A03", "NFA", "A08A"]
    people_rows, outcome_rows = [], []
    for i in range(10_000):
        released = today - timedelta(days=rng.randrange(15, 730))
        people_rows.append(dict(
            id=i + 1, prison_number=f"Z{i % 10000:04d}{chr(65 + i // 10000)}Q",
            family_name=f"Bench{i}", given_names="Fictiona", aliases="",
            date_of_birth=date(1980, 1, 1), nationality=rng.choice(["GB", "GB", "PL", "RO"]),
            first_language="en", interpreter_needed=False,
            custody_status=rng.choice(["SENTENCED", "REMAND", "RECALL"]),
            reception_at=datetime.combine(released - timedelta(days=200), datetime.min.time(),
                                          UTC),
            release_date=released, release_type="", home_local_authority="",
            mappa_level="", pom_name="", cpp_name="", key_worker_name="", notes="",
            created_at=now, updated_at=now, version=1))
        if rng.random() < 0.85:
            outcome_rows.append(dict(
                person_id=i + 1, released_on=released, accommodation_code=rng.choice(codes),
                address="", recorded_at=now, recorded_by="admin",
                sustained_12_weeks=rng.choice([True, False, None]), sustained_notes=""))
    with ws.engine.begin() as conn:
        conn.execute(insert(Person), people_rows)
        conn.execute(insert(ReleaseOutcome), outcome_rows)

    start, end = today - timedelta(days=730), today
    report("outcomes report, 10,000 releases",
           median_ms(lambda: release_day.outcomes_report(ws, start, end), repeat=5), "ms",
           "< 2000")

    release_day.checklist_for(ws, 1)
    panel = ReleaseDayPanel(ws)
    panel.show()
    from app.services import people

    draft = people.get_person(ws, 1).draft

    def open_checklist() -> None:
        panel.show_person(1, draft)
        app.processEvents()

    report("open a release-day checklist (panel)", median_ms(open_checklist), "ms", "< 150")
    ws.lock()


if __name__ == "__main__":
    main()
