"""A restore killed at any file step leaves the old profile or the restored one, never neither.

Each run is a real child process killed (SIGKILL) just before its Nth rename/remove in the data
folder (tests/crash_harness.py), for every N until a run completes; the next unlock then finds a
whole profile and no work folders left behind.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.paths import BACKUP_DIRNAME, DB_FILENAME, KEYSLOTS_FILENAME, is_initialised
from app.services import backup, people, vault
from app.store.restore_journal import JOURNAL
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, make_draft
from tests.crash_harness import every_crash_point, run_killed_at

# Every step that changes which files exist: renames (os.replace too), removals, tree removals.
# (Folder creation is left out: killed there, the state equals being killed just before the
# next counted step, and each step costs a process start.)
FILE_STEPS = ("os.rename", "os.remove", "shutil.rmtree", "shutil.move")
OLD = ["Afterperson", "Beforeperson"]  # the live profile
RESTORED = ["Beforeperson"]  # what the backup holds


def restore_target(data_dir: str, archive: str, username: str, passphrase: str) -> None:
    """Run in the child process by the crash harness."""
    backup.restore_backup(Path(data_dir), Path(archive), username, passphrase)


def recover_target(data_dir: str) -> None:
    """Run in the child process: what the next start does first."""
    is_initialised(Path(data_dir))


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


def stop_mid_swap(data_dir: Path, copy: Path, archive: Path) -> None:
    """Leave `data_dir` as a restore killed with the old database aside, the new one not in."""
    args = [str(data_dir), str(archive), ADMIN, ADMIN_PASSPHRASE]
    target = f"{__name__}:restore_target"
    shutil.rmtree(data_dir)
    shutil.copytree(copy, data_dir)
    whole = run_killed_at(0, target, args, watch=data_dir)  # a complete run, to read its steps
    aside = whole.steps_seen.index(f"os.rename {data_dir / DB_FILENAME}") + 1  # 1-based
    shutil.rmtree(data_dir)
    shutil.copytree(copy, data_dir)
    assert run_killed_at(aside + 1, target, args, watch=data_dir).killed
    assert (data_dir / JOURNAL).exists() and not (data_dir / DB_FILENAME).exists()


@pytest.fixture
def pristine(workspace, data_dir, tmp_path) -> tuple[Path, Path]:
    """A copy of the live profile (OLD) and a backup of it taken earlier (RESTORED)."""
    people.add_person(workspace, make_draft(prison_number="Z0001AA", family_name="Beforeperson"))
    archive = backup.create_backup(workspace, tmp_path / "backup.zip").path
    people.add_person(workspace, make_draft(prison_number="Z0002AB", family_name="Afterperson"))
    copy = tmp_path / "pristine"
    shutil.copytree(data_dir, copy)  # still open: as a window left it, with -wal and -shm
    workspace.lock()
    assert (copy / f"{DB_FILENAME}-wal").exists() and (copy / f"{DB_FILENAME}-shm").exists()
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
        f"{__name__}:restore_target", args, watch=data_dir, before_each=reset, events=FILE_STEPS
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
    stop_mid_swap(data_dir, *pristine)
    staged = next(data_dir.glob(".restore-*"))
    with (staged / KEYSLOTS_FILENAME).open("ab") as handle:
        handle.write(b" ")
    assert names_after_unlock(data_dir) == OLD
    assert leftovers(data_dir) == []
    assert not any((data_dir / BACKUP_DIRNAME).glob("replaced-by-restore-*/*"))


def test_finishing_an_interrupted_restore_can_itself_be_interrupted(data_dir, pristine, tmp_path):
    """Killed mid-swap, then killed again at each step of the recovery: still whole."""
    stop_mid_swap(data_dir, *pristine)
    mid_swap = tmp_path / "mid-swap"
    shutil.copytree(data_dir, mid_swap)

    def back_to_mid_swap() -> None:
        shutil.rmtree(data_dir)
        shutil.copytree(mid_swap, data_dir)

    runs = 0
    for step, _run in every_crash_point(
        f"{__name__}:recover_target", [str(data_dir)], watch=data_dir, before_each=back_to_mid_swap
    ):
        runs += 1
        assert names_after_unlock(data_dir) == RESTORED, f"recovery step {step}"
        assert leftovers(data_dir) == [], f"recovery step {step}"
    assert runs > 3


def test_leftover_work_folders_are_removed_at_the_next_unlock(data_dir, initialised):
    for name in (".restore-abc123", ".backup-def456"):
        (data_dir / name).mkdir()
        (data_dir / name / DB_FILENAME).write_bytes(b"half a copy")
    assert names_after_unlock(data_dir) == []
    assert leftovers(data_dir) == []
