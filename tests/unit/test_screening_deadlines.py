"""Deadlines across weekends, bank holidays (Christmas, Easter, substitute days) and closures."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.screening_deadlines import (
    DeadlineStatus,
    bcst1_due,
    bcst2_due,
    countdown,
    deadlines,
)
from app.domain.timezone import to_london
from app.domain.working_days import WorkingCalendar, bank_holiday_name

CAL = WorkingCalendar()


def london(y, m, d, hh=0, mm=0):
    from datetime import time

    from app.domain.timezone import london_to_utc

    return london_to_utc(date(y, m, d), time(hh, mm))


def test_bcst1_is_48_clock_hours_including_weekends():
    received = london(2026, 11, 20, 16, 30)  # a Friday
    assert to_london(bcst1_due(received)) == to_london(london(2026, 11, 22, 16, 30))


def test_bcst1_counts_real_hours_across_the_clock_change():
    received = london(2026, 10, 24, 12, 0)  # BST ends on Sunday 25 October 2026
    due = bcst1_due(received)
    assert due - received == timedelta(hours=48)
    assert to_london(due).hour == 11  # wall clock moved back an hour


def test_bcst2_five_working_days_after_bcst1_skips_the_weekend():
    received = london(2026, 11, 16, 10)  # Monday
    done = london(2026, 11, 17, 9)  # Tuesday
    due = to_london(bcst2_due(received, done, CAL))
    assert due.date() == date(2026, 11, 24)  # Wed Thu Fri Mon Tue
    assert (due.hour, due.minute) == (23, 59)


def test_bcst2_runs_from_the_bcst1_deadline_while_bcst1_is_outstanding():
    received = london(2026, 11, 19, 15)  # Thursday; BCST1 due Saturday 15:00
    due = to_london(bcst2_due(received, None, CAL))
    assert due.date() == date(2026, 11, 27)  # Mon Tue Wed Thu Fri after Saturday


def test_christmas_boxing_day_and_the_substitute_day_are_not_working_days():
    assert bank_holiday_name(date(2026, 12, 28)) is not None  # Boxing Day (substitute)
    done = london(2026, 12, 23, 11)  # Wednesday
    due = to_london(bcst2_due(london(2026, 12, 22), done, CAL))
    # 24 Thu, (25 Fri, weekend, 28 Mon substitute), 29 Tue, 30 Wed, 31 Thu, (1 Jan), 4 Mon
    assert due.date() == date(2027, 1, 4)


def test_easter_good_friday_and_easter_monday_are_skipped():
    done = london(2027, 3, 25, 9)  # Thursday before Good Friday 26 March 2027
    due = to_london(bcst2_due(london(2027, 3, 24), done, CAL))
    # 26 Fri hol, weekend, 29 Mon hol, then 30 31 1 2 5 (Tue Wed Thu Fri Mon)
    assert due.date() == date(2027, 4, 5)


def test_team_closure_days_are_skipped():
    done = london(2026, 11, 16, 9)  # Monday
    closed = WorkingCalendar({date(2026, 11, 18), date(2026, 11, 19)})
    assert to_london(bcst2_due(done, done, closed)).date() == date(2026, 11, 25)
    assert to_london(bcst2_due(done, done, CAL)).date() == date(2026, 11, 23)


def test_status_due_overdue_done():
    received = datetime(2026, 11, 1, 10, tzinfo=UTC)
    first, second = deadlines(received, None, None, CAL)
    assert first.status(received + timedelta(hours=47)) is DeadlineStatus.DUE
    assert first.status(received + timedelta(hours=49)) is DeadlineStatus.OVERDUE
    first, second = deadlines(received, received + timedelta(hours=50), None, CAL)
    # BCST1 done Tuesday 3 Nov: BCST2 due by the end of Tuesday 10 Nov
    assert first.status(received + timedelta(days=12)) is DeadlineStatus.DONE
    assert second.status(received + timedelta(days=9)) is DeadlineStatus.DUE
    assert second.status(received + timedelta(days=10)) is DeadlineStatus.OVERDUE


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=1, hours=4, minutes=10), "1 day 4 h left"),
        (timedelta(hours=3, minutes=20), "3 h 20 min left"),
        (timedelta(minutes=-5), "5 min overdue"),
        (timedelta(days=-2, hours=-1), "2 days 1 h overdue"),
    ],
)
def test_countdown_says_it_in_words(delta, text):
    assert countdown(delta) == text


def test_add_working_days_refuses_zero():
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 1, 5), 0)


def test_compact_countdown_for_table_columns():
    assert countdown(timedelta(days=5, hours=4), compact=True) == "Due in 5d 4h"
    assert countdown(timedelta(hours=-3, minutes=-7), compact=True) == "Overdue 3h 7m"
    assert countdown(timedelta(minutes=9), compact=True) == "Due in 9m"


def test_the_calculator_agrees_with_the_plain_rules():
    from app.domain.screening_deadlines import DeadlineCalculator

    calc = DeadlineCalculator(WorkingCalendar({date(2026, 12, 30)}))
    plain = WorkingCalendar({date(2026, 12, 30)})
    for hours in range(0, 24 * 40, 7):
        received = london(2026, 12, 1, 8) + timedelta(hours=hours)
        done = received + timedelta(hours=30) if hours % 2 else None
        assert calc(received, done, None) == deadlines(received, done, None, plain)
