"""Risky releases across weekends and bank holidays."""

from datetime import date, time

import pytest

from app.domain.release_risks import ReleaseRisk, describe, release_risks

R = ReleaseRisk


@pytest.mark.parametrize(
    ("day", "at", "expected"),
    [
        (date(2026, 11, 24), time(10), ()),                                  # plain Tuesday
        (date(2026, 11, 27), time(10), (R.FRIDAY, R.BEFORE_NON_WORKING_DAY)),  # Friday
        (date(2026, 11, 24), time(17, 0), (R.AFTER_17,)),                    # 17:00 counts
        (date(2026, 11, 24), time(16, 59), ()),
        (date(2027, 3, 25), time(9), (R.BEFORE_NON_WORKING_DAY,)),            # Thu before Good Fri
        (date(2026, 12, 24), time(9), (R.BEFORE_NON_WORKING_DAY,)),           # day before Christmas
        (date(2026, 12, 25), time(9), (R.FRIDAY, R.NON_WORKING_DAY)),         # Christmas Day
        (date(2027, 5, 28), None, (R.FRIDAY, R.BEFORE_NON_WORKING_DAY)),     # Fri before bank Mon
        (date(2026, 11, 28), None, (R.NON_WORKING_DAY,)),                     # a Saturday
    ],
)
def test_risks_by_day_and_time(day, at, expected):
    assert release_risks(day, at, "SENTENCED") == expected


def test_a_remanded_woman_with_no_date_is_flagged_but_a_sentenced_one_is_not():
    assert release_risks(None, None, "REMAND") == (R.DATE_UNKNOWN,)
    assert release_risks(None, None, "CONVICTED_UNSENTENCED") == (R.DATE_UNKNOWN,)
    assert release_risks(None, None, "SENTENCED") == ()


def test_the_reason_is_in_words():
    text = describe(release_risks(date(2026, 11, 27), time(18), "SENTENCED"))
    assert "Friday release" in text and "after 17:00" in text and "weekend" in text
