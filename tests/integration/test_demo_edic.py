"""The EDIC list prints for every week of a realistic demo caseload (issue 13).

The demo gives some women 30 or more open tasks (busy plans) and referrals, as real caseloads
have; `resettle edic` used to exit 3 (LayoutError) on such a week. Fictional data only.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

from sqlalchemy import func, select

from app.domain.timezone import today_london
from app.services import demo, meetings, vault
from app.store.models import Plan, PlanTask, Referral


def test_edic_prints_every_week_of_a_demo_caseload_with_busy_plans(data_dir, tmp_path):
    demo.make_demo(data_dir, 300, seed=4)  # seed 4: three weeks raised LayoutError before
    ws = vault.unlock(data_dir, demo.DEMO_USER, demo.DEMO_PASSPHRASE)
    try:
        with ws.read() as session:
            open_counts = session.execute(
                select(Plan.person_id, func.count(PlanTask.id))
                .join(PlanTask, PlanTask.plan_id == Plan.id)
                .where(PlanTask.status.in_(("NOT_STARTED", "IN_PROGRESS")))
                .group_by(Plan.person_id)).all()  # fmt: skip
            referrals = session.scalar(select(func.count(Referral.id)))
        busiest = max(count for _person, count in open_counts)
        assert busiest >= 40, "the demo has some very busy plans"
        assert sum(1 for _p, count in open_counts if count >= 30) >= 3
        assert referrals and referrals > 10

        today = today_london()
        printed_busy = False
        for week in range(13):  # every week a plan can be open in (12 weeks before release)
            start = today - timedelta(days=today.weekday()) + timedelta(weeks=week)
            end = start + timedelta(days=6)
            rows = meetings.edic_rows(ws, start, end)
            out = tmp_path / f"edic-{week}.pdf"
            assert meetings.write_edic(ws, start, end, out) == len(rows)
            if rows and max(len(r.open_tasks) for r in rows) >= 30 and shutil.which("pdftotext"):
                text = " ".join(subprocess.run(["pdftotext", "-raw", str(out), "-"], check=True,
                                               capture_output=True, text=True).stdout.split())
                for row in rows:
                    assert row.prison_number in text
                    for task in row.open_tasks:
                        assert " ".join(task.split()) in text
                printed_busy = True
        assert printed_busy, "some week's list has a woman with 30 or more open tasks"
    finally:
        ws.lock()
