"""Several Resettles on one profile at once: real `resettle` processes and the window's services.

Every unlock writes (its audit entry, the plans due at 12 weeks, a migration), and so does every
audited list. They all take the write lock as they begin (BEGIN IMMEDIATE) and wait their turn
(busy timeout) instead of failing at once with "database is locked"; reading takes no write lock,
so a long list never makes a writer wait. Past the wait limit the user is told, in words, that
another Resettle is busy.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from app import cli
from app.domain.audit_actions import Action
from app.errors import Busy
from app.paths import BACKUP_DIRNAME, DB_FILENAME
from app.services import demo, people, vault
from app.store import engine as engine_module
from app.store import migrate
from app.store.engine import connect_raw
from app.store.models import Plan
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft
from tests.integration.conftest import database_key
from tests.integration.test_migrations import make_profile_at_0001

REPO = Path(__file__).resolve().parents[2]
LOGIN = ["--user", demo.DEMO_USER, "--passphrase-stdin"]
DEADLINE_SECONDS = 180
IMPORT_HEADER = (
    "prison_number,family_name,given_names,date_of_birth,nationality,first_language,"
    "custody_status,reception_date,release_date,home_local_authority\n"
)


def start(data_dir: Path, *argv: str, passphrase: str = demo.DEMO_PASSPHRASE,
          login: list[str] | None = None) -> subprocess.Popen[str]:
    """`resettle ARGV` as its own process; its passphrase is written once all have started."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", *argv, "--data-dir", str(data_dir),
         *(LOGIN if login is None else login)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=REPO, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    proc.passphrase = passphrase  # type: ignore[attr-defined]
    return proc


def release(procs: list[subprocess.Popen[str]]) -> None:
    """Give every process its passphrase at (nearly) the same moment, so their unlocks meet."""
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(proc.passphrase + "\n")  # type: ignore[attr-defined]
        proc.stdin.flush()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.stdin = None  # communicate() must not flush it again


def finish(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str, str]]:
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=DEADLINE_SECONDS)
        results.append((proc.returncode, out, err))
    return results


def assert_all_succeeded(results: list[tuple[int, str, str]]) -> None:
    failed = [(code, err.strip()) for code, _out, err in results if code != 0]
    assert not failed, failed


def audit_counts(data_dir: Path, username: str = demo.DEMO_USER,
                 passphrase: str = demo.DEMO_PASSPHRASE) -> Counter[str]:
    conn = connect_raw(data_dir / DB_FILENAME, database_key(data_dir, username, passphrase))
    try:
        return Counter(row[0] for row in conn.execute("SELECT action FROM audit_log"))
    finally:
        conn.close()


@pytest.fixture
def demo_dir(data_dir: Path) -> Path:
    demo.make_demo(data_dir, 40, seed=3)  # in-process, so its key slots use the fast test KDF
    return data_dir


def test_six_people_commands_at_once_all_succeed(demo_dir):
    before = audit_counts(demo_dir)
    procs = [start(demo_dir, "people", "--format", "json") for _ in range(6)]
    release(procs)
    results = finish(procs)
    assert_all_succeeded(results)
    assert {out.count('"prison_number"') for _code, out, _err in results} == {40}
    after = audit_counts(demo_dir)
    assert after[Action.UNLOCK] - before[Action.UNLOCK] == 6
    assert after[Action.PEOPLE_LISTED] - before[Action.PEOPLE_LISTED] == 6


def test_import_people_backup_and_audit_together_with_the_window_writing(demo_dir, tmp_path):
    """The window's services keep saving in this process while four kinds of command run."""
    csv_files = []
    for batch in range(2):
        csv_file = tmp_path / f"batch{batch}.csv"
        csv_file.write_text(IMPORT_HEADER + "".join(
            f"X{batch}{n:03d}AA,Concurrent,Fictiona,1990-01-01,GB,en,SENTENCED,2026-01-05,,\n"
            for n in range(30)), encoding="utf-8")  # fmt: skip
        csv_files.append(csv_file)
    ws = vault.unlock(demo_dir, demo.DEMO_USER, demo.DEMO_PASSPHRASE)
    try:
        procs = [
            start(demo_dir, "import-people", str(csv_files[0])),
            start(demo_dir, "import-people", str(csv_files[1])),
            start(demo_dir, "people", "--format", "csv"),
            start(demo_dir, "people", "--format", "csv"),
            start(demo_dir, "backup", "--out", str(tmp_path)),
            start(demo_dir, "audit", "--format", "json"),
        ]
        release(procs)
        added: list[str] = []
        deadline = time.monotonic() + DEADLINE_SECONDS
        # Until every command has ended (and at least a few times), save as the window would.
        while len(added) < 3 or any(proc.poll() is None for proc in procs):
            assert time.monotonic() < deadline, "the commands did not finish"
            number = f"Y{len(added):04d}QQ"
            people.add_person(ws, make_draft(prison_number=number))
            people.caseload(ws)
            added.append(number)
        results = finish(procs)
        assert_all_succeeded(results)
        assert all(people.find_id(ws, number) is not None for number in added)
        numbers = {row.prison_number for row in people.caseload(ws)}
        assert {f"X{b}{n:03d}AA" for b in range(2) for n in range(30)} <= numbers
    finally:
        ws.lock()
    assert len(list(tmp_path.glob("resettle-backup-*.zip"))) == 1
    counts = audit_counts(demo_dir)
    assert counts[Action.PEOPLE_IMPORTED] == 2
    assert counts[Action.BACKUP_CREATED] == 1


def test_plans_due_at_unlock_open_once_when_several_unlock_together(demo_dir):
    key = database_key(demo_dir, demo.DEMO_USER, demo.DEMO_PASSPHRASE)
    conn = connect_raw(demo_dir / DB_FILENAME, key)
    try:  # forget every plan, as if the 12-week mark had just passed for those women
        conn.execute("DELETE FROM plan_tasks")
        conn.execute("DELETE FROM plans")
        conn.commit()
    finally:
        conn.close()
    procs = [start(demo_dir, "people", "--format", "json") for _ in range(4)]
    release(procs)
    assert_all_succeeded(finish(procs))
    assert audit_counts(demo_dir)[Action.PLANS_OPENED] == 1
    ws = vault.unlock(demo_dir, demo.DEMO_USER, demo.DEMO_PASSPHRASE)
    try:
        with ws.read() as session:
            opened = session.scalars(select(Plan.person_id)).all()
        assert opened and len(opened) == len(set(opened))
    finally:
        ws.lock()


def test_an_old_database_is_migrated_once_when_several_unlock_together(data_dir):
    make_profile_at_0001(data_dir)
    login = ["--user", ADMIN, "--passphrase-stdin"]
    procs = [start(data_dir, "people", "--format", "json", passphrase=ADMIN_PASSPHRASE,
                   login=login) for _ in range(4)]  # fmt: skip
    release(procs)
    results = finish(procs)
    assert_all_succeeded(results)
    assert all('"Z0001AA"' in out for _code, out, _err in results)
    conn = connect_raw(data_dir / DB_FILENAME, database_key(data_dir))
    try:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        unlocks = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'unlock'").fetchone()
    finally:
        conn.close()
    assert version == [(migrate.HEAD,)]
    assert unlocks == (4,)
    assert len(list((data_dir / BACKUP_DIRNAME).glob("before-migration-*"))) == 1


# --- past the wait limit: plain words, and readers carry on -----------------------------------


@pytest.fixture
def write_lock_held(workspace, monkeypatch):
    """Another Resettle holds the write lock (an open write transaction) for the whole test."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    workspace.lock()  # its pooled connections were made with the long wait; open anew
    other = connect_raw(workspace.data_dir / DB_FILENAME, database_key(workspace.data_dir))
    other.execute("BEGIN IMMEDIATE")
    yield other
    other.rollback()
    other.close()


def test_a_write_past_the_wait_limit_says_another_resettle_is_busy(data_dir, initialised,
                                                                   write_lock_held):
    # Unlocking writes its audit entry, so it waits and then says why it cannot go on.
    with pytest.raises(Busy, match="Another Resettle is busy with this profile; try again"):
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)


def test_readers_never_fail_because_of_a_writer(data_dir, initialised, monkeypatch):
    ws = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    try:
        people.add_person(ws, make_draft(prison_number="Z5001AA"))
        monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
        other = connect_raw(data_dir / DB_FILENAME, database_key(data_dir))
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("DELETE FROM audit_log WHERE id < 0")  # a write in progress
            assert people.find_id(ws, "Z5001AA") is not None  # reading goes on
            with pytest.raises(Busy):
                people.add_person(ws, make_draft(prison_number="Z5002AA"))
        finally:
            other.rollback()
            other.close()
        people.add_person(ws, make_draft(prison_number="Z5002AA"))  # its turn came
    finally:
        ws.lock()


def test_the_cli_says_another_resettle_is_busy_in_one_line(
    data_dir, initialised, write_lock_held, monkeypatch, capsys
):
    monkeypatch.setattr(sys, "stdin", _Lines(ADMIN_PASSPHRASE))
    before = audit_counts(data_dir, ADMIN, ADMIN_PASSPHRASE)
    code = cli.main(["people", "--data-dir", str(data_dir), "--user", ADMIN,
                     "--passphrase-stdin"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert err == "resettle: Another Resettle is busy with this profile; try again in a moment.\n"
    assert audit_counts(data_dir, ADMIN, ADMIN_PASSPHRASE) == before  # nothing half-way


class _Lines:
    def __init__(self, *lines: str) -> None:
        self._text = "".join(f"{line}\n" for line in lines)

    def read(self) -> str:
        return self._text


def test_a_new_connection_waits_for_the_write_lock(data_dir, initialised):
    """The wait is set on every connection, before its first statement."""
    conn = connect_raw(data_dir / DB_FILENAME, database_key(data_dir))
    try:
        timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    finally:
        conn.close()
    assert timeout == engine_module.BUSY_TIMEOUT_MS
