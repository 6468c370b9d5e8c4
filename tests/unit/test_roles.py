"""Who may do what."""

import pytest

from app.domain.roles import ROLE_LABELS, ROLE_PERMISSIONS, Permission, Role, can


def test_a_viewer_can_only_view():
    assert can("viewer", Permission.VIEW_PEOPLE)
    for permission in set(Permission) - {Permission.VIEW_PEOPLE}:
        assert not can("viewer", permission), permission


def test_an_administrator_can_do_everything_including_managing_users():
    assert can("administrator", Permission.MANAGE_USERS)
    assert all(can("administrator", p) for p in Permission)


@pytest.mark.parametrize("role", ["pom", "resettlement_worker", "housing_specialist"])
def test_caseworkers_edit_people_but_do_not_manage_users_or_read_the_audit(role):
    assert can(role, Permission.EDIT_PEOPLE)
    assert can(role, Permission.EXPORT)
    assert not can(role, Permission.MANAGE_USERS)
    assert not can(role, Permission.VIEW_AUDIT)
    assert not can(role, Permission.BACKUP)
    assert not can(role, Permission.CHANGE_SETTINGS)


def test_only_poms_and_resettlement_workers_import_besides_administrators():
    importers = {r for r in Role if can(r, Permission.IMPORT_PEOPLE)}
    assert importers == {Role.ADMINISTRATOR, Role.POM, Role.RESETTLEMENT_WORKER}


@pytest.mark.parametrize("role", ["", "Administrator", "root", "admin"])
def test_an_unknown_role_can_do_nothing(role):
    assert not any(can(role, p) for p in Permission)


def test_every_role_has_permissions_and_a_label():
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert set(ROLE_LABELS) == set(Role)
    assert all(Permission.VIEW_PEOPLE in perms for perms in ROLE_PERMISSIONS.values())
