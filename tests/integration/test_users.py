"""Accounts: add, disable, re-enable, reset, change one's own passphrase, keep an admin."""

from __future__ import annotations

import pytest

from app.errors import PermissionDenied, UserError, WrongPassphrase
from app.services import users, vault
from app.store.keyslots import USER, SlotFile
from tests.conftest import ADMIN, ADMIN_PASSPHRASE
from tests.integration.conftest import TEMPORARY, audit_log

NEW = "my own new passphrase"


def slot_names(data_dir) -> set[str]:
    return {s.username for s in SlotFile.load(vault.slots_path(data_dir)).slots if s.kind == USER}


def test_an_added_user_unlocks_with_the_temporary_passphrase_and_must_change_it(
    data_dir, workspace, open_as
):
    users.add_user(workspace, " JSmith ", "  Jo   Smith ", "pom", TEMPORARY)
    assert slot_names(data_dir) == {ADMIN, "jsmith"}
    ws = open_as("jsmith", TEMPORARY)
    assert (ws.user.username, ws.user.display_name, ws.user.role) == ("jsmith", "Jo Smith", "pom")
    assert ws.user.must_change_passphrase
    summary = {u.username: u for u in users.list_users(workspace)}
    assert summary["jsmith"].active
    assert summary["jsmith"].last_unlock_at is not None


@pytest.mark.parametrize(
    ("username", "role", "passphrase", "message"),
    [
        ("admin", "pom", TEMPORARY, "already a user"),
        ("j", "pom", TEMPORARY, "username"),
        ("jsmith", "warden", TEMPORARY, "Unknown role"),
        ("jsmith", "pom", "too short", "Too short"),
        ("jsmith", "pom", "jsmith-passphrase", "Too easy"),
    ],
)
def test_adding_a_user_checks_everything_and_adds_nothing_on_failure(
    data_dir, workspace, username, role, passphrase, message
):
    with pytest.raises(UserError, match=message):
        users.add_user(workspace, username, "Someone", role, passphrase)
    assert [u.username for u in users.list_users(workspace)] == [ADMIN]
    assert slot_names(data_dir) == {ADMIN}


def test_a_disabled_user_loses_her_slot_and_cannot_unlock(data_dir, workspace):
    users.add_user(workspace, "jsmith", "Jo Smith", "pom", TEMPORARY)
    users.disable_user(workspace, "jsmith")
    assert slot_names(data_dir) == {ADMIN}
    with pytest.raises(WrongPassphrase):
        vault.unlock(data_dir, "jsmith", TEMPORARY)
    summary = {u.username: u for u in users.list_users(workspace)}
    assert not summary["jsmith"].active
    disabled = [e for e in audit_log(workspace) if e.action == "user_disabled"]
    assert disabled and disabled[-1].record_id == str(summary["jsmith"].id)


def test_re_enabling_gives_a_new_temporary_passphrase(data_dir, workspace, open_as):
    users.add_user(workspace, "jsmith", "Jo Smith", "pom", TEMPORARY)
    users.disable_user(workspace, "jsmith")
    users.enable_user(workspace, "jsmith", "another temporary one")
    with pytest.raises(WrongPassphrase):
        vault.unlock(data_dir, "jsmith", TEMPORARY)
    ws = open_as("jsmith", "another temporary one")
    assert ws.user.must_change_passphrase


def test_an_administrator_resets_a_forgotten_passphrase(data_dir, workspace, open_as):
    users.add_user(workspace, "jsmith", "Jo Smith", "pom", TEMPORARY)
    first = open_as("jsmith", TEMPORARY)
    users.change_own_passphrase(first, TEMPORARY, NEW)
    users.reset_passphrase(workspace, "jsmith", "reset passphrase 2026")
    with pytest.raises(WrongPassphrase):
        vault.unlock(data_dir, "jsmith", NEW)
    ws = open_as("jsmith", "reset passphrase 2026")
    assert ws.user.must_change_passphrase
    assert "user_passphrase_reset" in [e.action for e in audit_log(workspace)]


def test_a_disabled_account_cannot_be_reset(workspace):
    users.add_user(workspace, "jsmith", "Jo Smith", "pom", TEMPORARY)
    users.disable_user(workspace, "jsmith")
    with pytest.raises(UserError, match="disabled"):
        users.reset_passphrase(workspace, "jsmith", "reset passphrase 2026")


def test_changing_her_own_passphrase(data_dir, workspace, open_as):
    users.change_own_passphrase(workspace, ADMIN_PASSPHRASE, NEW)
    with pytest.raises(WrongPassphrase):
        vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    assert open_as(ADMIN, NEW).user.username == ADMIN
    assert "own_passphrase_changed" in [e.action for e in audit_log(workspace)]


def test_the_first_change_clears_must_change(data_dir, workspace, open_as):
    users.add_user(workspace, "jsmith", "Jo Smith", "pom", TEMPORARY)
    ws = open_as("jsmith", TEMPORARY)
    users.change_own_passphrase(ws, TEMPORARY, NEW)
    assert not ws.user.must_change_passphrase
    assert not open_as("jsmith", NEW).user.must_change_passphrase


@pytest.mark.parametrize(
    ("current", "new", "error", "message"),
    [
        ("not my passphrase", NEW, WrongPassphrase, "current passphrase is not right"),
        (ADMIN_PASSPHRASE, ADMIN_PASSPHRASE, UserError, "must differ"),
        (ADMIN_PASSPHRASE, "short", UserError, "Too short"),
    ],
)
def test_a_bad_change_of_passphrase_keeps_the_old_one(
    data_dir, workspace, open_as, current, new, error, message
):
    with pytest.raises(error, match=message):
        users.change_own_passphrase(workspace, current, new)
    open_as(ADMIN, ADMIN_PASSPHRASE)


def test_the_last_administrator_cannot_disable_herself(data_dir, workspace):
    with pytest.raises(UserError, match="your own account"):
        users.disable_user(workspace, ADMIN)
    assert slot_names(data_dir) == {ADMIN}


def test_the_last_active_administrator_cannot_be_disabled(data_dir, workspace):
    users.add_user(workspace, "second", "Second Admin", "administrator", TEMPORARY)
    second = vault.unlock(data_dir, "second", TEMPORARY)
    try:
        users.disable_user(second, ADMIN)  # fine: "second" is still an administrator
    finally:
        second.lock()
    # The first admin's session is still open; she must not leave the team with none.
    with pytest.raises(UserError, match="At least one administrator"):
        users.disable_user(workspace, "second")
    assert "second" in slot_names(data_dir)
    vault.unlock(data_dir, "second", TEMPORARY).lock()


def test_the_last_administrator_cannot_be_demoted(workspace):
    with pytest.raises(UserError, match="At least one administrator"):
        users.set_role(workspace, ADMIN, "viewer")
    assert users.list_users(workspace)[0].role == "administrator"


def test_changing_a_role_takes_effect_at_the_next_unlock(workspace, make_user, open_as):
    make_user("jsmith", "viewer")
    users.set_role(workspace, "jsmith", "resettlement_worker")
    assert open_as("jsmith", TEMPORARY).user.role == "resettlement_worker"
    changed = [e for e in audit_log(workspace) if e.action == "user_role_changed"]
    assert changed[-1].detail == "role=resettlement_worker"


def test_a_non_administrator_cannot_manage_users(make_user):
    worker = make_user("jsmith", "pom")
    for attempt in (
        lambda: users.list_users(worker),
        lambda: users.add_user(worker, "another", "Another", "viewer", TEMPORARY),
        lambda: users.disable_user(worker, ADMIN),
        lambda: users.reset_passphrase(worker, ADMIN, TEMPORARY),
        lambda: users.set_role(worker, "jsmith", "administrator"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()


def test_an_unknown_user_is_not_found(workspace):
    with pytest.raises(UserError, match="no user called ghost"):
        users.disable_user(workspace, "ghost")


def test_demoting_herself_takes_effect_at_once(workspace):
    from app.domain.roles import Permission
    from app.services import users

    users.add_user(workspace, "second", "Second Admin", "administrator", "temporary pass 12345")
    users.set_role(workspace, workspace.user.username, "viewer")
    assert workspace.user.role == "viewer"
    assert not workspace.can(Permission.MANAGE_USERS)


def test_guessing_the_current_passphrase_is_throttled_like_unlock(workspace):
    from app.errors import Throttled, WrongPassphrase
    from app.services import users

    for _ in range(5):
        with pytest.raises(WrongPassphrase):
            users.change_own_passphrase(workspace, "not my passphrase!!", "a new long passphrase 9")
    with pytest.raises(Throttled):
        users.change_own_passphrase(workspace, "not my passphrase!!", "a new long passphrase 9")
