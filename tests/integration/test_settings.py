"""Team settings, stored encrypted with everything else."""

import pytest

from app.errors import PermissionDenied, UserError
from app.services import settings, vault
from tests.conftest import ADMIN, ADMIN_PASSPHRASE, ESTABLISHMENT


def test_defaults(workspace):
    assert settings.establishment(workspace) == ESTABLISHMENT
    assert settings.idle_lock_minutes(workspace) == settings.DEFAULT_IDLE_LOCK_MINUTES
    assert not settings.is_demo(workspace)


def test_the_idle_lock_is_saved_and_survives_an_unlock(data_dir, workspace):
    settings.set_idle_lock_minutes(workspace, 25)
    workspace.lock()
    again = vault.unlock(data_dir, ADMIN, ADMIN_PASSPHRASE)
    try:
        assert settings.idle_lock_minutes(again) == 25
    finally:
        again.lock()


@pytest.mark.parametrize("minutes", [0, 61, -5])
def test_the_idle_lock_stays_in_range(workspace, minutes):
    with pytest.raises(UserError, match="between 1 and 60"):
        settings.set_idle_lock_minutes(workspace, minutes)
    assert settings.idle_lock_minutes(workspace) == settings.DEFAULT_IDLE_LOCK_MINUTES


@pytest.mark.parametrize("minutes", [1, 60])
def test_the_idle_lock_range_is_inclusive(workspace, minutes):
    settings.set_idle_lock_minutes(workspace, minutes)
    assert settings.idle_lock_minutes(workspace) == minutes


def test_only_administrators_change_settings(make_user):
    worker = make_user("jsmith", "pom")
    with pytest.raises(PermissionDenied):
        settings.set_idle_lock_minutes(worker, 5)


def test_the_list_width_is_window_layout_anyone_may_leave(workspace, make_user):
    from app.services import audit

    assert settings.list_width(workspace) is None
    viewer = make_user("vviewer", "viewer")  # layout, not policy: no permission needed
    settings.set_list_width(viewer, 812)
    assert settings.list_width(workspace) == 812
    before = len(audit.entries(workspace, action="setting_changed"))
    settings.set_list_width(viewer, 812)  # unchanged: nothing written
    settings.set_list_width(viewer, 5)  # kept in range
    assert settings.list_width(workspace) == settings.LIST_WIDTH_RANGE[0]
    assert len(audit.entries(workspace, action="setting_changed")) == before + 1
