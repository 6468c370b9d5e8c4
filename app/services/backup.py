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
import hashlib
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
from app.store.migrate import HEAD, known_revisions
from app.store.snapshot import vacuum_into, verify_copy

FORMAT = "resettle-backup/1"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: str
    schema: str
    size_bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def create_backup(ws: Workspace, out: Path) -> BackupInfo:
    ws.require(Permission.BACKUP)
    out = out.expanduser().resolve()
    if out.is_dir():
        out = out / f"resettle-backup-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.zip"
    with tempfile.TemporaryDirectory(dir=ws.data_dir, prefix=".backup-") as work:
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
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
                archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
                archive.write(copy, DB_FILENAME)
                archive.write(slots, KEYSLOTS_FILENAME)
            with partial.open("rb+") as handle:
                os.fsync(handle.fileno())  # on the media before we call it a backup
            _check_archive(partial, Path(work) / "check")
            partial.replace(out)
        except OSError as exc:
            with contextlib.suppress(OSError):  # e.g. the folder is a file or the stick is gone
                partial.unlink(missing_ok=True)
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
            into.mkdir(parents=True, exist_ok=True)
            for name in members:
                archive.extract(name, into)
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
    """Replace this workstation's data with the backup; return where the old files were kept."""
    if not archive.is_file():
        raise UserError(f"There is no file {archive}.")
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".restore-") as work:
        staged = Path(work)
        manifest = _check_archive(archive, staged)
        if manifest.get("schema") not in known_revisions():
            raise UserError("This backup was made by a newer version of Resettle.")
        # Throttled and recorded like an unlock (vault.open_backup_slot), never a free oracle.
        db_key = vault.open_backup_slot(data_dir, staged / KEYSLOTS_FILENAME, username, passphrase)
        verify_copy(staged / DB_FILENAME, db_key)
        kept: Path | None = None
        current = [data_dir / DB_FILENAME, data_dir / KEYSLOTS_FILENAME]
        if any(p.exists() for p in current):
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = data_dir / BACKUP_DIRNAME / f"replaced-by-restore-{stamp}"
            kept.mkdir(parents=True)
            for name in (
                DB_FILENAME,
                f"{DB_FILENAME}-wal",
                f"{DB_FILENAME}-shm",
                KEYSLOTS_FILENAME,
            ):
                if (data_dir / name).exists():
                    shutil.move(data_dir / name, kept / name)
        (staged / DB_FILENAME).replace(data_dir / DB_FILENAME)
        (staged / KEYSLOTS_FILENAME).replace(data_dir / KEYSLOTS_FILENAME)
    ws = vault.unlock(data_dir, username, passphrase)
    try:
        with ws.operation(Action.BACKUP_RESTORED, RecordType.BACKUP) as (_session, entry):
            entry.detail = f"schema={manifest.get('schema')}"
    finally:
        ws.lock()
    return kept
