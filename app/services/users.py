"""Accounts: an administrator adds, disables, re-enables and resets; everyone changes her own.

A disabled account loses its key slot, so it cannot decrypt the database even with a copy of
the files; re-enabling gives it a new temporary passphrase.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select

from app.domain.audit_actions import Action, RecordType
from app.domain.roles import Permission, Role
from app.domain.timezone import now_utc
from app.errors import NotFound, UserError
from app.services.vault import (
    check_new_passphrase,
    check_username,
    clear_failures,
    slots_path,
    try_secret,
)
from app.services.workspace import Workspace
from app.store import keyslots
from app.store.keyslots import USER, Slot, SlotFile
from app.store.models import User


@dataclass(frozen=True)
class UserSummary:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    must_change_passphrase: bool
    last_unlock_at: datetime | None


def list_users(ws: Workspace) -> list[UserSummary]:
    ws.require(Permission.MANAGE_USERS)
    with ws.read() as session:
        users = session.scalars(select(User).order_by(User.username)).all()
        return [
            UserSummary(
                u.id,
                u.username,
                u.display_name,
                u.role,
                u.active,
                u.must_change_passphrase,
                u.last_unlock_at,
            )
            for u in users
        ]


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise UserError(f"Unknown role {role!r}.") from None


def _seal(ws: Workspace, username: str, passphrase: str) -> None:
    sealed = Slot.seal(USER, username, passphrase.encode(), ws.db_key, keyslots.DEFAULT_KDF)
    with SlotFile.editing(slots_path(ws.data_dir)) as slot_file:  # under its lock, read afresh
        slot_file.put(sealed)


def _get(session: object, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()  # type: ignore[attr-defined]
    if user is None:
        raise NotFound(f"There is no user called {username}.")
    return user


def add_user(ws: Workspace, username: str, display_name: str, role: str, temporary: str) -> int:
    """The new user must change the temporary passphrase at her first unlock."""
    ws.require(Permission.MANAGE_USERS)
    name = check_username(username)
    check_new_passphrase(temporary, name)
    role_value = _role(role)
    with ws.operation(Action.USER_CREATED, RecordType.USER) as (session, entry):
        if session.scalars(select(User).where(User.username == name)).first():
            raise UserError(f"There is already a user called {name}.")
        user = User(
            username=name,
            display_name=" ".join(display_name.split()) or name,
            role=role_value.value,
            active=True,
            must_change_passphrase=True,
            created_at=now_utc(),
        )
        session.add(user)
        session.flush()
        entry.record_id = str(user.id)
        entry.detail = f"role={role_value.value}"
        _seal(ws, name, temporary)
        return user.id


def _active_admins(session: object) -> int:
    return session.scalar(  # type: ignore[attr-defined]
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMINISTRATOR.value, User.active.is_(True))
    )


def disable_user(ws: Workspace, username: str) -> None:
    ws.require(Permission.MANAGE_USERS)
    username = username.strip().lower()
    if username == ws.user.username:
        raise UserError("You cannot disable your own account.")
    with ws.operation(Action.USER_DISABLED, RecordType.USER) as (session, entry):
        user = _get(session, username)
        entry.record_id = str(user.id)
        user.active = False
        session.flush()
        if _active_admins(session) == 0:
            raise UserError("At least one administrator must stay active.")
        with SlotFile.editing(slots_path(ws.data_dir)) as slot_file:
            slot_file.remove(USER, username)


def enable_user(ws: Workspace, username: str, temporary: str) -> None:
    ws.require(Permission.MANAGE_USERS)
    username = username.strip().lower()
    check_new_passphrase(temporary, username)
    with ws.operation(Action.USER_ENABLED, RecordType.USER) as (session, entry):
        user = _get(session, username)
        entry.record_id = str(user.id)
        user.active = True
        user.must_change_passphrase = True
        _seal(ws, username, temporary)


def reset_passphrase(ws: Workspace, username: str, temporary: str) -> None:
    ws.require(Permission.MANAGE_USERS)
    check_new_passphrase(temporary, username)
    with ws.operation(Action.USER_PASSPHRASE_RESET, RecordType.USER) as (session, entry):
        user = _get(session, username)
        if not user.active:
            raise UserError(f"{username} is disabled; enable the account instead.")
        entry.record_id = str(user.id)
        user.must_change_passphrase = True
        _seal(ws, username, temporary)


def set_role(ws: Workspace, username: str, role: str) -> None:
    ws.require(Permission.MANAGE_USERS)
    role_value = _role(role)
    with ws.operation(Action.USER_ROLE_CHANGED, RecordType.USER) as (session, entry):
        user = _get(session, username)
        entry.record_id = str(user.id)
        entry.detail = f"role={role_value.value}"
        user.role = role_value.value
        session.flush()
        if _active_admins(session) == 0:
            raise UserError("At least one administrator must stay active.")
    if user.username == ws.user.username:
        # Her own role changed: what she may do changes now, not at the next unlock.
        ws.user = replace(ws.user, role=role_value.value)


def change_own_passphrase(ws: Workspace, current: str, new: str) -> None:
    if current == new:
        raise UserError("The new passphrase must differ from the current one.")
    check_new_passphrase(new, ws.user.username)
    # The same increasing wait as at unlock: an unlocked session must not allow free guessing.
    path = slots_path(ws.data_dir)
    tried = try_secret(path, USER, ws.user.username, current.encode(),
                       "Your current passphrase is not right.", record=False)  # fmt: skip
    if tried is None:
        raise UserError("Your account has no key slot; ask an administrator to reset it.")
    clear_failures(path, tried[0])
    with ws.operation(Action.OWN_PASSPHRASE_CHANGED, RecordType.USER, ws.user.id) as (session,
                      _entry):
        user = _get(session, ws.user.username)
        user.must_change_passphrase = False
        _seal(ws, ws.user.username, new)
    ws.user = replace(ws.user, must_change_passphrase=False)
