"""Shared test set-up: offscreen Qt, no network, a fresh encrypted profile per test.

Key derivation uses cheap Argon2id parameters here only so the suite runs in minutes; the real
cost is the default in app.store.keyslots and is measured by benchmarks/bench_unlock.py.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.domain.person import PersonDraft  # noqa: E402
from app.services import vault  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.store import keyslots  # noqa: E402

pytest_plugins = ["tests.bundle_fixtures"]  # signing keys and two-prison fixtures

ADMIN = "admin"
ADMIN_PASSPHRASE = "correct horse battery staple"
ESTABLISHMENT = "HMP & YOI Testfield"
FAST_KDF = keyslots.KdfParams(memory_kib=8192, iterations=1, lanes=1)


class NetworkUsed(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach the network fails the test: Resettle never opens a socket."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkUsed(f"network access attempted: {args[1:] if len(args) > 1 else args}")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyslots, "DEFAULT_KDF", FAST_KDF)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def initialised(data_dir: Path) -> str:
    """An initialised profile; returns its recovery key."""
    return vault.initialise(data_dir, ESTABLISHMENT, ADMIN, ADMIN_PASSPHRASE)


@pytest.fixture
def workspace(data_dir: Path, initialised: str) -> Iterator[Workspace]:
    ws = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    yield ws
    ws.lock()


def make_draft(**overrides: object) -> PersonDraft:
    """A valid, clearly fictional person; override any field."""
    values: dict[str, object] = dict(
        prison_number="Z1234AB",
        family_name="Testperson",
        given_names="Fictiona",
        date_of_birth=date(1990, 5, 17),
        nationality="GB",
        first_language="en",
        custody_status="SENTENCED",
        reception_at=datetime(2026, 1, 10, 15, 30, tzinfo=UTC),
        release_date=date(2027, 2, 3),
        home_local_authority="E09000033",
    )
    values.update(overrides)
    return PersonDraft(**values)  # type: ignore[arg-type]
