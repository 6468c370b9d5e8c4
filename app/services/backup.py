"""Encrypted, integrity-checked backups of a workstation profile, and restoring one.

A backup is a zip of three members: the database copy (already SQLCipher-encrypted, made with
`VACUUM INTO` so the WAL is included), the key-slot file (so the same passphrases and recovery
key open it), and a manifest with the SHA-256 of both. Nothing in it is readable without a
passphrase or the recovery key. Restoring checks every hash, opens the copy with the restoring
user's passphrase, runs SQLCipher's page check and SQLite's integrity check, and only then
swaps it in, keeping the replaced files aside.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app import __version__
from app.domain.audit_actions import Action, RecordType
from app.domain.roles import Permission
from app.domain.timezone import now_utc
from app.errors import UserError
from app.paths import BACKUP_DIRNAME, DB_FILENAME, KEYSLOTS_FILENAME
from app.services import vault
from app.services.workspace import Workspace
from app.store import restore_journal
from app.store.migrate import HEAD, known_revisions
from app.store.private import open_private, private_folder
from app.store.snapshot import vacuum_into, verify_copy

FORMAT = "resettle-backup/1"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: str
    schema: str
    size_bytes: int


_sha256 = restore_journal.sha256


def _destination(out: Path, into_folder: bool) -> Path:
    """The backup's file: `out`, or a dated name in `out` when it is (or is to be) a folder.
    An existing file is never replaced."""
    if into_folder and not out.is_dir():
        if out.exists():
            raise UserError(f"{out} is a file, not a folder. Choose another place.")
        try:
            out.mkdir(parents=True)
        except OSError as exc:
            raise UserError(f"Could not make the folder {out}: {exc.strerror or exc}.") from exc
    if out.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        name, n = out / f"resettle-backup-{stamp}.zip", 1
        while name.exists():
            n += 1
            name = out / f"resettle-backup-{stamp}-{n}.zip"
        return name
    if out.exists() or out.is_symlink():
        raise UserError(f"There is already a file {out}. Choose another name; "
                        "Resettle does not write over it.")  # fmt: skip
    return out


def _place(partial: Path, out: Path) -> None:
    """Give the finished backup its name, never over a file that appeared meanwhile."""
    try:
        os.link(partial, out)  # fails if `out` exists
    except FileExistsError:
        raise UserError(f"There is already a file {out}. Choose another name; "
                        "Resettle does not write over it.") from None  # fmt: skip
    except OSError:  # no hard links on this drive (e.g. a FAT stick): check, then rename
        if out.exists():
            raise UserError(f"There is already a file {out}. Choose another name.") from None
        partial.replace(out)
        return
    partial.unlink()


def create_backup(ws: Workspace, out: Path, *, into_folder: bool = False) -> BackupInfo:
    """Write a checked backup to `out` (a new file, or a dated file in the folder `out`;
    `into_folder` makes that folder when it is missing). Owner-only (0600) on POSIX."""
    ws.require(Permission.BACKUP)
    out = _destination(out.expanduser().resolve(), into_folder)
    with tempfile.TemporaryDirectory(dir=ws.data_dir, prefix=".backup-") as work, \
            restore_journal.in_use(Path(work)):  # fmt: skip
        copy = Path(work) / DB_FILENAME
        vacuum_into(ws.engine, copy)
        verify_copy(copy, ws.db_key)
        slots = ws.data_dir / KEYSLOTS_FILENAME
        created = now_utc().isoformat()
        manifest = {
            "format": FORMAT,
            "app_version": __version__,
            "schema": HEAD,
            "created_at": created,
            "created_by": ws.user.username,
            "members": {DB_FILENAME: _sha256(copy), KEYSLOTS_FILENAME: _sha256(slots)},
        }
        partial = out.with_name(out.name + ".partial")
        try:
            with open_private(partial) as handle:
                with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
                    archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
                    archive.write(copy, DB_FILENAME)
                    archive.write(slots, KEYSLOTS_FILENAME)
                handle.flush()
                os.fsync(handle.fileno())  # on the media before we call it a backup
            _check_archive(partial, Path(work) / "check")
            _place(partial, out)
        except (OSError, UserError) as exc:
            with contextlib.suppress(OSError):  # e.g. the folder is a file or the stick is gone
                partial.unlink(missing_ok=True)
            if isinstance(exc, UserError):
                raise
            raise UserError(
                f"Could not write the backup to {out.parent}: {exc.strerror or exc}. "
                "Nothing was changed."
            ) from exc
    with ws.operation(Action.BACKUP_CREATED, RecordType.BACKUP) as (_session, entry):
        entry.detail = f"schema={HEAD}"
    return BackupInfo(out, created, HEAD, out.stat().st_size)


def _check_archive(archive_path: Path, into: Path) -> dict[str, object]:
    """Unpack into `into` and check the manifest's hashes; return the manifest."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            manifest = json.loads(archive.read(MANIFEST))
            if manifest.get("format") != FORMAT:
                raise UserError(f"{archive_path.name} is not a Resettle backup.")
            members = manifest.get("members", {})
            if set(members) != {DB_FILENAME, KEYSLOTS_FILENAME}:
                raise UserError(f"{archive_path.name} is incomplete.")
            private_folder(into)
            for name in members:
                with archive.open(name) as member, open_private(into / name) as target:
                    shutil.copyfileobj(member, target, 1 << 20)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UserError(f"{archive_path.name} is not a readable Resettle backup.") from exc
    for name, expected in members.items():
        if _sha256(into / name) != expected:
            raise UserError(
                f"{archive_path.name} is damaged or was altered "
                f"({name} does not match its checksum)."
            )
    return manifest


def restore_backup(data_dir: Path, archive: Path, username: str, passphrase: str) -> Path | None:
    """Replace this workstation's data with the backup; return where the old files were kept.

    Everything is unpacked and checked in a work folder first; then `restore.journal` is written
    and the files are swapped one rename at a time (app.store.restore_journal), so a crash at any
    point leaves the old profile or the restored one at the next start, never neither.
    """
    if not archive.is_file():
        raise UserError(f"There is no file {archive}.")
    private_folder(data_dir)
    restore_journal.recover_interrupted_restore(data_dir)  # an earlier one cut short
    staged = Path(tempfile.mkdtemp(dir=data_dir, prefix=restore_journal.RESTORE_PREFIX))
    try:
        with restore_journal.in_use(staged):
            manifest = _check_archive(archive, staged)
            if manifest.get("schema") not in known_revisions():
                raise UserError("This backup was made by a newer version of Resettle.")
            # Throttled and recorded like an unlock (vault.open_backup_slot), never a free
            # oracle for guessing passphrases.
            db_key = vault.open_backup_slot(data_dir, staged / KEYSLOTS_FILENAME, username,
                                            passphrase)
            verify_copy(staged / DB_FILENAME, db_key)
            hashes = {}
            for name in (DB_FILENAME, KEYSLOTS_FILENAME):
                restore_journal.fsync_file(staged / name)
                hashes[name] = restore_journal.sha256(staged / name)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = data_dir / BACKUP_DIRNAME / f"replaced-by-restore-{stamp}"
            had_data = any((data_dir / n).exists() for n in (DB_FILENAME, KEYSLOTS_FILENAME))
            if had_data:
                private_folder(data_dir / BACKUP_DIRNAME)
            restore_journal.write_journal(data_dir, staged, kept, hashes)
            try:
                restore_journal.complete_swap(data_dir)
            except OSError as exc:
                with contextlib.suppress(OSError, UserError):
                    restore_journal.roll_back_swap(data_dir)
                raise UserError(
                    f"The backup could not be put in place in {data_dir}: "
                    f"{exc.strerror or exc}. The data it would have replaced is still there."
                ) from exc
    finally:
        if not (data_dir / restore_journal.JOURNAL).exists():
            shutil.rmtree(staged, ignore_errors=True)
    ws = vault.unlock(data_dir, username, passphrase)
    try:
        with ws.operation(Action.BACKUP_RESTORED, RecordType.BACKUP) as (_session, entry):
            entry.detail = f"schema={manifest.get('schema')}"
    finally:
        ws.lock()
    return kept if had_data else None
