"""The release-day checklist, accommodation outcomes and the monitoring report (pure rules).

DOMAIN.md, timeline steps 5 and 6: on the day she must have somewhere safe to sleep, a way to
get there and support around her obligations; afterwards, where she went (nDelius accommodation
codes, S = settled, T = transient) and whether it lasted 12 weeks. "Unknown" is a failure the
team must see, so it is always counted, never dropped.

Codes here are a contract with the window, the PDF and exports: keep them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.codes import ChecklistItemCode, ChecklistState
from app.domain.release_risks import NOT_SENTENCED

# --- the checklist ----------------------------------------------------------------------------

ITEM_STATES: tuple[ChecklistState, ...] = tuple(ChecklistState)
STATE_LABELS: dict[str, str] = {ChecklistState.OPEN: "To do", ChecklistState.DONE: "Done",
                                ChecklistState.NOT_NEEDED: "Not needed",
                                ChecklistState.BLOCKED: "Blocked"}
NEEDS_REASON = frozenset({ChecklistState.NOT_NEEDED, ChecklistState.BLOCKED})


@dataclass(frozen=True)
class ItemTemplate:
    code: ChecklistItemCode
    title: str
    required: bool = False


BASE_ITEMS: tuple[ItemTemplate, ...] = (
    ItemTemplate(ChecklistItemCode.SLEEP_TONIGHT,
                 "Where she will sleep tonight (address, and who confirmed it)"),
    ItemTemplate(ChecklistItemCode.TRANSPORT, "How she gets there (transport, travel warrant)"),
    ItemTemplate(ChecklistItemCode.MET_AT_GATE, "Who meets her at the gate"),
    ItemTemplate(ChecklistItemCode.PROBATION_REPORTING,
                 "Probation reporting time and place, fitted around her accommodation "
                 "appointment"),
    ItemTemplate(ChecklistItemCode.ID_RETURNED, "ID documents returned to her"),
    ItemTemplate(ChecklistItemCode.BANK_CARD, "Bank card"),
    ItemTemplate(ChecklistItemCode.BENEFITS, "Universal Credit claim or DWP appointment"),
    ItemTemplate(ChecklistItemCode.MEDICATION, "Medication and prescription for release"),
    ItemTemplate(ChecklistItemCode.GP, "GP registration"),
    ItemTemplate(ChecklistItemCode.PHONE, "Phone"),
    ItemTemplate(ChecklistItemCode.CLOTHING, "Clothing"),
    ItemTemplate(ChecklistItemCode.DISCHARGE_GRANT, "Discharge grant"),
    ItemTemplate(ChecklistItemCode.CHILDRENS_SOCIAL_CARE, "Children's social care contact"),
    ItemTemplate(ChecklistItemCode.INFO_SHEETS, "Her information sheets given (in her language)"),
    ItemTemplate(ChecklistItemCode.EMERGENCY_CONTACTS, "Emergency contacts"),
)
EMERGENCY_ACCOMMODATION = ItemTemplate(
    ChecklistItemCode.EMERGENCY_ACCOMMODATION,
    "Emergency accommodation arranged (risky release: weekend, late or date unknown)",
    required=True,
)
CHILDREN_NEED = "CHILDREN_SOCIAL_CARE_LIAISON"
CUSTOM_CODE = ChecklistItemCode.OTHER  # items staff add by hand


def checklist_templates(risks: Sequence[str], need_codes: set[str]) -> list[ItemTemplate]:
    """The items of her checklist, in order.

    A risky release (any release-risk code) puts EMERGENCY_ACCOMMODATION first, required: it
    must be DONE before sign-off. Children's social care is always on the list (a worker may
    learn of children late), but is required only when she has the CHILDREN_SOCIAL_CARE_LIAISON
    need; otherwise it can be marked "not needed" with a reason.
    """
    items: list[ItemTemplate] = [EMERGENCY_ACCOMMODATION] if risks else []
    for template in BASE_ITEMS:
        if template.code == ChecklistItemCode.CHILDRENS_SOCIAL_CARE and CHILDREN_NEED in need_codes:
            template = ItemTemplate(template.code, template.title, required=True)
        items.append(template)
    return items


@dataclass(frozen=True)
class ItemState:
    code: str
    title: str
    state: str
    reason: str
    required: bool


_REQUIRED_MESSAGES = {
    ChecklistItemCode.EMERGENCY_ACCOMMODATION:
        "Emergency accommodation must be arranged before sign-off.",
}


def signoff_problems(items: Sequence[ItemState]) -> list[str]:
    """Why the checklist cannot be signed off yet, one plain sentence each; empty when it can.

    One sentence per item, never two: an open required item says it is required (the stronger
    reason) instead of also being listed as "Still to do".
    """
    problems = []
    for item in items:
        if item.state not in ITEM_STATES:
            problems.append(f"'{item.title}' has an unknown state.")
        elif item.required and item.state != ChecklistState.DONE:
            problems.append(_REQUIRED_MESSAGES.get(
                item.code, f"'{item.title}' must be done before sign-off."))
        elif item.state == ChecklistState.OPEN:
            problems.append(f"Still to do: {item.title}.")
        elif item.state in NEEDS_REASON and not item.reason.strip():
            label = STATE_LABELS[item.state].lower()
            problems.append(f"Say why '{item.title}' is {label}.")
    return problems


# --- accommodation outcome --------------------------------------------------------------------

ACCOMMODATION_CODES: dict[str, tuple[str, str]] = {
    "A01A": ("Owner", "S"),
    "A01C": ("Private rented", "S"),
    "A01D": ("Social housing", "S"),
    "A04": ("Supported housing", "S"),
    "A12": ("Care or nursing home", "S"),
    "A07B": ("Friends, family or partner (settled)", "S"),
    "A07A": ("Friends, family or partner (transient)", "T"),
    "A03": ("Transient or short-term accommodation", "T"),
    "A10": ("CAS2, 13 weeks or more", "T"),
    "A11": ("CAS2, under 13 weeks", "T"),
    "A13": ("Home Office section 4", "T"),
    "A14": ("Home Office section 10", "T"),
    "A15": ("Immigration detention", "T"),
    "A02": ("Approved premises", "T"),
    "A16": ("Awaiting assessment", "T"),
    "A17": ("CAS3", "T"),
    "A08A": ("Rough sleeping", "T"),
    "A08C": ("Shelter, emergency hostel or campsite", "T"),
    "A08": ("Squat", "T"),
    "NFA": ("No fixed abode (left with no accommodation)", "T"),
    "UNKNOWN": ("Not known", ""),
}
HOMELESS_CODES = frozenset({"A08A", "A08C", "A08", "NFA"})
UNKNOWN_CATEGORY = "UNKNOWN"  # an outcome category (computed, never stored), not a code
CATEGORIES = ("SETTLED", "TRANSIENT", "HOMELESS", UNKNOWN_CATEGORY)
CATEGORY_LABELS = {"SETTLED": "Settled", "TRANSIENT": "Transient", "HOMELESS": "Homeless",
                   "UNKNOWN": "Not known"}


def outcome_category(code: str) -> str:
    """SETTLED, TRANSIENT, HOMELESS or UNKNOWN for an nDelius code (unknown codes: UNKNOWN)."""
    if code in HOMELESS_CODES:
        return "HOMELESS"
    kind = ACCOMMODATION_CODES.get(code, ("", ""))[1]
    return {"S": "SETTLED", "T": "TRANSIENT"}.get(kind, "UNKNOWN")


FOLLOW_UP_DAYS = 84  # 12 weeks: accommodation lasting longer than this is sustainable
SUPPORT_WINDOW_DAYS = 91  # at least 3 months of post-release support


RELEASE_DATE_TOLERANCE_DAYS = 1  # a day either side is the same release (late gate, midnight)


def release_date_gap(expected: date | None, released: date) -> int:
    """Whole days between her recorded release date and the day recorded as her release.

    0 when no date was recorded (remand: any day is plausible).
    """
    return 0 if expected is None else abs((released - expected).days)


def date_change_question(expected: date | None, released: date) -> str:
    """The question to ask (and the refusal without an answer) when the two dates are more than
    a day apart, or "" when they agree: a slip of the calendar must not pass unnoticed."""
    gap = release_date_gap(expected, released)
    if expected is None or gap <= RELEASE_DATE_TOLERANCE_DAYS:
        return ""
    when = "before" if released < expected else "after"
    days = "day" if gap == 1 else "days"
    return (f"Her release date on record is {expected:%d/%m/%Y}: this is {gap} {days} {when} "
            "it. Say why she left on this day.")


def follow_up_due(released_on: date) -> date:
    return released_on + timedelta(days=FOLLOW_UP_DAYS)


# --- the monitoring report --------------------------------------------------------------------

SUPPRESS_BELOW = 5


def suppressed(n: int) -> str:
    """Small numbers could identify a woman: 1 to 4 are shown as "<5" in exports."""
    return "<5" if 0 < n < SUPPRESS_BELOW else str(n)


@dataclass(frozen=True)
class OutcomeRecord:
    released_on: date
    category: str
    sustained: bool | None
    custody_status: str
    foreign_national: bool


@dataclass(frozen=True)
class OutcomeCounts:
    label: str
    settled: int
    transient: int
    homeless: int
    unknown: int
    sustained: int
    not_sustained: int
    sustained_unknown: int

    @property
    def total(self) -> int:
        return self.settled + self.transient + self.homeless + self.unknown


REMAND_LABEL, SENTENCED_LABEL = "Remand / unsentenced", "Sentenced / recall"
FOREIGN_LABEL, BRITISH_LABEL = "Foreign national", "British"


@dataclass(frozen=True)
class OutcomeReport:
    start: date
    end: date
    overall: OutcomeCounts
    by_month: tuple[OutcomeCounts, ...]
    by_quarter: tuple[OutcomeCounts, ...]
    by_custody: tuple[OutcomeCounts, ...]
    by_nationality: tuple[OutcomeCounts, ...]


class _Tally:
    def __init__(self) -> None:
        self.counts = dict.fromkeys(CATEGORIES, 0)
        self.sustained = [0, 0, 0]  # yes, no, not known

    def add(self, record: OutcomeRecord) -> None:
        category = record.category if record.category in self.counts else "UNKNOWN"
        self.counts[category] += 1
        index = 2 if record.sustained is None else (0 if record.sustained else 1)
        self.sustained[index] += 1

    def freeze(self, label: str) -> OutcomeCounts:
        c = self.counts
        return OutcomeCounts(label, c["SETTLED"], c["TRANSIENT"], c["HOMELESS"], c["UNKNOWN"],
                             *self.sustained)


def month_label(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def quarter_label(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _months(start: date, end: date) -> list[date]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def aggregate(records: Sequence[OutcomeRecord], start: date, end: date) -> OutcomeReport:
    """Counts of releases from `start` to `end` (inclusive) by category, overall and split.

    Every month and quarter touching the range is present, even with no releases. Records
    outside the range are ignored. `sustained_unknown` counts every release whose 12-week
    follow-up is not recorded (including those not yet due).
    """
    months = _months(start, end)
    by_month = {month_label(m): _Tally() for m in months}
    by_quarter = {quarter_label(m): _Tally() for m in months}
    by_custody = {REMAND_LABEL: _Tally(), SENTENCED_LABEL: _Tally()}
    by_nationality = {FOREIGN_LABEL: _Tally(), BRITISH_LABEL: _Tally()}
    overall = _Tally()
    for record in records:
        if not start <= record.released_on <= end:
            continue
        overall.add(record)
        by_month[month_label(record.released_on)].add(record)
        by_quarter[quarter_label(record.released_on)].add(record)
        remand = record.custody_status in NOT_SENTENCED
        by_custody[REMAND_LABEL if remand else SENTENCED_LABEL].add(record)
        by_nationality[FOREIGN_LABEL if record.foreign_national else BRITISH_LABEL].add(record)

    def frozen(groups: dict[str, _Tally]) -> tuple[OutcomeCounts, ...]:
        return tuple(t.freeze(label) for label, t in groups.items())

    return OutcomeReport(start, end, overall.freeze("All releases"), frozen(by_month),
                         frozen(by_quarter), frozen(by_custody), frozen(by_nationality))


CSV_HEADER = ["group", "label", "settled", "transient", "homeless", "unknown", "total",
              "sustained_12_weeks", "not_sustained", "sustained_unknown"]


def report_csv_rows(report: OutcomeReport) -> list[list[str]]:
    """Header and one row per group, every count suppressed (1 to 4 become "<5")."""
    rows = [list(CSV_HEADER)]
    groups = (("overall", (report.overall,)), ("month", report.by_month),
              ("quarter", report.by_quarter), ("custody", report.by_custody),
              ("nationality", report.by_nationality))
    for group, counts in groups:
        for c in counts:
            rows.append([group, c.label] + [suppressed(n) for n in (
                c.settled, c.transient, c.homeless, c.unknown, c.total, c.sustained,
                c.not_sustained, c.sustained_unknown)])
    return rows
