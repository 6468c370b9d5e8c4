"""Pre-release planning: the timeline of DOMAIN.md steps 2-5, as pure date rules.

No I/O and no clock: every function takes `today` (or the dates it needs) as an argument.

Step states (see `step_states`)
-------------------------------
Each step has an *opening* date and a *deadline* (`step_due`). A step is

* NOT_YET  while today < opening,
* DUE      from the opening date up to and including the deadline,
* LATE     once today > deadline (including after the release date has passed),
* DONE     whenever its date is recorded (overrides everything else),
* NOT_NEEDED for the duty to refer / CRS when staff record it is not needed
  (a recorded submission date still wins: DONE).

| step                | opens         | deadline (last DUE day) | LATE from     |
|---------------------|---------------|-------------------------|---------------|
| PLAN                | release - 84  | release - 84            | release - 83  |
| TENANCY_ADVICE      | release - 84  | release - 84            | release - 83  |
| DUTY_TO_REFER       | release - 84  | release - 56            | release - 55  |
| CRS                 | release - 84  | release - 56            | release - 55  |
| ACCOMMODATION       | release - 84  | release - 14            | release - 13  |
| RELEASE_DAY         | release - 14  | release - 7             | release - 6   |

With no release date (remand, or not yet known): PLAN, TENANCY_ADVICE, DUTY_TO_REFER and CRS
are DUE (they do not need a date; tenancy advice and the duty to refer matter most for remanded
women), ACCOMMODATION and RELEASE_DAY are NOT_YET. Nothing is LATE without a date.

Reception clamps deadlines
--------------------------
A woman received close to her release arrives with some deadlines already behind her: nobody
could have met them. No deadline falls before her reception day (`step_due(..., received)`), so
such a step is DUE on the day she arrives and LATE only from the day after; the fact that it was
already late is said once, in words (`already_late_note`), never as an overdue task.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

PLAN_OPENS_DAYS = 84  # 12 weeks before release
DTR_WINDOW_DAYS = 56  # Homelessness Reduction Act "threatened with homelessness"
ACCOMMODATION_CHECK_DAYS = 14  # accommodation must be known 2 weeks out
RELEASE_DAY_START_DAYS = 7  # release-day checklist started a week out
CPP_ALLOCATION_DAYS = 304  # ~10 months to serve


class Step(StrEnum):
    PLAN = "PLAN"
    TENANCY_ADVICE = "TENANCY_ADVICE"
    DUTY_TO_REFER = "DUTY_TO_REFER"
    CRS = "CRS"
    ACCOMMODATION = "ACCOMMODATION"
    RELEASE_DAY = "RELEASE_DAY"


STEP_LABELS: dict[Step, str] = {
    Step.PLAN: "Plan started",
    Step.TENANCY_ADVICE: "Tenancy advice offered",
    Step.DUTY_TO_REFER: "Duty to refer",
    Step.CRS: "CRS referral",
    Step.ACCOMMODATION: "Accommodation identified",
    Step.RELEASE_DAY: "Release-day checklist",
}


class StepState(StrEnum):
    NOT_YET = "not_yet"
    DUE = "due"
    LATE = "late"
    DONE = "done"
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True)
class PlanningFacts:
    release_date: date | None
    custody_status: str  # REMAND, CONVICTED_UNSENTENCED, SENTENCED, RECALL
    plan_started: date | None = None
    tenancy_advice_offered: date | None = None
    dtr_submitted: date | None = None
    dtr_needed: bool = True  # False when staff record she is not homeless/at risk
    crs_submitted: date | None = None
    crs_needed: bool = True
    accommodation_identified: date | None = None
    release_day_started: date | None = None
    received_on: date | None = None  # reception day (prison time); no deadline falls before it


# Days before release: (opens, deadline).
_WINDOWS: dict[Step, tuple[int, int]] = {
    Step.PLAN: (PLAN_OPENS_DAYS, PLAN_OPENS_DAYS),
    Step.TENANCY_ADVICE: (PLAN_OPENS_DAYS, PLAN_OPENS_DAYS),
    Step.DUTY_TO_REFER: (PLAN_OPENS_DAYS, DTR_WINDOW_DAYS),
    Step.CRS: (PLAN_OPENS_DAYS, DTR_WINDOW_DAYS),
    Step.ACCOMMODATION: (PLAN_OPENS_DAYS, ACCOMMODATION_CHECK_DAYS),
    Step.RELEASE_DAY: (ACCOMMODATION_CHECK_DAYS, RELEASE_DAY_START_DAYS),
}

_UNDATED_DUE = {Step.PLAN, Step.TENANCY_ADVICE, Step.DUTY_TO_REFER, Step.CRS}


def step_due(step: Step, release: date, received: date | None = None) -> date:
    """The step's deadline: the last day on which it is DUE rather than LATE.

    Given her reception day, a deadline that had already passed when she arrived becomes that
    day: the team cannot act before she is here.
    """
    due = release - timedelta(days=_WINDOWS[Step(step)][1])
    return received if received is not None and due < received else due


def late_at_reception(release: date | None, received: date | None) -> list[tuple[Step, date]]:
    """Steps whose (unclamped) deadline had passed before her reception: (step, that deadline)."""
    if release is None or received is None:
        return []
    passed = ((step, step_due(step, release)) for step in Step)
    return [(step, due) for step, due in passed if due < received]


def already_late_note(release: date | None, received: date | None) -> str:
    """One sentence naming what was already late when she arrived, or "" when nothing was.

    The plan step itself is left out: the sentence is shown with her plan, which is open by then.
    """
    late = [(step, due) for step, due in late_at_reception(release, received)
            if step is not Step.PLAN]
    if not late or received is None:
        return ""
    steps = "; ".join(f"{STEP_LABELS[step].lower()} (was due {due:%d/%m/%Y})"
                      for step, due in late)
    return f"Already late when she arrived on {received:%d/%m/%Y}: {steps}."


def step_opens(step: Step, release: date) -> date:
    """The first day on which the step is DUE."""
    return release - timedelta(days=_WINDOWS[Step(step)][0])


_DONE_FIELDS = {
    Step.PLAN: "plan_started",
    Step.TENANCY_ADVICE: "tenancy_advice_offered",
    Step.DUTY_TO_REFER: "dtr_submitted",
    Step.CRS: "crs_submitted",
    Step.ACCOMMODATION: "accommodation_identified",
    Step.RELEASE_DAY: "release_day_started",
}
# Timeline order, with the window in days before release: a board computes this 5,000 times.
_ORDERED = tuple((step, *_WINDOWS[step], _DONE_FIELDS[step]) for step in Step)


def step_states(facts: PlanningFacts, today: date) -> dict[Step, StepState]:
    """The state of every step on `today`; see the module docstring for the exact rules.

    In days before release: NOT_YET while more than `opens` days remain, DUE down to the
    deadline day itself, LATE after it (the same as comparing `step_opens` and `step_due`).
    """
    states: dict[Step, StepState] = {}
    release = facts.release_date
    days = (release - today).days if release is not None else None
    # A deadline is never before reception: nothing is LATE on the day she arrives (or before).
    arrived_today = facts.received_on is not None and today <= facts.received_on
    for step, opens, deadline, done_field in _ORDERED:
        if getattr(facts, done_field) is not None:
            state = StepState.DONE
        elif (step is Step.DUTY_TO_REFER and not facts.dtr_needed) or (
            step is Step.CRS and not facts.crs_needed
        ):
            state = StepState.NOT_NEEDED
        elif days is None:
            state = StepState.DUE if step in _UNDATED_DUE else StepState.NOT_YET
        elif days > opens:
            state = StepState.NOT_YET
        elif days >= deadline or arrived_today:
            state = StepState.DUE
        else:
            state = StepState.LATE
        states[step] = state
    return states


def late_steps(facts: PlanningFacts, today: date) -> list[Step]:
    """The LATE steps, in timeline order."""
    return [step for step, state in step_states(facts, today).items() if state is StepState.LATE]


def weeks_to_release(release: date | None, today: date) -> int | None:
    """Whole weeks to release, rounded down; negative once the date has passed."""
    if release is None:
        return None
    return (release - today).days // 7


LANES = ("past", "0-2", "2-4", "4-8", "8-12", "12-24", "24+", "unknown")
_LANE_LIMITS = ((2, "0-2"), (4, "2-4"), (8, "4-8"), (12, "8-12"), (24, "12-24"))


def lane(release: date | None, today: date) -> str:
    """Caseload lane by whole weeks to release; lanes are [low, high) so 14 days is "2-4"."""
    weeks = weeks_to_release(release, today)
    if weeks is None:
        return "unknown"
    if weeks < 0:
        return "past"
    for limit, name in _LANE_LIMITS:
        if weeks < limit:
            return name
    return "24+"


def following_week(today: date) -> tuple[date, date]:
    """Monday..Sunday of the week after the one containing `today` (the EDIC week)."""
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    return monday, monday + timedelta(days=6)


_ISO_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


def iso_week(text: str) -> tuple[date, date]:
    """ISO week text such as "2026-W49" -> (Monday, Sunday); ValueError with a plain message."""
    match = _ISO_WEEK.match(text or "")
    if not match:
        raise ValueError("Type the week as year-W-number, e.g. 2026-W49.")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year} has no week {week}.") from None
    return monday, monday + timedelta(days=6)


def mappa_window(start: date) -> tuple[date, date]:
    """The coming quarter: `start` to the day before the same date three months on.

    When that date does not exist (30 November -> 30 February) the window runs to the
    end of that month (28 or 29 February), so consecutive windows leave no gap.
    """
    month_index = start.month - 1 + 3
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if start.day > last_day:
        return start, date(year, month, last_day)
    return start, date(year, month, start.day) - timedelta(days=1)


def replan(old: date | None, new: date | None, received: date | None = None,
           ) -> list[tuple[Step, date | None, date | None]]:
    """Each step whose deadline moves when the release date changes: (step, old, new)."""
    moved: list[tuple[Step, date | None, date | None]] = []
    for step in Step:
        before = step_due(step, old, received) if old is not None else None
        after = step_due(step, new, received) if new is not None else None
        if before != after:
            moved.append((step, before, after))
    return moved


def cpp_allocation_due(release: date) -> date:
    """A CPP is allocated with under ~10 months to serve."""
    return release - timedelta(days=CPP_ALLOCATION_DAYS)


def cpp_due_text(release: date | None, received: date | None = None) -> str:
    """The plan's CPP line: a due date, or words when it had passed before she arrived."""
    if release is None:
        return "CPP due date: release date not known"
    due = cpp_allocation_due(release)
    if received is not None and due < received:
        return "CPP due now: she had under 10 months to serve when she arrived"
    return f"CPP due by {due:%d/%m/%Y} (10 months to serve)"


def plan_opens(release: date) -> date:
    """The 12-week handover: the pre-release plan opens."""
    return release - timedelta(days=PLAN_OPENS_DAYS)
