"""Key slots: the one random database key, wrapped once per user and once for the recovery key.

The database is encrypted with a random 256-bit key that nobody ever types. Each account holds a
slot: that key sealed (AES-256-GCM) under a key derived from her passphrase with Argon2id. So a
passphrase change rewraps one slot and never re-encrypts the database, and a printed recovery key
(a further slot) means a forgotten passphrase never loses the team's data. The slot file is not
secret (it holds usernames, salts and sealed keys, no personal data of the women) but it is
authenticated: each slot's associated data names its kind and user, so slots cannot be swapped.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from app.errors import UserError, WrongPassphrase
from app.store.atomic import write_atomic
from app.store.file_lock import exclusive

FORMAT_VERSION = 1
RECOVERY = "recovery"
USER = "user"
_RECOVERY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The default takes about half a second on a 2020s office PC, by design."""

    memory_kib: int = 131072
    iterations: int = 3
    lanes: int = 4

    def derive(self, secret: bytes, salt: bytes) -> bytes:
        kdf = Argon2id(
            salt=salt,
            length=32,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        )
        return kdf.derive(secret)


DEFAULT_KDF = KdfParams()


def _checked_kdf(memory_kib: int, iterations: int, lanes: int) -> KdfParams:
    """Settings read from the key file, refused (ValueError: damaged) outside Argon2id's sense:
    0 would fail inside the library, 2**40 would run or allocate for ever."""
    if not (1 <= lanes <= 64 and 8 * lanes <= memory_kib <= 4 * 1024 * 1024
            and 1 <= iterations <= 100):
        raise ValueError("key derivation settings out of range")
    return KdfParams(memory_kib, iterations, lanes)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


@dataclass
class Slot:
    kind: str
    username: str
    salt: bytes
    nonce: bytes
    sealed: bytes
    kdf: KdfParams
    failures: int = 0
    last_failure: float | None = None
    pending_failures: list[float] = field(default_factory=list)

    def associated_data(self) -> bytes:
        return f"resettle-slot|{FORMAT_VERSION}|{self.kind}|{self.username}".encode()

    @classmethod
    def seal(cls, kind: str, username: str, secret: bytes, db_key: bytes, kdf: KdfParams) -> Slot:
        slot = cls(kind, username, secrets.token_bytes(16), secrets.token_bytes(12), b"", kdf)
        wrapping = kdf.derive(secret, slot.salt)
        slot.sealed = AESGCM(wrapping).encrypt(slot.nonce, db_key, slot.associated_data())
        return slot

    def open(self, secret: bytes) -> bytes:
        wrapping = self.kdf.derive(secret, self.salt)
        try:
            return AESGCM(wrapping).decrypt(self.nonce, self.sealed, self.associated_data())
        except InvalidTag as exc:
            raise WrongPassphrase("The username or passphrase is not right.") from exc

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "username": self.username,
            "kdf": {
                "name": "argon2id",
                "memory_kib": self.kdf.memory_kib,
                "iterations": self.kdf.iterations,
                "lanes": self.kdf.lanes,
            },
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "sealed": _b64(self.sealed),
            "failures": self.failures,
            "last_failure": self.last_failure,
            "pending_failures": self.pending_failures,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Slot:
        kdf = data["kdf"]
        assert isinstance(kdf, dict)
        pending = data.get("pending_failures") or []
        assert isinstance(pending, list)
        last = data.get("last_failure")
        return cls(
            kind=str(data["kind"]),
            username=str(data["username"]),
            salt=_unb64(str(data["salt"])),
            nonce=_unb64(str(data["nonce"])),
            sealed=_unb64(str(data["sealed"])),
            kdf=_checked_kdf(int(kdf["memory_kib"]), int(kdf["iterations"]), int(kdf["lanes"])),
            failures=int(data.get("failures") or 0),  # type: ignore[arg-type]
            last_failure=float(last) if last is not None else None,  # type: ignore[arg-type]
            pending_failures=[float(x) for x in pending],
        )


class SlotFile:
    """The key-slot file beside the database, always rewritten atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.slots: list[Slot] = []

    @classmethod
    def load(cls, path: Path) -> SlotFile:
        sf = cls(path)
        damaged = f"The key file {path.name} is damaged or unreadable. Restore it from a backup."
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise
        except (OSError, ValueError) as exc:
            raise UserError(damaged) from exc
        if not isinstance(data, dict):
            raise UserError(damaged)
        if data.get("format") != FORMAT_VERSION:
            raise UserError(f"The key file {path.name} was written by another version of Resettle.")
        try:
            sf.slots = [Slot.from_json(s) for s in data.get("slots", [])]
        except (AssertionError, AttributeError, KeyError, TypeError, ValueError) as exc:
            raise UserError(damaged) from exc
        return sf

    @classmethod
    @contextmanager
    def editing(cls, path: Path, *, new: bool = False) -> Iterator[SlotFile]:
        """Read-modify-write the slot file while holding its lock (`keyslots.json.lock`).

        Every change to the file goes through here, so two Resettles (the window adding a user,
        a command trying a passphrase) never both read the old file and write over each other.
        The file is read afresh under the lock and, if the block changed it and ended without an
        exception, written back atomically before the lock is released. `new`: the file may not
        exist yet (set-up).
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        with exclusive(lock_path(path)):
            try:
                slot_file = cls.load(path)
            except FileNotFoundError:
                if not new:
                    raise
                slot_file = cls(path)
            before = slot_file._payload() if path.exists() else b""
            yield slot_file
            if slot_file._payload() != before:
                slot_file.save()

    def _payload(self) -> bytes:
        payload = {"format": FORMAT_VERSION, "slots": [s.to_json() for s in self.slots]}
        return json.dumps(payload, indent=1).encode("utf-8")

    def save(self) -> None:
        """Write the whole file atomically; callers hold the lock (see `editing`)."""
        write_atomic(self.path, self._payload(), make_folder=True)

    def find(self, kind: str, username: str = "") -> Slot | None:
        for slot in self.slots:
            if slot.kind == kind and slot.username.casefold() == username.casefold():
                return slot
        return None

    def put(self, slot: Slot) -> None:
        self.remove(slot.kind, slot.username)
        self.slots.append(slot)

    def remove(self, kind: str, username: str = "") -> None:
        self.slots = [
            s
            for s in self.slots
            if not (s.kind == kind and s.username.casefold() == username.casefold())
        ]


def lock_path(path: Path) -> Path:
    """The lock file beside the slot file; it holds nothing and is never removed."""
    return path.with_name(path.name + ".lock")


def new_database_key() -> bytes:
    return secrets.token_bytes(32)


def new_recovery_key() -> str:
    """40 characters of base32 (200 bits) in groups of five: easy to print and type back."""
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(40))
    return "-".join(raw[i : i + 5] for i in range(0, 40, 5))


def normalise_recovery_key(text: str) -> bytes:
    """Accept what people type: lower case, spaces, missing dashes, 0 for O and 1 for I."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    if len(cleaned) != 40 or any(ch not in _RECOVERY_ALPHABET for ch in cleaned):
        raise WrongPassphrase("That recovery key is not complete: it has 8 groups of 5 characters.")
    return cleaned.encode("ascii")


def now() -> float:
    return time.time()
