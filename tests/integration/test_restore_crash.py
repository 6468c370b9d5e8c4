"""A restore killed at any file step leaves the old profile or the restored one, never neither.

Each run is a real child process killed (SIGKILL) just before its Nth rename/remove in the data
folder (tests/crash_harness.py), for every N until a run completes; the next unlock then finds a
whole profile and no work folders left behind.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.paths import BACKUP_DIRNAME, DB_FILENAME, KEYSLOTS_FILENAME
from app.services import backup, people, vault
from app.store.restore_journal import JOURNAL
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft
from tests.crash_harness import every_crash_point

OLD = ["Afterperson", "Beforeperson"]  # the live profile
RESTORED = ["Beforeperson"]  # what the backup holds


def restore_target(data_dir: str, archive: str, username: str, passphrase: str) -> None:
    """Run in the child process by the crash harness."""
    backup.restore_backup(Path(data_dir), Path(archive), username, passphrase)


def names_after_unlock(data_dir: Path) -> list[str]:
    ws = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    try:
        return sorted(r.family_name for r in people.caseload(ws))
    finally:
        ws.lock()


def leftovers(data_dir: Path) -> list[str]:
    return sorted(
        p.name for p in data_dir.iterdir()
        if p.name.startswith((".restore-", ".backup-", f".{JOURNAL}")) or p.name == JOURNAL
    )  # fmt: skip


@pytest.fixture
def pristine(workspace, data_dir, tmp_path) -> tuple[Path, Path]:
    """A copy of the live profile (OLD) and a backup of it taken earlier (RESTORED)."""
    people.add_person(workspace, make_draft(prison_number="Z0001AA", family_name="Beforeperson"))
    archive = backup.create_backup(workspace, tmp_path / "backup.zip").path
    people.add_person(workspace, make_draft(prison_number="Z0002AB", family_name="Afterperson"))
    workspace.lock()
    copy = tmp_path / "pristine"
    shutil.copytree(data_dir, copy)
    return copy, archive


def test_a_restore_killed_at_any_step_leaves_a_whole_profile(data_dir, pristine):
    copy, archive = pristine

    def reset() -> None:
        shutil.rmtree(data_dir)
        shutil.copytree(copy, data_dir)

    outcomes: dict[int, list[str]] = {}
    swapping_seen = False
    args = [str(data_dir), str(archive), ADMIN, ADMIN_PASSPHRASE]
    for step, run in every_crash_point(
        f"{__name__}:restore_target", args, watch=data_dir, before_each=reset
    ):
        if not run.killed:
            assert run.returncode == 0, run.stderr
        journal_left = (data_dir / JOURNAL).exists()
        swapping_seen |= journal_left
        names = names_after_unlock(data_dir)
        assert names in (OLD, RESTORED), f"step {step}: {names}"
        if journal_left:  # the swap had begun with every staged file checked: it is finished
            assert names == RESTORED, f"step {step}"
        assert leftovers(data_dir) == [], f"step {step}: {leftovers(data_dir)}"
        outcomes[step] = names
    assert swapping_seen
    assert outcomes[1] == OLD and outcomes[max(outcomes)] == RESTORED
    assert len(outcomes) > 5  # the harness really did stop it at many points


def test_an_interrupted_swap_with_a_damaged_staged_file_is_rolled_back(data_dir, pristine):
    """If a staged file no longer matches the journal, the replaced files go back."""
    copy, archive = pristine

    def reset() -> None:
        shutil.rmtree(data_dir)
        shutil.copytree(copy, data_dir)

    # Stop just after the journal is written: find that step, then damage the staged key slots.
    args = [str(data_dir), str(archive), ADMIN, ADMIN_PASSPHRASE]
    for _step, _run in every_crash_point(
        f"{__name__}:restore_target", args, watch=data_dir, before_each=reset
    ):
        if (data_dir / JOURNAL).exists() and not (data_dir / DB_FILENAME).exists():
            break  # the old database is aside, the new one not yet in
    else:
        pytest.fail("never stopped between the two halves of the swap")
    staged = next(data_dir.glob(".restore-*"))
    with (staged / KEYSLOTS_FILENAME).open("ab") as handle:
        handle.write(b" ")
    assert names_after_unlock(data_dir) == OLD
    assert leftovers(data_dir) == []
    assert not any((data_dir / BACKUP_DIRNAME).glob("replaced-by-restore-*/*"))


def test_leftover_work_folders_are_removed_at_the_next_unlock(data_dir, initialised):
    for name in (".restore-abc123", ".backup-def456"):
        (data_dir / name).mkdir()
        (data_dir / name / DB_FILENAME).write_bytes(b"half a copy")
    assert names_after_unlock(data_dir) == []
    assert leftovers(data_dir) == []
