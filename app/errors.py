"""Errors a user can act on.

Every failure a person can cause or fix (a wrong passphrase, a malformed prison number, a full
disk) is raised as a `UserError` whose message is a plain sentence. The CLI prints it on one
line and exits 1; the window shows it in a dialog. Anything else is a bug and gets a traceback
in the developer log only (never personal data).
"""


class UserError(Exception):
    """A problem the user can understand and fix; `str(err)` is shown to her as it is."""


class WrongPassphrase(UserError):
    pass


class Throttled(UserError):
    def __init__(self, message: str, wait_seconds: float) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class Busy(UserError):
    """Another Resettle (the window, a command) held a lock we need for longer than we wait."""

    def __init__(self, message: str = "Another Resettle is busy with this profile; "
                 "try again in a moment.") -> None:
        super().__init__(message)


class NotInitialised(UserError):
    pass


class AlreadyInitialised(UserError):
    pass


class PermissionDenied(UserError):
    pass


class SchemaTooNew(UserError):
    pass


class ValidationFailed(UserError):
    """Field-level problems; `errors` maps a field name to a message for that field."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        lines = "; ".join(f"{field}: {msg}" for field, msg in self.errors.items())
        super().__init__(f"Please correct: {lines}")


class StaleRecord(UserError):
    pass


class NotFound(UserError):
    pass
