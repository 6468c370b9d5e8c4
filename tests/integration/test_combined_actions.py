"""Actions that save a file are one transaction and one audit entry, and the record and the file
agree: nothing is recorded when the file cannot be saved, and no file is left when the record
cannot be committed."""

from __future__ import annotations

import errno
import os
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.planning import following_week
from app.domain.timezone import now_utc, today_london
from app.errors import UserError
from app.services import meetings, people, planning, summary, transfers
from app.services.workspace import Workspace
from app.store import atomic
from app.store.models import AuditEntry, Transfer
from tests.conftest import make_draft

TODAY = today_london()
MONDAY, SUNDAY = following_week(TODAY)


def audit_actions(ws: Workspace) -> list[str]:
    with ws.read() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def transfers_recorded(ws: Workspace) -> int:
    with ws.read() as session:
        return session.scalar(select(func.count()).select_from(Transfer)) or 0


@pytest.fixture
def woman(workspace: Workspace) -> int:
    pid = people.add_person(workspace, make_draft(
        prison_number="Z4000AA", release_date=MONDAY + timedelta(days=4),
        release_time=time(10, 0), mappa_level="2",
        reception_at=now_utc() - timedelta(hours=5)))  # fmt: skip
    planning.start_plan(workspace, pid)
    return pid


@pytest.fixture
def folder(tmp_path):
    """Where the user saves (the profile has its own folder in tmp_path)."""
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    return chosen


def refuse_new_files(monkeypatch: pytest.MonkeyPatch, folder: object) -> None:
    """What a read-only folder does (even for root, who could write into a chmod 555 one)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(folder))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)


@pytest.mark.parametrize(("action", "expected"), [
    (lambda ws, pid, out: transfers.transfer_out(
        ws, pid, transferred_on=TODAY, destination="HMP Fictional Park", handover_pdf=out),
     "person_transferred"),
    (lambda ws, pid, out: summary.write_bcst_summary(ws, pid, out), "bcst_summary_printed"),
    (lambda ws, pid, out: meetings.write_edic(ws, MONDAY, SUNDAY, out), "edic_printed"),
    (lambda ws, pid, out: meetings.write_mappa(ws, TODAY, TODAY + timedelta(days=90), out),
     "mappa_printed"),
], ids=["transfer_out", "write_bcst_summary", "write_edic", "write_mappa"])  # fmt: skip
def test_one_audit_entry_per_combined_action(workspace, woman, folder, action, expected):
    before = audit_actions(workspace)
    out = folder / "out.pdf"
    action(workspace, woman, out)
    assert audit_actions(workspace)[len(before):] == [expected]
    assert out.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in folder.iterdir()) == ["out.pdf"]  # no temporary file


def test_transfer_to_a_folder_that_refuses_files_records_nothing(workspace, woman, folder,
                                                                 monkeypatch):  # fmt: skip
    before = audit_actions(workspace)
    refuse_new_files(monkeypatch, folder)
    with pytest.raises(UserError, match="not allowed to save in") as caught:
        transfers.transfer_out(workspace, woman, transferred_on=TODAY,
                               destination="HMP Fictional Park",
                               handover_pdf=folder / "handover.pdf")  # fmt: skip
    monkeypatch.undo()
    assert "Choose another folder" in str(caught.value)
    assert "Errno" not in str(caught.value)
    assert list(folder.iterdir()) == []
    assert transfers_recorded(workspace) == 0
    assert audit_actions(workspace) == before
    # Nothing half-done stands in the way of doing it properly.
    transfers.transfer_out(workspace, woman, transferred_on=TODAY,
                           destination="HMP Fictional Park",
                           handover_pdf=folder / "handover.pdf")  # fmt: skip
    assert transfers_recorded(workspace) == 1


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root can write into a read-only folder; the refusal test covers it")
def test_summary_into_a_read_only_folder_is_a_plain_user_error(workspace, woman, folder):
    folder.chmod(0o555)
    before = audit_actions(workspace)
    try:
        with pytest.raises(UserError, match="not allowed to save in"):
            summary.write_bcst_summary(workspace, woman, folder / "summary.pdf")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)
    assert audit_actions(workspace) == before


def test_a_full_disk_leaves_no_partial_file_and_no_record(workspace, woman, folder,
                                                          monkeypatch):  # fmt: skip
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    before = audit_actions(workspace)
    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(UserError, match="not enough space"):
        meetings.write_edic(workspace, MONDAY, SUNDAY, folder / "edic.pdf")
    monkeypatch.undo()
    assert list(folder.iterdir()) == []
    assert audit_actions(workspace) == before


def test_a_failed_commit_removes_the_saved_file(workspace, folder):
    """The file is saved last inside the transaction; if the commit still fails, it goes."""
    out = folder / "report.pdf"
    before = audit_actions(workspace)
    with pytest.raises(Exception), workspace.operation_with_file(  # noqa: B017, PT011
            out, "test_action", "caseload") as (_session, entry, save):  # fmt: skip
        save(b"%PDF-1.4 made up")
        assert out.is_file()
        entry.action = None  # type: ignore[assignment]  # NOT NULL: the commit fails
    assert not out.exists()
    assert list(folder.iterdir()) == []
    assert audit_actions(workspace) == before


def test_an_existing_file_is_left_alone_when_nothing_can_be_saved(workspace, woman, folder,
                                                                  monkeypatch):  # fmt: skip
    out = folder / "summary.pdf"
    out.write_bytes(b"yesterday's summary")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(UserError, match="cannot replace"):
        summary.write_bcst_summary(workspace, woman, out)
    monkeypatch.undo()
    assert out.read_bytes() == b"yesterday's summary"
    assert sorted(p.name for p in folder.iterdir()) == ["summary.pdf"]
