"""The key-slot file under several Resettles at once: no lost slot, every wrong try counted.

Every change to `keyslots.json` is a read-modify-write under an OS lock beside it, written
atomically; a passphrase is tried (throttle checked, key derived, failure counted) under that
lock, so parallel tries by separate processes are tried one after another.
"""

from __future__ import annotations

import threading
import time

import pytest

from app.errors import Throttled
from app.services import users, vault
from app.store.keyslots import USER, KdfParams, Slot, SlotFile
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.integration.conftest import TEMPORARY
from tests.integration.test_concurrent_processes import DEADLINE_SECONDS, finish, release, start

# Dearer than the tests' usual KDF, so a wrong try takes long enough to overlap with others.
SLOW_KDF = KdfParams(memory_kib=65536, iterations=2, lanes=1)
WRONG = "not the passphrase at all 77"

def slot_of(data_dir, username):
    return SlotFile.load(vault.slots_path(data_dir)).find(USER, username)

def test_eight_parallel_wrong_tries_are_each_tried_and_counted_or_refused(data_dir, initialised):
    login = ["--user", ADMIN, "--passphrase-stdin"]
    procs = [start(data_dir, "people", passphrase=WRONG, login=login) for _ in range(8)]
    release(procs)
    results = finish(procs)
    assert {code for code, _out, _err in results} == {1}
    refused = sum("Too many wrong passphrases" in err for _code, _out, err in results)
    slot = slot_of(data_dir, ADMIN)
    # Five free tries, then a wait: every try was either made and counted, or refused unmade.
    assert slot.failures + refused == 8
    assert slot.failures >= vault.FREE_ATTEMPTS
    assert len(slot.pending_failures) == slot.failures  # each one for the audit log

def test_a_user_added_while_wrong_passphrases_are_tried_keeps_her_slot(workspace, data_dir):
    users.add_user(workspace, "wrongtry", "Wrong Try", "resettlement_worker", TEMPORARY)
    with SlotFile.editing(vault.slots_path(data_dir)) as slot_file:
        slot_file.put(Slot.seal(USER, "wrongtry", TEMPORARY.encode(), workspace.db_key, SLOW_KDF))
    login = ["--user", "wrongtry", "--passphrase-stdin"]
    procs = [start(data_dir, "people", passphrase=WRONG, login=login) for _ in range(4)]
    release(procs)
    added: list[str] = []
    deadline = time.monotonic() + DEADLINE_SECONDS
    while len(added) < 3 or any(proc.poll() is None for proc in procs):
        assert time.monotonic() < deadline
        name = f"added{len(added)}"
        users.add_user(workspace, name, name.title(), "resettlement_worker", TEMPORARY)
        added.append(name)
    results = finish(procs)
    assert [code for code, _out, _err in results] == [1, 1, 1, 1], results
    for name in added:
        slot = slot_of(data_dir, name)
        assert slot is not None, f"{name}'s key slot was lost"
        assert slot.open(TEMPORARY.encode()) == workspace.db_key
    assert slot_of(data_dir, "wrongtry").failures == 4

def test_a_last_failure_in_the_future_cannot_block_unlock_for_long(data_dir, initialised, clock):
    with SlotFile.editing(vault.slots_path(data_dir)) as slot_file:
        slot = slot_file.find(USER, ADMIN)
        slot.failures = 9  # the longest wait
        slot.last_failure = clock.now + 3 * 365 * 86400  # the clock was three years ahead
    with pytest.raises(Throttled) as refused:
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    assert refused.value.wait_seconds <= vault.MAX_DELAY_SECONDS
    clock.advance(vault.MAX_DELAY_SECONDS + 1)
    vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE).lock()
    assert slot_of(data_dir, ADMIN).failures == 0

def test_every_change_to_the_slot_file_waits_for_its_lock(workspace, data_dir):
    """While another holds the lock, adding a user waits; what both wrote is kept."""

    holder_inside = threading.Event()
    let_go = threading.Event()

    def other_resettle() -> None:
        with SlotFile.editing(vault.slots_path(data_dir)) as slot_file:
            holder_inside.set()
            let_go.wait(DEADLINE_SECONDS)
            slot_file.put(Slot.seal(USER, "elsewhere", TEMPORARY.encode(), workspace.db_key,
                                    SLOW_KDF))  # fmt: skip

    other = threading.Thread(target=other_resettle)
    other.start()
    assert holder_inside.wait(DEADLINE_SECONDS)
    adder = threading.Thread(
        target=users.add_user,
        args=(workspace, "meanwhile", "Meanwhile", "resettlement_worker", TEMPORARY),
    )
    adder.start()
    adder.join(0.3)
    assert adder.is_alive()  # waiting for the lock, not writing over the other's change
    let_go.set()
    other.join(DEADLINE_SECONDS)
    adder.join(DEADLINE_SECONDS)
    assert slot_of(data_dir, "elsewhere") is not None
    assert slot_of(data_dir, "meanwhile") is not None
