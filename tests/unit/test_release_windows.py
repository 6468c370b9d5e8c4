"""Release windows, with `today` pinned (weeks run Monday to Sunday)."""

from datetime import date, timedelta

import pytest

from app.domain.caseload import ReleaseWindow as W
from app.domain.caseload import windows_for

SUNDAY = date(2026, 3, 1)
MONDAY = date(2026, 3, 2)
WEDNESDAY = date(2026, 3, 4)


def test_the_pinned_days_are_what_their_names_say():
    assert (SUNDAY.weekday(), MONDAY.weekday(), WEDNESDAY.weekday()) == (6, 0, 2)


def test_an_unknown_release_date_is_only_unknown():
    assert windows_for(None, MONDAY) == {W.UNKNOWN}


def test_yesterday_is_overdue_and_nothing_else():
    assert windows_for(MONDAY - timedelta(days=1), MONDAY) == {W.OVERDUE}


def test_today_is_this_week_and_within_12_and_24_weeks():
    assert windows_for(MONDAY, MONDAY) == {W.THIS_WEEK, W.WITHIN_12_WEEKS, W.WITHIN_24_WEEKS}


@pytest.mark.parametrize(
    ("today", "release", "expected_week"),
    [
        # On a Monday this week runs to Sunday; next week is the following Monday to Sunday.
        (MONDAY, date(2026, 3, 8), W.THIS_WEEK),
        (MONDAY, date(2026, 3, 9), W.NEXT_WEEK),
        (MONDAY, date(2026, 3, 15), W.NEXT_WEEK),
        (MONDAY, date(2026, 3, 16), None),
        # On a Sunday this week is today only; tomorrow is already next week.
        (SUNDAY, date(2026, 3, 1), W.THIS_WEEK),
        (SUNDAY, date(2026, 3, 2), W.NEXT_WEEK),
        (SUNDAY, date(2026, 3, 8), W.NEXT_WEEK),
        (SUNDAY, date(2026, 3, 9), None),
        # Midweek.
        (WEDNESDAY, date(2026, 3, 8), W.THIS_WEEK),
        (WEDNESDAY, date(2026, 3, 9), W.NEXT_WEEK),
        (WEDNESDAY, date(2026, 3, 16), None),
    ],
)
def test_this_week_and_next_week_follow_the_calendar_week(today, release, expected_week):
    found = windows_for(release, today)
    weeks = found & {W.THIS_WEEK, W.NEXT_WEEK}
    assert weeks == ({expected_week} if expected_week else set())
    assert W.OVERDUE not in found


@pytest.mark.parametrize("today", [SUNDAY, MONDAY, WEDNESDAY])
def test_the_12_and_24_week_edges_are_inclusive(today):
    twelve = today + timedelta(weeks=12)
    twenty_four = today + timedelta(weeks=24)
    assert windows_for(twelve, today) == {W.WITHIN_12_WEEKS, W.WITHIN_24_WEEKS}
    assert windows_for(twelve + timedelta(days=1), today) == {W.WITHIN_24_WEEKS}
    assert windows_for(twenty_four, today) == {W.WITHIN_24_WEEKS}
    assert windows_for(twenty_four + timedelta(days=1), today) == set()


def test_next_week_is_also_within_12_weeks():
    assert windows_for(date(2026, 3, 10), MONDAY) == {
        W.NEXT_WEEK,
        W.WITHIN_12_WEEKS,
        W.WITHIN_24_WEEKS,
    }


def test_every_window_has_a_label():
    assert {w.label for w in W} == {
        "Overdue",
        "This week",
        "Next week",
        "Within 12 weeks",
        "Within 24 weeks",
        "Date unknown",
    }
