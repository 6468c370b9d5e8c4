"""Risky releases, flagged from the moment a date is entered.

Council housing offices close at weekends and on bank holidays, and a woman released late in the
day or the day before a closure may have nowhere to go that night (DOMAIN.md, timeline step 5).
Codes are a contract with scripts (`resettle people --format json`): keep them.
"""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum

from app.domain.codes import CustodyStatus
from app.domain.working_days import WorkingCalendar

LATE_RELEASE = time(17, 0)
NOT_SENTENCED = frozenset({CustodyStatus.REMAND, CustodyStatus.CONVICTED_UNSENTENCED})


class ReleaseRisk(StrEnum):
    FRIDAY = "FRIDAY"
    AFTER_17 = "AFTER_17"
    BEFORE_NON_WORKING_DAY = "BEFORE_NON_WORKING_DAY"
    NON_WORKING_DAY = "NON_WORKING_DAY"  # ours: the release day itself is a weekend/bank holiday
    DATE_UNKNOWN = "DATE_UNKNOWN"


RISK_LABELS = {
    ReleaseRisk.FRIDAY: "Friday release: council housing offices close for the weekend",
    ReleaseRisk.AFTER_17: "Release after 17:00: council offices will be closed",
    ReleaseRisk.BEFORE_NON_WORKING_DAY:
        "The next day is a weekend or bank holiday: no council office open",
    ReleaseRisk.NON_WORKING_DAY: "Release on a weekend or bank holiday: no council office open",
    ReleaseRisk.DATE_UNKNOWN: "Release date unknown: she could be released from court any day",
}
SHORT_LABELS = {
    ReleaseRisk.FRIDAY: "Friday",
    ReleaseRisk.AFTER_17: "After 17:00",
    ReleaseRisk.BEFORE_NON_WORKING_DAY: "Before a closed day",
    ReleaseRisk.NON_WORKING_DAY: "Closed day",
    ReleaseRisk.DATE_UNKNOWN: "Date unknown",
}

# Councils keep bank holidays, not the prison team's own closure days.
_COUNCIL_CALENDAR = WorkingCalendar()


def release_risks(release: date | None, at: time | None, custody_status: str,
                  calendar: WorkingCalendar = _COUNCIL_CALENDAR) -> tuple[ReleaseRisk, ...]:
    """Every risk of this release, most important first; empty when none."""
    if release is None:
        unknown = custody_status in NOT_SENTENCED
        return (ReleaseRisk.DATE_UNKNOWN,) if unknown else ()
    risks = []
    if release.weekday() == 4:
        risks.append(ReleaseRisk.FRIDAY)
    if at is not None and at >= LATE_RELEASE:
        risks.append(ReleaseRisk.AFTER_17)
    if not calendar.is_working_day(release):
        risks.append(ReleaseRisk.NON_WORKING_DAY)
    elif not calendar.is_working_day(date.fromordinal(release.toordinal() + 1)):
        risks.append(ReleaseRisk.BEFORE_NON_WORKING_DAY)
    return tuple(risks)


def describe(risks: tuple[ReleaseRisk, ...]) -> str:
    return "; ".join(RISK_LABELS[r] for r in risks)


class RiskCodes:
    """`release_risks` as codes, remembered per (date, time, custody): a list of 5,000 women
    has only a few hundred distinct combinations."""

    def __init__(self) -> None:
        self._seen: dict[tuple[date | None, time | None, str], tuple[str, ...]] = {}

    def __call__(self, release: date | None, at: time | None, custody: str) -> tuple[str, ...]:
        key = (release, at, custody)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = tuple(r.value for r in release_risks(release, at, custody))
        return found
