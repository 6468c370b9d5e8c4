"""Pre-release planning rules, with `today` pinned: opening, windows, lanes, weeks, quarters."""

from datetime import date, timedelta

import pytest

from app.domain.planning import (
    LANES,
    STEP_LABELS,
    PlanningFacts,
    Step,
    StepState,
    already_late_note,
    cpp_allocation_due,
    cpp_due_text,
    following_week,
    iso_week,
    lane,
    late_at_reception,
    late_steps,
    mappa_window,
    plan_opens,
    replan,
    step_due,
    step_states,
    weeks_to_release,
)

RELEASE = date(2026, 6, 17)  # a Wednesday
S = StepState


def days_before(n: int) -> date:
    return RELEASE - timedelta(days=n)


def states(today: date, **facts) -> dict[Step, StepState]:
    facts.setdefault("custody_status", "SENTENCED")
    facts.setdefault("release_date", RELEASE)
    return step_states(PlanningFacts(**facts), today)


def test_every_step_has_a_label_and_values_equal_names():
    assert set(STEP_LABELS) == set(Step)
    assert all(step.value == step.name for step in Step)


def test_due_dates_per_step():
    assert step_due(Step.PLAN, RELEASE) == days_before(84) == plan_opens(RELEASE)
    assert step_due(Step.TENANCY_ADVICE, RELEASE) == days_before(84)
    assert step_due(Step.DUTY_TO_REFER, RELEASE) == days_before(56)
    assert step_due(Step.CRS, RELEASE) == days_before(56)
    assert step_due(Step.ACCOMMODATION, RELEASE) == days_before(14)
    assert step_due(Step.RELEASE_DAY, RELEASE) == days_before(7)
    assert cpp_allocation_due(RELEASE) == days_before(304)


def test_twelve_week_opening_not_yet_one_day_before():
    got = states(days_before(85))
    assert set(got.values()) == {S.NOT_YET}


def test_twelve_week_opening_due_on_the_day():
    got = states(days_before(84))
    assert got[Step.PLAN] is S.DUE
    assert got[Step.TENANCY_ADVICE] is S.DUE
    assert got[Step.DUTY_TO_REFER] is S.DUE
    assert got[Step.CRS] is S.DUE
    assert got[Step.ACCOMMODATION] is S.DUE
    assert got[Step.RELEASE_DAY] is S.NOT_YET


def test_plan_and_tenancy_advice_late_the_day_after_opening():
    got = states(days_before(83))
    assert got[Step.PLAN] is S.LATE
    assert got[Step.TENANCY_ADVICE] is S.LATE
    assert got[Step.DUTY_TO_REFER] is S.DUE


def test_duty_to_refer_window_due_at_57_and_56_days_late_at_55():
    assert states(days_before(57))[Step.DUTY_TO_REFER] is S.DUE
    assert states(days_before(56))[Step.DUTY_TO_REFER] is S.DUE
    assert states(days_before(55))[Step.DUTY_TO_REFER] is S.LATE
    assert states(days_before(55))[Step.CRS] is S.LATE


def test_accommodation_unknown_inside_two_weeks_is_late():
    assert states(days_before(15))[Step.ACCOMMODATION] is S.DUE
    assert states(days_before(14))[Step.ACCOMMODATION] is S.DUE
    assert states(days_before(13))[Step.ACCOMMODATION] is S.LATE
    assert (
        states(days_before(13), accommodation_identified=days_before(20))[Step.ACCOMMODATION]
        is S.DONE
    )


def test_release_day_checklist_opens_two_weeks_out_late_after_one_week():
    assert states(days_before(15))[Step.RELEASE_DAY] is S.NOT_YET
    assert states(days_before(14))[Step.RELEASE_DAY] is S.DUE
    assert states(days_before(7))[Step.RELEASE_DAY] is S.DUE
    assert states(days_before(6))[Step.RELEASE_DAY] is S.LATE


def test_remand_with_no_release_date_drives_the_undated_steps():
    got = states(date(2026, 3, 1), release_date=None, custody_status="REMAND")
    assert got == {
        Step.PLAN: S.DUE,
        Step.TENANCY_ADVICE: S.DUE,
        Step.DUTY_TO_REFER: S.DUE,
        Step.CRS: S.DUE,
        Step.ACCOMMODATION: S.NOT_YET,
        Step.RELEASE_DAY: S.NOT_YET,
    }
    assert late_steps(PlanningFacts(None, "REMAND"), date(2026, 3, 1)) == []


def test_not_needed_overrides_late_but_a_submission_still_counts_as_done():
    today = days_before(30)
    got = states(today, dtr_needed=False, crs_needed=False)
    assert got[Step.DUTY_TO_REFER] is S.NOT_NEEDED
    assert got[Step.CRS] is S.NOT_NEEDED
    got = states(today, dtr_needed=False, dtr_submitted=days_before(60))
    assert got[Step.DUTY_TO_REFER] is S.DONE
    assert states(today, release_date=None, dtr_needed=False)[Step.DUTY_TO_REFER] is S.NOT_NEEDED


def test_done_overrides_not_yet_and_late():
    got = states(days_before(100), plan_started=days_before(101))
    assert got[Step.PLAN] is S.DONE
    got = states(days_before(1), release_day_started=days_before(8))
    assert got[Step.RELEASE_DAY] is S.DONE


def test_late_steps_in_timeline_order():
    facts = PlanningFacts(RELEASE, "SENTENCED", tenancy_advice_offered=days_before(84))
    assert late_steps(facts, days_before(6)) == [
        Step.PLAN,
        Step.DUTY_TO_REFER,
        Step.CRS,
        Step.ACCOMMODATION,
        Step.RELEASE_DAY,
    ]
    assert late_steps(facts, days_before(84)) == []


def test_everything_outstanding_is_late_after_release():
    assert set(states(RELEASE + timedelta(days=1)).values()) == {S.LATE}


@pytest.mark.parametrize(
    ("days", "weeks", "expected"),
    [
        (-1, -1, "past"),
        (0, 0, "0-2"),
        (13, 1, "0-2"),
        (14, 2, "2-4"),
        (27, 3, "2-4"),
        (28, 4, "4-8"),
        (56, 8, "8-12"),
        (83, 11, "8-12"),
        (84, 12, "12-24"),
        (167, 23, "12-24"),
        (168, 24, "24+"),
    ],
)
def test_weeks_and_lanes(days, weeks, expected):
    today = date(2026, 3, 4)
    release = today + timedelta(days=days)
    assert weeks_to_release(release, today) == weeks
    assert lane(release, today) == expected
    assert expected in LANES


def test_unknown_release_has_no_weeks_and_the_unknown_lane():
    assert weeks_to_release(None, date(2026, 3, 4)) is None
    assert lane(None, date(2026, 3, 4)) == "unknown"


def test_following_week_from_a_monday():
    assert following_week(date(2026, 3, 2)) == (date(2026, 3, 9), date(2026, 3, 15))


def test_following_week_from_a_sunday_is_the_very_next_day_onwards():
    assert following_week(date(2026, 3, 8)) == (date(2026, 3, 9), date(2026, 3, 15))


def test_following_week_across_new_year_is_iso_week_2026_w53():
    monday, sunday = following_week(date(2026, 12, 23))
    assert (monday, sunday) == (date(2026, 12, 28), date(2027, 1, 3))
    assert monday.isocalendar()[:2] == (2026, 53)
    assert iso_week("2026-W53") == (monday, sunday)
    assert following_week(date(2026, 12, 31)) == (date(2027, 1, 4), date(2027, 1, 10))


def test_iso_week_parses():
    assert iso_week("2026-W49") == (date(2026, 11, 30), date(2026, 12, 6))
    assert iso_week(" 2026w1 ") == (date(2025, 12, 29), date(2026, 1, 4))


@pytest.mark.parametrize("text", ["", "2026-49", "W49", "2026-W", "twenty", "2026-W123"])
def test_iso_week_rejects_bad_text(text):
    with pytest.raises(ValueError, match="e.g. 2026-W49"):
        iso_week(text)


@pytest.mark.parametrize("text", ["2025-W53", "2026-W54", "2026-W00"])
def test_iso_week_rejects_weeks_that_do_not_exist(text):
    with pytest.raises(ValueError, match="has no week"):
        iso_week(text)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 3, 15), date(2026, 6, 14)),
        (date(2026, 11, 1), date(2027, 1, 31)),
        (date(2026, 11, 30), date(2027, 2, 28)),
        (date(2026, 12, 1), date(2027, 2, 28)),
        (date(2027, 11, 30), date(2028, 2, 29)),
        (date(2026, 1, 31), date(2026, 4, 30)),
        (date(2026, 12, 31), date(2027, 3, 30)),
    ],
)
def test_mappa_window_is_the_coming_quarter(start, end):
    assert mappa_window(start) == (start, end)


def test_replan_lists_every_moved_step():
    later = RELEASE + timedelta(days=7)
    moved = replan(RELEASE, later)
    assert [m[0] for m in moved] == list(Step)
    assert (Step.DUTY_TO_REFER, days_before(56), days_before(49)) in moved


def test_replan_to_and_from_unknown():
    assert replan(None, RELEASE)[0] == (Step.PLAN, None, days_before(84))
    assert replan(RELEASE, None)[-1] == (Step.RELEASE_DAY, days_before(7), None)


def test_replan_with_no_change_moves_nothing():
    assert replan(RELEASE, RELEASE) == []
    assert replan(None, None) == []


# --- reception clamps deadlines (fault 3: a woman received close to release) -------------------

RECEIVED = days_before(21)  # received three weeks before release: most deadlines already passed


def test_no_deadline_falls_before_reception():
    for step in Step:
        assert step_due(step, RELEASE, RECEIVED) >= RECEIVED
    assert step_due(Step.TENANCY_ADVICE, RELEASE, RECEIVED) == RECEIVED
    assert step_due(Step.RELEASE_DAY, RELEASE, RECEIVED) == days_before(7)  # still ahead
    assert step_due(Step.TENANCY_ADVICE, RELEASE) == days_before(84)  # unclamped without her day


def test_steps_already_late_at_reception_are_due_on_the_day_she_arrives():
    got = states(RECEIVED, received_on=RECEIVED)
    assert got[Step.TENANCY_ADVICE] is S.DUE
    assert got[Step.DUTY_TO_REFER] is S.DUE
    assert S.LATE not in got.values()
    assert states(RECEIVED + timedelta(days=1), received_on=RECEIVED)[Step.TENANCY_ADVICE] is S.LATE


def test_reception_long_ago_changes_nothing():
    assert states(days_before(83), received_on=days_before(300))[Step.PLAN] is S.LATE


def test_what_was_already_late_is_said_once_in_words():
    late = dict(late_at_reception(RELEASE, RECEIVED))
    assert set(late) == {Step.PLAN, Step.TENANCY_ADVICE, Step.DUTY_TO_REFER, Step.CRS}
    assert late[Step.DUTY_TO_REFER] == days_before(56)
    note = already_late_note(RELEASE, RECEIVED)
    assert note.startswith(f"Already late when she arrived on {RECEIVED:%d/%m/%Y}:")
    assert note.count("duty to refer") == 1
    assert "plan started" not in note  # shown with her plan, which is open by then
    assert already_late_note(RELEASE, days_before(200)) == ""
    assert already_late_note(None, RECEIVED) == ""


def test_cpp_text_never_shows_a_date_before_she_arrived():
    assert cpp_due_text(RELEASE, RECEIVED) == (
        "CPP due now: she had under 10 months to serve when she arrived")
    assert cpp_due_text(RELEASE, days_before(400)) == (
        f"CPP due by {days_before(304):%d/%m/%Y} (10 months to serve)")
    assert cpp_due_text(None, RECEIVED) == "CPP due date: release date not known"


def test_replan_clamps_to_reception():
    moved = dict((step, after) for step, _before, after in
                 replan(RELEASE, RELEASE + timedelta(days=7), RECEIVED))
    assert moved.get(Step.PLAN, RECEIVED) == RECEIVED
    assert moved[Step.RELEASE_DAY] == days_before(0)
