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
from app.store.private import make_profile_private, new_private_file, private_folder

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
    if is_initialised(data_dir):  # also finishes a restore that was cut short
        raise AlreadyInitialised(
            f"There is already a Resettle database in {data_dir}. Unlock it, or restore a backup."
        )
    try:
        private_folder(data_dir)  # 0700, and the database 0600 (its -wal and -shm follow it)
        new_private_file(db_path(data_dir))
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
        with SlotFile.editing(slots_path(data_dir), new=True) as slot_file:
            slot_file.put(Slot.seal(USER, username, passphrase.encode(), db_key, kdf))
            slot_file.put(
                Slot.seal(RECOVERY, "", keyslots.normalise_recovery_key(recovery_key), db_key, kdf)
            )
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
        # A last failure "in the future" (the clock was wrong, then put right) counts as now:
        # the wait is never longer than MAX_DELAY_SECONDS, whatever the clock did.
        remaining = min(slot.last_failure, now) + wait - now
        if remaining > 0:
            seconds = math.ceil(remaining)
            raise Throttled(
                f"Too many wrong passphrases. Wait {seconds} seconds, then try again.", seconds
            )


def _load_slots(data_dir: Path) -> SlotFile:
    if not is_initialised(data_dir):
        raise NotInitialised(f"There is no Resettle database in {data_dir} yet. Set one up first.")
    db = db_path(data_dir)
    if not slots_path(data_dir).exists():
        missing = f"its key file {KEYSLOTS_FILENAME} is missing"
    elif not db.exists() or db.stat().st_size == 0:
        missing = f"its database {DB_FILENAME} is {'empty' if db.exists() else 'missing'}"
    else:
        return SlotFile.load(slots_path(data_dir))
    raise UserError(
        f"The Resettle profile in {data_dir} is damaged: {missing}. Nothing was changed. "
        f"Restore the latest backup (resettle restore FILE --user USER); copies made before "
        f"upgrades and restores are in {data_dir / BACKUP_DIRNAME}."
    )


def try_secret(
    path: Path, kind: str, username: str, secret: bytes, wrong: str, *, record: bool = True,
    against: Slot | None = None,
) -> tuple[Slot, bytes] | None:
    """One throttled try of a passphrase (or recovery key) against a slot in the file at `path`.

    Under the slot file's lock, the wait is checked, the key derived and, if it is wrong, the
    failure counted (and with `record`, kept for the audit log, which is still locked). So tries
    made in parallel, by any number of processes, are made one after another and every one
    counts. Returns the slot as it was and the database key; None if there is no such slot;
    WrongPassphrase (`wrong`, and how long to wait) or Throttled otherwise. `against`: open
    that slot instead (a backup's), counting the wait and the failures on this one.
    """
    with SlotFile.editing(path) as slot_file:
        slot = slot_file.find(kind, username)
        if slot is None:
            return None
        now = keyslots.now()
        if slot.last_failure is not None and slot.last_failure > now:
            slot.last_failure = now  # the clock was put back: the wait runs from now, and ends
        try:
            check_throttle(slot, now)
        except Throttled as exc:
            refused = exc  # raised once the corrected time is saved
        else:
            refused = None
            try:
                return slot, (against or slot).open(secret)
            except WrongPassphrase:
                slot.failures += 1
                slot.last_failure = now
                if record:
                    slot.pending_failures.append(now)
                wait = _delay_after(slot.failures)
    if refused is not None:
        raise refused
    extra = f" Wait {wait} seconds before the next try." if wait else ""
    raise WrongPassphrase(f"{wrong}{extra}")


def clear_failures(path: Path, tried: Slot) -> None:
    """After a right passphrase: the wait is over, and the failures `tried` held are recorded."""
    if not (tried.failures or tried.pending_failures):
        return
    with SlotFile.editing(path) as slot_file:
        live = slot_file.find(tried.kind, tried.username)
        if live is not None:
            live.failures, live.last_failure = 0, None
            recorded = set(tried.pending_failures)
            live.pending_failures = [t for t in live.pending_failures if t not in recorded]


def unlock(data_dir: Path, username: str, passphrase: str) -> Workspace:
    """Open the database for this user, migrating it (after a verified backup) if needed."""
    require_local(data_dir)
    _load_slots(data_dir)
    make_profile_private(data_dir)  # a profile made by an older version may be world-readable
    name = username.strip().lower()
    tried = try_secret(slots_path(data_dir), USER, name, passphrase.encode(),
                       "The username or passphrase is not right.")  # fmt: skip
    if tried is None:
        # Spend the same effort as a real attempt so a wrong username is not told apart by time.
        keyslots.DEFAULT_KDF.derive(passphrase.encode(), b"\0" * 16)
        raise WrongPassphrase("The username or passphrase is not right.")
    slot, db_key = tried
    return _open_workspace(data_dir, slot, db_key)


def open_backup_slot(data_dir: Path, backup_slots: Path, username: str, passphrase: str) -> bytes:
    """Restore's passphrase check against the backup's slot file: throttled and recorded like
    an unlock, so restoring is no way round the wait.

    The wait and the failures are kept on this workstation's own slot for the same user (the
    backup's slot file is a fresh copy at every try). Once the passphrase is right, the
    failures still waiting for the audit log are copied into the backup's slot file, so the
    restore's own unlock records them whichever file ends up in place. A workstation with no
    profile yet, or without that user, has no count to keep: the backup's slot is tried as it
    is (its Argon2id cost still applies).
    """
    name = username.strip().lower()
    backup_slot = SlotFile.load(backup_slots).find(USER, name)
    if backup_slot is None:
        raise UserError(f"The backup has no user called {username}.")
    wrong = "The username or passphrase is not right."
    live = slots_path(data_dir)
    tried = None
    if live.exists():
        tried = try_secret(live, USER, name, passphrase.encode(), wrong, against=backup_slot)
    if tried is None:
        try:
            return backup_slot.open(passphrase.encode())
        except WrongPassphrase:
            raise WrongPassphrase(wrong) from None
    live_slot, db_key = tried
    if live_slot.pending_failures:
        with SlotFile.editing(backup_slots) as staged:
            slot = staged.find(USER, name)
            assert slot is not None
            slot.pending_failures = sorted({*slot.pending_failures, *live_slot.pending_failures})
    return db_key


def _open_workspace(data_dir: Path, slot: Slot, db_key: bytes) -> Workspace:
    if db_path(data_dir).is_dir():
        raise UserError(f"{db_path(data_dir)} is a folder, not the database file. Move it away "
                        "and restore the database from a backup.")  # fmt: skip
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
    clear_failures(slots_path(data_dir), slot)
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
    _load_slots(data_dir)
    tried = try_secret(slots_path(data_dir), RECOVERY, "",
                       keyslots.normalise_recovery_key(recovery_key),
                       "That recovery key does not open this database.", record=False)  # fmt: skip
    if tried is None:
        raise UserError("This workstation has no recovery key slot.")
    slot, db_key = tried
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
            sealed = Slot.seal(USER, name, new_passphrase.encode(), db_key, slot.kdf)
            with SlotFile.editing(slots_path(data_dir)) as slot_file:
                slot_file.put(sealed)
                live = slot_file.find(RECOVERY, "")
                if live is not None:
                    live.failures, live.last_failure = 0, None
    finally:
        engine.dispose()


def establishment(ws: Workspace) -> str:
    """The establishment's name (the one place it is read is app.services.settings)."""
    from app.services import settings

    return settings.establishment(ws)
