"""Release-day rules: checklist generation, sign-off, outcome categories, the report."""

from datetime import date

import pytest

from app.domain import release_day as rd
from app.domain.release_day import ItemState, OutcomeRecord
from app.domain.release_risks import release_risks

FRIDAY = date(2026, 12, 4)
WEDNESDAY = date(2026, 12, 2)
THURSDAY_BEFORE_GOOD_FRIDAY = date(2027, 3, 25)
CHRISTMAS_EVE = date(2026, 12, 24)


def codes(risks, needs=frozenset()):
    return [t.code for t in rd.checklist_templates(risks, set(needs))]


@pytest.mark.parametrize("day", [FRIDAY, THURSDAY_BEFORE_GOOD_FRIDAY, CHRISTMAS_EVE])
def test_a_risky_release_puts_required_emergency_accommodation_first(day):
    risks = [r.value for r in release_risks(day, None, "SENTENCED")]
    assert risks
    templates = rd.checklist_templates(risks, set())
    assert templates[0] == rd.EMERGENCY_ACCOMMODATION and templates[0].required
    assert [t.code for t in templates[1:]] == [t.code for t in rd.BASE_ITEMS]


def test_unknown_date_for_a_remanded_woman_is_risky():
    risks = [r.value for r in release_risks(None, None, "REMAND")]
    assert codes(risks)[0] == "EMERGENCY_ACCOMMODATION"


def test_an_ordinary_release_has_the_base_items_only():
    assert release_risks(WEDNESDAY, None, "SENTENCED") == ()
    templates = rd.checklist_templates([], set())
    assert [t.code for t in templates] == [t.code for t in rd.BASE_ITEMS]
    assert len(templates) == 15 and not any(t.required for t in templates)
    assert templates[0].title == "Where she will sleep tonight (address, and who confirmed it)"


def test_childrens_social_care_is_required_only_with_the_liaison_need():
    with_need = {t.code: t for t in rd.checklist_templates([], {"CHILDREN_SOCIAL_CARE_LIAISON"})}
    without = {t.code: t for t in rd.checklist_templates([], {"GP_REGISTRATION"})}
    assert with_need["CHILDRENS_SOCIAL_CARE"].required
    assert not without["CHILDRENS_SOCIAL_CARE"].required


def item(code="GP", state="DONE", reason="", required=False, title="GP registration"):
    return ItemState(code, title, state, reason, required)


def test_signoff_problems_in_plain_words():
    assert rd.signoff_problems([item(), item("PHONE", "NOT_NEEDED", "Has her own")]) == []
    problems = rd.signoff_problems([
        item(state="OPEN"),
        item("PHONE", "NOT_NEEDED", "  ", title="Phone"),
        item("BANK_CARD", "BLOCKED", "", title="Bank card"),
        item("EMERGENCY_ACCOMMODATION", "NOT_NEEDED", "Family said yes", True, "Emergency"),
    ])
    assert problems == [
        "Still to do: GP registration.",
        "Say why 'Phone' is not needed.",
        "Say why 'Bank card' is blocked.",
        "Emergency accommodation must be arranged before sign-off.",
    ]


def test_an_open_required_item_is_listed_once():
    problems = rd.signoff_problems([
        item("EMERGENCY_ACCOMMODATION", "OPEN", "", True, "Emergency accommodation"),
        item(state="OPEN"),
    ])
    assert problems == ["Emergency accommodation must be arranged before sign-off.",
                        "Still to do: GP registration."]


def test_a_required_item_must_be_done():
    problems = rd.signoff_problems([item("CHILDRENS_SOCIAL_CARE", "BLOCKED", "Office closed",
                                         True, "Children's social care contact")])
    assert problems == ["'Children's social care contact' must be done before sign-off."]


@pytest.mark.parametrize("code", ["A01A", "A01C", "A01D", "A04", "A12", "A07B"])
def test_settled_codes(code):
    assert rd.ACCOMMODATION_CODES[code][1] == "S"
    assert rd.outcome_category(code) == "SETTLED"


@pytest.mark.parametrize("code", ["A07A", "A03", "A10", "A11", "A13", "A14", "A15", "A02",
                                  "A16", "A17"])
def test_transient_codes(code):
    assert rd.ACCOMMODATION_CODES[code][1] == "T"
    assert rd.outcome_category(code) == "TRANSIENT"


@pytest.mark.parametrize("code", ["A08A", "A08C", "A08", "NFA"])
def test_homeless_codes(code):
    assert rd.ACCOMMODATION_CODES[code][1] == "T"
    assert rd.outcome_category(code) == "HOMELESS"


def test_unknown_codes_and_every_code_has_a_category():
    assert rd.outcome_category("UNKNOWN") == "UNKNOWN"
    assert rd.outcome_category("") == "UNKNOWN"
    assert rd.outcome_category("A99") == "UNKNOWN"
    assert len(rd.ACCOMMODATION_CODES) == 21
    assert {rd.outcome_category(c) for c in rd.ACCOMMODATION_CODES} == set(rd.CATEGORIES)


def test_follow_up_is_twelve_weeks_after_release():
    assert rd.follow_up_due(date(2026, 11, 2)) == date(2027, 1, 25)


@pytest.mark.parametrize(("n", "shown"), [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"),
                                          (123, "123")])
def test_small_numbers_are_suppressed(n, shown):
    assert rd.suppressed(n) == shown


GB, FN = False, True
DATASET = [
    OutcomeRecord(date(2026, 7, 3), "SETTLED", True, "SENTENCED", GB),
    OutcomeRecord(date(2026, 7, 17), "TRANSIENT", False, "REMAND", FN),
    OutcomeRecord(date(2026, 7, 31), "UNKNOWN", None, "SENTENCED", GB),
    OutcomeRecord(date(2026, 8, 14), "HOMELESS", False, "REMAND", FN),
    OutcomeRecord(date(2026, 8, 20), "SETTLED", True, "RECALL", GB),
    OutcomeRecord(date(2026, 9, 30), "SETTLED", None, "SENTENCED", GB),
    OutcomeRecord(date(2026, 10, 1), "TRANSIENT", True, "CONVICTED_UNSENTENCED", FN),
    OutcomeRecord(date(2026, 10, 15), "UNKNOWN", None, "REMAND", FN),
    OutcomeRecord(date(2026, 10, 16), "HOMELESS", None, "SENTENCED", GB),
    OutcomeRecord(date(2026, 12, 1), "SETTLED", True, "SENTENCED", GB),
    OutcomeRecord(date(2026, 12, 31), "SETTLED", False, "SENTENCED", FN),
    OutcomeRecord(date(2026, 12, 31), "UNKNOWN", None, "SENTENCED", GB),
    # outside the range: ignored
    OutcomeRecord(date(2026, 6, 30), "SETTLED", True, "SENTENCED", GB),
    OutcomeRecord(date(2027, 1, 1), "HOMELESS", None, "SENTENCED", GB),
]


def counts(c):
    return (c.settled, c.transient, c.homeless, c.unknown, c.total)


def test_aggregate_against_a_known_dataset():
    report = rd.aggregate(DATASET, date(2026, 7, 1), date(2026, 12, 31))
    assert counts(report.overall) == (5, 2, 2, 3, 12)
    assert (report.overall.sustained, report.overall.not_sustained,
            report.overall.sustained_unknown) == (4, 3, 5)
    assert {c.label: counts(c) for c in report.by_month} == {
        "2026-07": (1, 1, 0, 1, 3), "2026-08": (1, 0, 1, 0, 2), "2026-09": (1, 0, 0, 0, 1),
        "2026-10": (0, 1, 1, 1, 3), "2026-11": (0, 0, 0, 0, 0), "2026-12": (2, 0, 0, 1, 3),
    }
    assert [c.label for c in report.by_month][0] == "2026-07"
    assert {c.label: counts(c) for c in report.by_quarter} == {
        "2026 Q3": (3, 1, 1, 1, 6), "2026 Q4": (2, 1, 1, 2, 6)}
    assert {c.label: counts(c) for c in report.by_custody} == {
        "Remand / unsentenced": (0, 2, 1, 1, 4), "Sentenced / recall": (5, 0, 1, 2, 8)}
    assert {c.label: counts(c) for c in report.by_nationality} == {
        "Foreign national": (1, 2, 1, 1, 5), "British": (4, 0, 1, 2, 7)}
    q4 = report.by_quarter[1]
    assert (q4.sustained, q4.not_sustained, q4.sustained_unknown) == (2, 1, 3)


def test_every_month_and_quarter_is_present_even_when_empty():
    report = rd.aggregate([], date(2026, 11, 15), date(2027, 2, 3))
    assert [c.label for c in report.by_month] == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert [c.label for c in report.by_quarter] == ["2026 Q4", "2027 Q1"]
    assert report.overall.total == 0


def test_report_csv_rows_are_suppressed():
    rows = rd.report_csv_rows(rd.aggregate(DATASET, date(2026, 7, 1), date(2026, 12, 31)))
    assert rows[0] == ["group", "label", "settled", "transient", "homeless", "unknown", "total",
                       "sustained_12_weeks", "not_sustained", "sustained_unknown"]
    by_label = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert by_label[("overall", "All releases")] == ["5", "<5", "<5", "<5", "12", "<5", "<5",
                                                     "5"]
    assert by_label[("month", "2026-11")] == ["0"] * 8
    assert by_label[("quarter", "2026 Q3")] == ["<5", "<5", "<5", "<5", "6", "<5", "<5", "<5"]
    assert len(rows) == 1 + 1 + 6 + 2 + 2 + 2
    cells = [cell for row in rows[1:] for cell in row[2:]]
    assert not any(cell in {"1", "2", "3", "4"} for cell in cells)
