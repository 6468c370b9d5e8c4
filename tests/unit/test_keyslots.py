"""Key slots: the database key sealed under a passphrase, bound to its kind and user."""

import dataclasses
import json

import pytest

from app.errors import UserError, WrongPassphrase
from app.store import keyslots
from app.store.keyslots import RECOVERY, USER, Slot, SlotFile
from tests.conftest import FAST_KDF

DB_KEY = bytes(range(32))


def sealed(username="admin", secret=b"correct horse battery staple", kind=USER):
    return Slot.seal(kind, username, secret, DB_KEY, FAST_KDF)


def test_seal_then_open_gives_back_the_database_key():
    assert sealed().open(b"correct horse battery staple") == DB_KEY


def test_the_sealed_bytes_do_not_contain_the_key():
    slot = sealed()
    assert DB_KEY not in slot.sealed
    assert slot.sealed != DB_KEY


def test_a_wrong_passphrase_raises_wrong_passphrase():
    with pytest.raises(WrongPassphrase):
        sealed().open(b"correct horse battery stapler")


def test_a_slot_is_bound_to_its_username():
    slot = sealed(username="admin")
    moved = dataclasses.replace(slot, username="mallory")
    with pytest.raises(WrongPassphrase):
        moved.open(b"correct horse battery staple")


def test_a_slot_is_bound_to_its_kind():
    slot = sealed(kind=USER, username="")
    as_recovery = dataclasses.replace(slot, kind=RECOVERY)
    with pytest.raises(WrongPassphrase):
        as_recovery.open(b"correct horse battery staple")


def test_a_flipped_bit_in_the_sealed_key_is_detected():
    slot = sealed()
    damaged = bytearray(slot.sealed)
    damaged[0] ^= 1
    with pytest.raises(WrongPassphrase):
        dataclasses.replace(slot, sealed=bytes(damaged)).open(b"correct horse battery staple")


def test_each_seal_uses_a_fresh_salt_and_nonce():
    a, b = sealed(), sealed()
    assert a.salt != b.salt
    assert a.nonce != b.nonce
    assert a.sealed != b.sealed


def test_a_slot_survives_json_and_still_opens():
    slot = sealed()
    slot.failures = 3
    slot.last_failure = 1234.5
    slot.pending_failures = [1000.0, 1234.5]
    again = Slot.from_json(json.loads(json.dumps(slot.to_json())))
    assert again == slot
    assert again.open(b"correct horse battery staple") == DB_KEY


def test_the_slot_records_its_own_kdf_cost():
    data = sealed().to_json()
    assert data["kdf"] == {
        "name": "argon2id",
        "memory_kib": FAST_KDF.memory_kib,
        "iterations": FAST_KDF.iterations,
        "lanes": FAST_KDF.lanes,
    }


def test_the_production_kdf_is_not_the_test_kdf():
    # conftest swaps DEFAULT_KDF for speed; the real default must stay expensive.
    real = keyslots.KdfParams()
    assert real.memory_kib >= 64 * 1024
    assert real.iterations >= 2


def test_slot_file_round_trip_and_case_insensitive_find(tmp_path):
    path = tmp_path / "keyslots.json"
    slots = SlotFile(path)
    slots.put(sealed("admin"))
    slots.put(sealed("", b"RECOVERYKEY", kind=RECOVERY))
    slots.save()
    loaded = SlotFile.load(path)
    assert len(loaded.slots) == 2
    found = loaded.find(USER, "ADMIN")
    assert found is not None
    assert found.open(b"correct horse battery staple") == DB_KEY
    assert loaded.find(RECOVERY) is not None
    assert loaded.find(USER, "nobody") is None


def test_putting_a_slot_replaces_the_old_one_for_that_user(tmp_path):
    slots = SlotFile(tmp_path / "keyslots.json")
    slots.put(sealed("admin", b"first passphrase here"))
    slots.put(sealed("admin", b"second passphrase here"))
    assert len(slots.slots) == 1
    with pytest.raises(WrongPassphrase):
        slots.find(USER, "admin").open(b"first passphrase here")
    slots.remove(USER, "Admin")
    assert slots.slots == []


def test_a_damaged_slot_file_is_a_user_error(tmp_path):
    path = tmp_path / "keyslots.json"
    path.write_text("{not json", "utf-8")
    with pytest.raises(UserError, match="damaged"):
        SlotFile.load(path)


def test_a_slot_file_of_another_format_is_refused(tmp_path):
    path = tmp_path / "keyslots.json"
    path.write_text(json.dumps({"format": 99, "slots": []}), "utf-8")
    with pytest.raises(UserError, match="another version"):
        SlotFile.load(path)


def test_saving_leaves_no_temporary_files(tmp_path):
    slots = SlotFile(tmp_path / "keyslots.json")
    slots.put(sealed())
    slots.save()
    slots.save()
    assert [p.name for p in tmp_path.iterdir()] == ["keyslots.json"]


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        '{"format": 1, "slots": [{"kind": "user"}]}',
        '{"format": 1, "slots": [{"kind": "user", "username": "a", "kdf": "argon2id",'
        ' "salt": "", "nonce": "", "sealed": ""}]}',
        '{"format": 1, "slots": ["not a slot"]}',
        '{"format": 1, "slots": [{"kind": "user", "username": "a", "salt": "abc",'
        ' "nonce": "", "sealed": "", "kdf": {"memory_kib": 1, "iterations": 1, "lanes": 1}}]}',
    ],
    ids=["list", "missing-fields", "kdf-not-object", "slot-not-object", "bad-base64"],
)
def test_a_key_file_with_a_damaged_structure_is_a_user_error(tmp_path, content):
    path = tmp_path / "keyslots.json"
    path.write_text(content, "utf-8")
    with pytest.raises(UserError, match="damaged"):
        SlotFile.load(path)
