"""The one shape of a woman on a weekly meeting list (EDIC, MAPPA): on screen, printed, in the CLI.

Filled by app.services.meetings, laid out by app.documents.meeting_lists and shown by
ui.meetings_dialog; plain, human-readable values, so none of them decodes anything again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time


@dataclass(frozen=True)
class MeetingRow:
    """One woman due for release, as the EDIC and MAPPA lists show her (on screen and printed)."""

    person_id: int
    prison_number: str
    name: str
    release_date: date
    release_time: time | None  # London wall-clock time, if known
    release_type: str
    home_council: str
    mappa_level: str  # "2", "LEVEL_2", "Level 2" or ""
    cpp_name: str  # community probation practitioner
    pom_name: str  # prison offender manager
    plan_status: str
    accommodation_status: str
    risks: tuple[str, ...]  # "Friday release", "Release after 17:00", "MAPPA level 2", ...
    open_tasks: tuple[str, ...]
    referrals: str  # one line: "Duty to refer: submitted 02/12/2026; CRS: not made"
