"""Fixtures for tests on a real encrypted profile: more users, a controllable clock, the log."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services import users, vault
from app.services.workspace import Workspace
from app.store import keyslots
from app.store.keyslots import USER, SlotFile
from app.store.models import AuditEntry
from tests.conftest import ADMIN, ADMIN_PASSPHRASE

TEMPORARY = "temporary passphrase 42"

OpenAs = Callable[[str, str], Workspace]


@pytest.fixture
def open_as(data_dir: Path) -> Iterator[OpenAs]:
    """Unlock as anyone; every workspace opened this way is locked at the end of the test."""
    opened: list[Workspace] = []

    def _open(username: str, passphrase: str) -> Workspace:
        ws = vault.unlock(data_dir, username, passphrase)
        opened.append(ws)
        return ws

    yield _open
    for ws in opened:
        ws.lock()


@pytest.fixture
def make_user(workspace: Workspace, open_as: OpenAs) -> Callable[[str, str], Workspace]:
    """Add a user with the given role (as the admin) and return her unlocked workspace."""

    def _make(username: str, role: str) -> Workspace:
        users.add_user(workspace, username, username.title(), role, TEMPORARY)
        return open_as(username, TEMPORARY)

    return _make


class Clock:
    """Stands in for `keyslots.now` so throttling is tested without waiting."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(keyslots, "now", fake)
    return fake


def audit_log(ws: Workspace) -> list[AuditEntry]:
    """Every audit entry, oldest first, read directly (reading it this way is not audited)."""
    with ws.read() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def actions(ws: Workspace) -> list[str]:
    return [e.action for e in audit_log(ws)]


def database_key(
    data_dir: Path, username: str = ADMIN, passphrase: str = ADMIN_PASSPHRASE
) -> bytes:
    slot = SlotFile.load(vault.slots_path(data_dir)).find(USER, username)
    assert slot is not None
    return slot.open(passphrase.encode())
