"""Standalone panels follow the change events as they do inside the main window.

A panel no longer reloads itself after its own action: the workspace publishes what changed
and the main window's `ChangeWatcher` re-shows her record on the panel. A test that builds a
panel on its own wires the same watcher here, so it checks what the user would see.
"""

from __future__ import annotations

from typing import Any

from app.services.changes import Kind
from app.services.workspace import Workspace
from ui.ops import ChangeWatcher, ops_for


def follow(panel: Any, ws: Workspace) -> ChangeWatcher:
    """Re-show her record on `panel` after any committed change to her (any kind)."""

    def refresh(_changes: object) -> None:
        if panel.person_id is not None and panel.person is not None:
            panel.show_person(panel.person_id, panel.person)

    return ChangeWatcher(panel, ops_for(ws), tuple(Kind), refresh,
                         person=lambda: panel.person_id)
