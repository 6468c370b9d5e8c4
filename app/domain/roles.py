"""Who may do what. The window greys out what a role cannot do; services refuse it anyway."""

from enum import StrEnum


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    POM = "pom"
    RESETTLEMENT_WORKER = "resettlement_worker"
    HOUSING_SPECIALIST = "housing_specialist"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMINISTRATOR: "Administrator",
    Role.POM: "POM (Prison Offender Manager)",
    Role.RESETTLEMENT_WORKER: "Resettlement worker",
    Role.HOUSING_SPECIALIST: "Housing specialist",
    Role.VIEWER: "Read-only viewer",
}


class Permission(StrEnum):
    VIEW_PEOPLE = "view_people"
    EDIT_PEOPLE = "edit_people"
    IMPORT_PEOPLE = "import_people"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    CHANGE_SETTINGS = "change_settings"
    BACKUP = "backup"
    EXPORT = "export"


_EVERYONE = {Permission.VIEW_PEOPLE}
_CASEWORK = _EVERYONE | {Permission.EDIT_PEOPLE, Permission.EXPORT}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset(Permission),
    Role.POM: frozenset(_CASEWORK | {Permission.IMPORT_PEOPLE}),
    Role.RESETTLEMENT_WORKER: frozenset(_CASEWORK | {Permission.IMPORT_PEOPLE}),
    Role.HOUSING_SPECIALIST: frozenset(_CASEWORK),
    Role.VIEWER: frozenset(_EVERYONE),
}


def can(role: str, permission: Permission) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False
