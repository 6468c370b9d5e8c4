"""Create, unlock and recover a workstation profile.

The database and its key-slot file live side by side in the data folder. Failed unlocks cannot
be written to the (still locked) audit log, so they wait in the slot file and are moved into the
audit log, with their original times, at the next successful unlock.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, select

from app.domain import passphrase as passphrase_rules
from app.domain.audit_actions import Action, RecordType
from app.domain.roles import Role
from app.domain.timezone import now_utc
from app.errors import (
    AlreadyInitialised,
    NotInitialised,
    Throttled,
    UserError,
    WrongPassphrase,
)
from app.local_disk import require_local
from app.paths import BACKUP_DIRNAME, DB_FILENAME, KEYSLOTS_FILENAME, is_initialised
from app.services.planning import open_due_plans
from app.services.workspace import CurrentUser, Workspace
from app.store import keyslots
from app.store.engine import make_engine, write_engine
from app.store.keyslots import RECOVERY, USER, KdfParams, Slot, SlotFile
from app.store.migrate import ensure_current, upgrade
from app.store.models import AuditEntry, Setting, User

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
FREE_ATTEMPTS = 5
MAX_DELAY_SECONDS = 300


def db_path(data_dir: Path) -> Path:
    return data_dir / DB_FILENAME


def slots_path(data_dir: Path) -> Path:
    return data_dir / KEYSLOTS_FILENAME



def _audit(conn: Connection, user_id: int, username: str, action: str,
           record_type: RecordType = RecordType.USER, at: datetime | None = None) -> None:
    """An audit row written before a Workspace exists (set-up, unlock, recovery)."""
    conn.execute(
        AuditEntry.__table__.insert().values(
            at=at or now_utc(), user_id=user_id, username=username, action=action,
            record_type=record_type,
            record_id=str(user_id) if record_type == RecordType.USER else "",
            detail="",
        )
    )


def check_username(username: str) -> str:
    cleaned = username.strip().lower()
    if not USERNAME.match(cleaned):
        raise UserError(
            "A username is 2 to 32 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter."
        )
    return cleaned


def check_new_passphrase(passphrase: str, username: str) -> None:
    strength = passphrase_rules.assess(passphrase, username)
    if not strength.acceptable:
        raise UserError(f"Choose another passphrase. {strength.hint}")


def initialise(
    data_dir: Path,
    establishment: str,
    admin_username: str,
    passphrase: str,
    *,
    display_name: str = "",
    kdf: KdfParams | None = None,
) -> str:
    """Create the encrypted database and the first administrator; return the recovery key."""
    kdf = kdf or keyslots.DEFAULT_KDF
    establishment = " ".join(establishment.split())
    if not establishment:
        raise UserError("Enter the establishment's name, e.g. HMP & YOI Bronzefield.")
    username = check_username(admin_username)
    check_new_passphrase(passphrase, username)
    require_local(data_dir)
    if db_path(data_dir).exists() or slots_path(data_dir).exists():
        raise AlreadyInitialised(
            f"There is already a Resettle database in {data_dir}. Unlock it, or restore a backup."
        )
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Could not make the folder {data_dir}: {exc.strerror or exc}.") from exc
    db_key = keyslots.new_database_key()
    recovery_key = keyslots.new_recovery_key()
    engine = make_engine(db_path(data_dir), db_key)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(
                Setting.__table__.insert(),
                [{"key": "establishment", "value": establishment}],
            )
            created = conn.execute(
                User.__table__.insert().values(
                    username=username,
                    display_name=display_name or username,
                    role=Role.ADMINISTRATOR.value,
                    active=True,
                    must_change_passphrase=False,
                    created_at=now_utc(),
                )
            )
            user_id = created.inserted_primary_key[0]  # type: ignore[index]
            _audit(conn, user_id, username, Action.INITIALISE, RecordType.WORKSTATION)
        slot_file = SlotFile(slots_path(data_dir))
        slot_file.put(Slot.seal(USER, username, passphrase.encode(), db_key, kdf))
        slot_file.put(
            Slot.seal(RECOVERY, "", keyslots.normalise_recovery_key(recovery_key), db_key, kdf)
        )
        slot_file.save()
    except BaseException:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path(data_dir)}{suffix}").unlink(missing_ok=True)
        raise
    engine.dispose()
    return recovery_key


def _delay_after(failures: int) -> int:
    if failures < FREE_ATTEMPTS:
        return 0
    return min(5 * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_SECONDS)


def check_throttle(slot: Slot, now: float) -> None:
    wait = _delay_after(slot.failures)
    if wait and slot.last_failure is not None:
        remaining = slot.last_failure + wait - now
        if remaining > 0:
            seconds = math.ceil(remaining)
            raise Throttled(
                f"Too many wrong passphrases. Wait {seconds} seconds, then try again.", seconds
            )


def _load_slots(data_dir: Path) -> SlotFile:
    if not is_initialised(data_dir):
        raise NotInitialised(f"There is no Resettle database in {data_dir} yet. Set one up first.")
    return SlotFile.load(slots_path(data_dir))


def unlock(data_dir: Path, username: str, passphrase: str) -> Workspace:
    """Open the database for this user, migrating it (after a verified backup) if needed."""
    require_local(data_dir)
    slot_file = _load_slots(data_dir)
    name = username.strip().lower()
    slot = slot_file.find(USER, name)
    now = keyslots.now()
    if slot is None:
        # Spend the same effort as a real attempt so a wrong username is not told apart by time.
        keyslots.DEFAULT_KDF.derive(passphrase.encode(), b"\0" * 16)
        raise WrongPassphrase("The username or passphrase is not right.")
    check_throttle(slot, now)
    try:
        db_key = slot.open(passphrase.encode())
    except WrongPassphrase:
        slot.failures += 1
        slot.last_failure = now
        slot.pending_failures.append(now)
        slot_file.save()
        wait = _delay_after(slot.failures)
        extra = f" Wait {wait} seconds before the next try." if wait else ""
        raise WrongPassphrase(f"The username or passphrase is not right.{extra}") from None
    return _open_workspace(data_dir, slot_file, slot, db_key)


def _open_workspace(data_dir: Path, slot_file: SlotFile, slot: Slot, db_key: bytes) -> Workspace:
    engine = make_engine(db_path(data_dir), db_key)
    try:
        ensure_current(engine, db_key, data_dir / BACKUP_DIRNAME)
        with write_engine(engine).begin() as conn:  # BEGIN IMMEDIATE: it reads, then writes
            user = conn.execute(select(User).where(User.username == slot.username)).first()
            if user is None or not user.active:
                raise UserError("This account is disabled. Ask an administrator.")
            at = now_utc()
            for failed in slot.pending_failures:
                failed_at = datetime.fromtimestamp(failed, UTC)
                _audit(conn, user.id, user.username, Action.UNLOCK_FAILED, at=failed_at)
            _audit(conn, user.id, user.username, Action.UNLOCK, at=at)
            conn.execute(
                User.__table__.update().where(User.id == user.id).values(last_unlock_at=at)
            )
    except BaseException:
        engine.dispose()
        raise
    if slot.failures or slot.pending_failures:
        slot.failures, slot.last_failure, slot.pending_failures = 0, None, []
        slot_file.save()
    current = CurrentUser(
        user.id, user.username, user.display_name, user.role, user.must_change_passphrase
    )
    workspace = Workspace(data_dir, engine, db_key, current)
    try:
        # After migrations, before anyone reads: plans due at 12 weeks open here, once, so the
        # board, `resettle due` and the EDIC list all see the same plans without writing.
        open_due_plans(workspace)
    except BaseException:
        workspace.lock()
        raise
    workspace.mark_seen()  # what happened before this unlock is already in what a window reads
    return workspace


def recover(data_dir: Path, recovery_key: str, username: str, new_passphrase: str) -> None:
    """Give a user (usually an administrator) a new passphrase using the printed recovery key."""
    slot_file = _load_slots(data_dir)
    slot = slot_file.find(RECOVERY, "")
    if slot is None:
        raise UserError("This workstation has no recovery key slot.")
    check_throttle(slot, keyslots.now())
    try:
        db_key = slot.open(keyslots.normalise_recovery_key(recovery_key))
    except WrongPassphrase:
        slot.failures += 1
        slot.last_failure = keyslots.now()
        slot_file.save()
        raise WrongPassphrase("That recovery key does not open this database.") from None
    name = check_username(username)
    check_new_passphrase(new_passphrase, name)
    engine = make_engine(db_path(data_dir), db_key)
    try:
        ensure_current(engine, db_key, data_dir / BACKUP_DIRNAME)
        with write_engine(engine).begin() as conn:  # BEGIN IMMEDIATE: it reads, then writes
            user = conn.execute(select(User).where(User.username == name)).first()
            if user is None:
                raise UserError(f"There is no user called {name} on this workstation.")
            conn.execute(
                User.__table__.update()
                .where(User.id == user.id)
                .values(active=True, must_change_passphrase=False)
            )
            _audit(conn, user.id, name, Action.RECOVERY_KEY_USED)
            kdf = slot.kdf
            slot_file.put(Slot.seal(USER, name, new_passphrase.encode(), db_key, kdf))
            slot.failures, slot.last_failure = 0, None
            slot_file.save()
    finally:
        engine.dispose()


def establishment(ws: Workspace) -> str:
    """The establishment's name (the one place it is read is app.services.settings)."""
    from app.services import settings

    return settings.establishment(ws)
