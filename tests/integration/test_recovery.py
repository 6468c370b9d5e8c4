"""The printed recovery key gives a user a new passphrase when hers is forgotten."""

from __future__ import annotations

import pytest

from app.errors import Throttled, UserError, WrongPassphrase
from app.services import users, vault
from app.store.keyslots import RECOVERY, SlotFile
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.integration.conftest import TEMPORARY, actions

NEW = "a brand new passphrase"


def test_the_recovery_key_as_typed_sets_a_new_passphrase(data_dir, initialised, open_as):
    typed = initialised.lower().replace("-", " ")
    vault.recover(data_dir, typed, ADMIN, NEW)
    with pytest.raises(WrongPassphrase):
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    ws = open_as(ADMIN, NEW)
    assert "recovery_key_used" in actions(ws)


def test_a_wrong_recovery_key_is_refused_and_counted(data_dir, initialised):
    wrong = "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"
    with pytest.raises(WrongPassphrase, match="does not open"):
        vault.recover(data_dir, wrong, ADMIN, NEW)
    assert SlotFile.load(vault.slots_path(data_dir)).find(RECOVERY).failures == 1
    vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE).lock()  # unchanged


def test_recovery_attempts_are_throttled_too(data_dir, initialised, clock):
    wrong = "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"
    for _ in range(5):
        with pytest.raises(WrongPassphrase):
            vault.recover(data_dir, wrong, ADMIN, NEW)
    with pytest.raises(Throttled):
        vault.recover(data_dir, initialised, ADMIN, NEW)


def test_recovery_for_an_unknown_user_changes_nothing(data_dir, initialised):
    with pytest.raises(UserError, match="no user called"):
        vault.recover(data_dir, initialised, "nobody", NEW)
    vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE).lock()


def test_recovery_still_requires_a_strong_new_passphrase(data_dir, initialised):
    with pytest.raises(UserError, match="Too short"):
        vault.recover(data_dir, initialised, ADMIN, "short")


def test_recovery_re_enables_a_disabled_account(data_dir, initialised, workspace, open_as):
    users.add_user(workspace, "jsmith", "J Smith", "pom", TEMPORARY)
    users.disable_user(workspace, "jsmith")
    vault.recover(data_dir, initialised, "jsmith", NEW)
    ws = open_as("jsmith", NEW)
    assert ws.user.role == "pom"
    assert not ws.user.must_change_passphrase
