"""Team-wide settings, typed, with defaults; stored encrypted with everything else."""

from __future__ import annotations

from app.domain.audit_actions import Action, RecordType
from app.domain.roles import Permission
from app.errors import UserError
from app.services.workspace import Workspace
from app.store.models import Setting

DEFAULT_IDLE_LOCK_MINUTES = 10
IDLE_LOCK_RANGE = (1, 60)


def _get(ws: Workspace, key: str) -> str | None:
    with ws.read() as session:
        row = session.get(Setting, key)
        return row.value if row else None


def establishment(ws: Workspace) -> str:
    return _get(ws, "establishment") or ""


def is_demo(ws: Workspace) -> bool:
    return _get(ws, "demo") == "1"


def idle_lock_minutes(ws: Workspace) -> int:
    value = _get(ws, "idle_lock_minutes")
    return int(value) if value and value.isdigit() else DEFAULT_IDLE_LOCK_MINUTES


def set_idle_lock_minutes(ws: Workspace, minutes: int) -> None:
    ws.require(Permission.CHANGE_SETTINGS)
    low, high = IDLE_LOCK_RANGE
    if not low <= minutes <= high:
        raise UserError(f"Choose between {low} and {high} minutes.")
    with ws.operation(Action.SETTING_CHANGED, RecordType.SETTING,
                      "idle_lock_minutes") as (session, entry):
        entry.detail = f"idle_lock_minutes={minutes}"
        session.merge(Setting(key="idle_lock_minutes", value=str(minutes)))


LIST_WIDTH_RANGE = (320, 4000)


def list_width(ws: Workspace) -> int | None:
    """The list side's width in the main window, as last left on this workstation, if any."""
    value = _get(ws, "list_width")
    return int(value) if value and value.isdigit() else None


def set_list_width(ws: Workspace, pixels: int) -> None:
    """Remember where the list/record splitter was left.

    Window layout, not team policy: any signed-in user may set it, and it holds no personal
    data. It lives with the other settings so the profile keeps one store, and it is audited
    like every change to that store.
    """
    low, high = LIST_WIDTH_RANGE
    pixels = max(low, min(high, int(pixels)))
    if list_width(ws) == pixels:
        return
    with ws.operation(Action.SETTING_CHANGED, RecordType.SETTING, "list_width") as (session, entry):
        entry.detail = f"list_width={pixels}"
        session.merge(Setting(key="list_width", value=str(pixels)))
