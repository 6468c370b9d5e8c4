"""Every commit publishes what it changed, read off the unit of work, so no view can be missed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.services import people, planning
from app.services.changes import Changes, Kind
from app.services.workspace import Workspace
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft


def record(ws: Workspace) -> list[Changes]:
    seen: list[Changes] = []
    ws.subscribe(seen.append)
    return seen


def test_adding_a_person_names_her_and_the_kinds_touched(workspace: Workspace) -> None:
    seen = record(workspace)
    person_id = people.add_person(workspace, make_draft())
    assert len(seen) == 1
    assert seen[0].touches(Kind.PEOPLE, Kind.AUDIT)
    assert seen[0].people == {person_id}
    assert not seen[0].all_people


def test_a_child_row_is_traced_to_her_through_its_parent(workspace: Workspace) -> None:
    person_id = people.add_person(workspace, make_draft())
    planning.start_plan(workspace, person_id)
    seen = record(workspace)
    plan = planning.plan_for(workspace, person_id)
    assert plan is not None and plan.tasks
    planning.update_task(workspace, plan.tasks[0].id, status="DONE")
    assert seen[-1].touches_person(person_id, Kind.PLAN)
    assert not seen[-1].touches(Kind.PEOPLE)


def test_a_failed_action_publishes_nothing(workspace: Workspace) -> None:
    people.add_person(workspace, make_draft())
    seen = record(workspace)
    try:
        people.add_person(workspace, make_draft())  # same prison number: refused
    except Exception:  # noqa: BLE001 - the refusal itself is tested elsewhere
        pass
    assert seen == []


def test_reads_publish_nothing_and_unsubscribe_stops_delivery(workspace: Workspace) -> None:
    seen: list[Changes] = []
    stop = workspace.subscribe(seen.append)
    person_id = people.add_person(workspace, make_draft())
    people.history(workspace, person_id)
    assert len(seen) == 1
    stop()
    people.add_person(workspace, make_draft(prison_number="Z1234AC"))
    assert len(seen) == 1


def test_another_process_s_change_is_found_from_the_audit_log(
        workspace: Workspace, data_dir: Path) -> None:
    person_id = people.add_person(workspace, make_draft())
    assert workspace.check_external_changes().empty  # our own change is not news
    csv = data_dir.parent / "more.csv"
    csv.write_text(
        "prison_number,family_name,given_names,date_of_birth,nationality,first_language,"
        "custody_status,reception_date\nZ7777ZZ,Otherperson,Fictive,1988-01-02,GB,en,REMAND,2026-11-30\n",
        encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "import-people", "--data-dir", str(data_dir),
         "--user", ADMIN, str(csv)],
        input=ADMIN_PASSPHRASE + "\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = record(workspace)
    found = workspace.check_external_changes()
    assert found.touches(Kind.PEOPLE) and found.all_people
    assert seen == [found]
    assert workspace.check_external_changes().empty  # seen once only
    assert person_id


def test_a_plan_opened_by_bulk_insert_names_her(workspace: Workspace) -> None:
    from datetime import timedelta

    from app.domain.timezone import today_london

    person_id = people.add_person(workspace, make_draft(
        release_date=today_london() + timedelta(days=30)))
    seen = record(workspace)
    assert planning.open_due_plans(workspace) == [person_id]
    assert seen[-1].touches_person(person_id, Kind.PLAN)
    assert not seen[-1].all_people
