"""Unlocking: the right passphrase opens, a wrong one is refused, throttled, then audited."""

from __future__ import annotations

import pytest

from app.errors import AlreadyInitialised, NotInitialised, Throttled, UserError, WrongPassphrase
from app.services import vault
from app.store.keyslots import USER, SlotFile
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ESTABLISHMENT
from tests.integration.conftest import audit_log

WRONG = "wrong horse battery staple"


def failures_on_disk(data_dir):
    return SlotFile.load(vault.slots_path(data_dir)).find(USER, ADMIN).failures


def test_the_right_passphrase_unlocks_as_that_user(data_dir, initialised):
    ws = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    try:
        assert not ws.locked
        assert ws.user.username == ADMIN
        assert ws.user.role == "administrator"
        assert vault.establishment(ws) == ESTABLISHMENT
        assert [e.action for e in audit_log(ws)] == ["initialise", "unlock"]
    finally:
        ws.lock()


def test_the_username_is_trimmed_and_case_insensitive(data_dir, initialised, open_as):
    assert open_as("  Admin ", ADMIN_PASSPHRASE).user.username == ADMIN


def test_a_wrong_passphrase_is_refused(data_dir, initialised):
    with pytest.raises(WrongPassphrase, match="username or passphrase is not right"):
        vault.unlock(data_dir, ADMIN, WRONG)
    assert failures_on_disk(data_dir) == 1


def test_an_unknown_username_gets_the_same_answer(data_dir, initialised):
    with pytest.raises(WrongPassphrase) as unknown:
        vault.unlock(data_dir, "nobody", ADMIN_PASSPHRASE)
    with pytest.raises(WrongPassphrase) as wrong:
        vault.unlock(data_dir, ADMIN, WRONG)
    assert str(unknown.value) == str(wrong.value)


def test_five_failures_throttle_the_next_immediate_attempt(data_dir, initialised, clock):
    for _ in range(4):
        with pytest.raises(WrongPassphrase) as refused:
            vault.unlock(data_dir, ADMIN, WRONG)
        assert "Wait" not in str(refused.value)
        clock.advance(1)
    with pytest.raises(WrongPassphrase, match="Wait 5 seconds"):
        vault.unlock(data_dir, ADMIN, WRONG)

    # Even the right passphrase has to wait, and waiting does not count as a failure.
    clock.advance(0.5)
    with pytest.raises(Throttled) as throttled:
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    assert throttled.value.wait_seconds == 5
    assert "Wait 5 seconds" in str(throttled.value)
    assert failures_on_disk(data_dir) == 5

    clock.advance(4)
    with pytest.raises(Throttled) as throttled:
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    assert throttled.value.wait_seconds == 1

    clock.advance(1)
    ws = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    ws.lock()
    assert failures_on_disk(data_dir) == 0


def test_the_delay_doubles_with_each_further_failure(data_dir, initialised, clock):
    for _ in range(5):
        with pytest.raises(WrongPassphrase):
            vault.unlock(data_dir, ADMIN, WRONG)
    clock.advance(6)
    with pytest.raises(WrongPassphrase, match="Wait 10 seconds"):
        vault.unlock(data_dir, ADMIN, WRONG)
    clock.advance(9)
    with pytest.raises(Throttled):
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)


def test_the_throttle_survives_a_restart_because_it_is_on_disk(data_dir, initialised, clock):
    for _ in range(5):
        with pytest.raises(WrongPassphrase):
            vault.unlock(data_dir, ADMIN, WRONG)
    slot = SlotFile.load(vault.slots_path(data_dir)).find(USER, ADMIN)
    assert slot.failures == 5
    assert slot.last_failure == clock.now
    assert len(slot.pending_failures) == 5


def test_failed_unlocks_are_audited_at_the_next_successful_unlock(data_dir, initialised, clock):
    times = []
    for _ in range(3):
        times.append(clock.now)
        with pytest.raises(WrongPassphrase):
            vault.unlock(data_dir, ADMIN, WRONG)
        clock.advance(60)
    ws = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    try:
        log = audit_log(ws)
        failed = [e for e in log if e.action == "unlock_failed"]
        assert len(failed) == 3
        assert all(e.username == ADMIN and e.record_id == str(ws.user.id) for e in failed)
        assert [round(e.at.timestamp()) for e in failed] == [round(t) for t in times]
        assert [e.action for e in log][-4:] == ["unlock_failed"] * 3 + ["unlock"]
    finally:
        ws.lock()
    slot = SlotFile.load(vault.slots_path(data_dir)).find(USER, ADMIN)
    assert slot.pending_failures == []

    # They are moved, not copied: the next unlock adds no more.
    ws = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    try:
        assert sum(e.action == "unlock_failed" for e in audit_log(ws)) == 3
    finally:
        ws.lock()


def test_locking_forgets_the_key_and_refuses_further_work(workspace):
    workspace.lock()
    assert workspace.locked
    with pytest.raises(UserError, match="locked"):
        workspace.read()
    with pytest.raises(UserError, match="locked"):
        _ = workspace.db_key


def test_unlocking_an_empty_folder_says_to_set_up_first(data_dir):
    with pytest.raises(NotInitialised):
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)


def test_initialising_twice_is_refused_and_keeps_the_first_database(data_dir, initialised):
    before = (data_dir / "resettle.db").read_bytes()
    with pytest.raises(AlreadyInitialised):
        vault.initialise(data_dir, ESTABLISHMENT, "second", "another long passphrase")
    assert (data_dir / "resettle.db").read_bytes() == before
    vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE).lock()


@pytest.mark.parametrize(
    ("establishment", "username", "passphrase", "message"),
    [
        ("  ", ADMIN, ADMIN_PASSPHRASE, "establishment"),
        (ESTABLISHMENT, "9lives", ADMIN_PASSPHRASE, "username"),
        (ESTABLISHMENT, ADMIN, "short", "Too short"),
        (ESTABLISHMENT, ADMIN, "admin is my long passphrase", "Too easy"),
    ],
)
def test_initialise_checks_its_inputs_and_writes_nothing(
    data_dir, establishment, username, passphrase, message
):
    with pytest.raises(UserError, match=message):
        vault.initialise(data_dir, establishment, username, passphrase)
    assert not vault.is_initialised(data_dir)
    assert not (data_dir / "resettle.db").exists()


def test_the_slot_file_swapped_for_another_profiles_is_refused(tmp_path, data_dir, initialised):
    other = tmp_path / "other"
    vault.initialise(other, ESTABLISHMENT, ADMIN, ADMIN_PASSPHRASE)
    (data_dir / "keyslots.json").write_bytes((other / "keyslots.json").read_bytes())
    with pytest.raises(WrongPassphrase):
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
