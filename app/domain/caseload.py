"""Release windows and the caseload filter: what the team looks at every morning.

Windows overlap on purpose ("this week" is also "within 12 weeks"): each answers its own
question. Counts ignore the window filter but respect the text and custody filters, so the
buttons always tell how many women each window would show.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum
from typing import NamedTuple


class ReleaseWindow(StrEnum):
    OVERDUE = "overdue"
    THIS_WEEK = "this_week"
    NEXT_WEEK = "next_week"
    WITHIN_12_WEEKS = "within_12_weeks"
    WITHIN_24_WEEKS = "within_24_weeks"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return WINDOW_LABELS[self]


WINDOW_LABELS = {
    ReleaseWindow.OVERDUE: "Overdue",
    ReleaseWindow.THIS_WEEK: "This week",
    ReleaseWindow.NEXT_WEEK: "Next week",
    ReleaseWindow.WITHIN_12_WEEKS: "Within 12 weeks",
    ReleaseWindow.WITHIN_24_WEEKS: "Within 24 weeks",
    ReleaseWindow.UNKNOWN: "Date unknown",
}


def windows_for(release: date | None, today: date) -> frozenset[ReleaseWindow]:
    if release is None:
        return frozenset({ReleaseWindow.UNKNOWN})
    if release < today:
        return frozenset({ReleaseWindow.OVERDUE})
    found = set()
    end_of_week = today + timedelta(days=6 - today.weekday())
    if release <= end_of_week:
        found.add(ReleaseWindow.THIS_WEEK)
    elif release <= end_of_week + timedelta(days=7):
        found.add(ReleaseWindow.NEXT_WEEK)
    if release <= today + timedelta(weeks=12):
        found.add(ReleaseWindow.WITHIN_12_WEEKS)
    if release <= today + timedelta(weeks=24):
        found.add(ReleaseWindow.WITHIN_24_WEEKS)
    return frozenset(found)


class WindowClassifier:
    """windows_for with the answer remembered per date: a caseload has few distinct dates."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._seen: dict[date | None, frozenset[ReleaseWindow]] = {}

    def __call__(self, release: date | None) -> frozenset[ReleaseWindow]:
        found = self._seen.get(release)
        if found is None:
            found = self._seen[release] = windows_for(release, self.today)
        return found


class CaseloadRow(NamedTuple):
    """One line of the caseload (a tuple: 5,000 of them are built at every unlock)."""

    id: int
    prison_number: str
    family_name: str
    given_names: str
    date_of_birth: date
    nationality: str
    custody_status: str
    release_date: date | None
    release_time: time | None
    home_local_authority: str
    search_key: str
    windows: frozenset[ReleaseWindow]
    transferred_to: str = ""  # set once she has been transferred out
    risks: tuple[str, ...] = ()  # ReleaseRisk codes (app.domain.release_risks)
    released_on: date | None = None  # set once her release outcome is recorded


def search_key(prison_number: str, family: str, given: str, aliases: str) -> str:
    return " ".join((prison_number, family, given, aliases)).casefold()


@dataclass(frozen=True)
class CaseloadFilter:
    text: str = ""
    custody_status: str | None = None
    window: ReleaseWindow | None = None

    def needles(self) -> list[str]:
        return self.text.casefold().split()

    def apply(self, rows: Sequence[CaseloadRow]) -> list[CaseloadRow]:
        return evaluate(self, rows).shown

    def window_counts(self, rows: Sequence[CaseloadRow]) -> dict[ReleaseWindow, int]:
        return evaluate(self, rows).counts

    def matching(self, rows: Iterable[CaseloadRow]) -> list[CaseloadRow]:
        """Rows the text and custody filters let through, whatever their release window."""
        needles = self.needles()
        custody = self.custody_status
        return [
            r
            for r in rows
            if (not custody or r.custody_status == custody)
            and all(n in r.search_key for n in needles)
        ]

    def narrows(self, previous: CaseloadFilter) -> bool:
        """True when every row this filter matches was matched by `previous` too.

        Typing one more letter only narrows the search, so the next search can start from the
        last result instead of the whole caseload: that keeps each keystroke fast.
        """
        return self.custody_status == previous.custody_status and self.text.casefold().startswith(
            previous.text.casefold()
        )


@dataclass(frozen=True)
class FilterResult:
    shown: list[CaseloadRow]
    matching: list[CaseloadRow]
    counts: dict[ReleaseWindow, int]


def evaluate(flt: CaseloadFilter, rows: Sequence[CaseloadRow]) -> FilterResult:
    """Shown rows, rows matching in any window, and per-window counts, in one pass."""
    matching = flt.matching(rows)
    counts = dict.fromkeys(ReleaseWindow, 0)
    for row in matching:
        for window in row.windows:
            counts[window] += 1
    shown = matching if flt.window is None else [r for r in matching if flt.window in r.windows]
    return FilterResult(shown, matching, counts)
