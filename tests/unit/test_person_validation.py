"""The rules a person record obeys, including dates that cannot be true."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.domain.person import MAX_AGE_YEARS, MIN_AGE_YEARS, validate
from tests.conftest import make_draft

NOW = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)  # 12:00 in London (BST)


def test_the_fictional_draft_is_valid():
    assert validate(make_draft().normalised(), NOW) == {}


def test_every_missing_field_is_reported_at_once():
    errors = validate(
        make_draft(
            prison_number="",
            family_name="",
            given_names="",
            date_of_birth=None,
            nationality="",
            first_language="",
            custody_status="",
            reception_at=None,
        ),
        NOW,
    )
    assert set(errors) == {
        "prison_number",
        "family_name",
        "given_names",
        "date_of_birth",
        "nationality",
        "first_language",
        "custody_status",
        "reception_at",
    }


def test_a_date_of_birth_in_the_future_is_refused():
    errors = validate(make_draft(date_of_birth=date(2026, 6, 2)), NOW)
    assert errors["date_of_birth"] == "The date of birth is in the future."


@pytest.mark.parametrize("years", [MIN_AGE_YEARS - 1, MAX_AGE_YEARS + 1])
def test_an_impossible_age_is_refused(years):
    born = date(NOW.year - years, 1, 1)
    errors = validate(make_draft(date_of_birth=born, reception_at=NOW - timedelta(days=1)), NOW)
    assert "check the year" in errors["date_of_birth"]


@pytest.mark.parametrize("years", [MIN_AGE_YEARS, MAX_AGE_YEARS])
def test_the_age_limits_themselves_are_allowed(years):
    born = date(NOW.year - years, 1, 1)
    errors = validate(make_draft(date_of_birth=born, reception_at=NOW - timedelta(days=1)), NOW)
    assert "date_of_birth" not in errors


def test_reception_before_birth_is_refused():
    errors = validate(
        make_draft(
            date_of_birth=date(1990, 5, 17),
            reception_at=datetime(1989, 3, 1, 10, 0, tzinfo=UTC),
            release_date=None,
        ),
        NOW,
    )
    assert errors["reception_at"] == "The reception date is before her date of birth."


def test_reception_in_the_future_is_refused_but_a_few_minutes_of_clock_drift_is_not():
    assert "reception_at" in validate(make_draft(reception_at=NOW + timedelta(hours=1)), NOW)
    assert "reception_at" not in validate(make_draft(reception_at=NOW + timedelta(minutes=4)), NOW)


def test_release_before_reception_is_refused():
    errors = validate(
        make_draft(
            reception_at=datetime(2026, 1, 10, 15, 30, tzinfo=UTC), release_date=date(2026, 1, 9)
        ),
        NOW,
    )
    assert errors["release_date"] == "The release date is before the reception date."


def test_release_on_the_day_of_reception_is_allowed():
    errors = validate(
        make_draft(
            reception_at=datetime(2026, 1, 10, 9, 0, tzinfo=UTC), release_date=date(2026, 1, 10)
        ),
        NOW,
    )
    assert "release_date" not in errors


def test_release_and_reception_compare_as_london_dates():
    # 23:30 UTC on 1 May is 00:30 on 2 May in London (BST).
    late_reception = datetime(2026, 5, 1, 23, 30, tzinfo=UTC)
    same_london_day = validate(
        make_draft(reception_at=late_reception, release_date=date(2026, 5, 2)), NOW
    )
    day_before = validate(
        make_draft(reception_at=late_reception, release_date=date(2026, 5, 1)), NOW
    )
    assert "release_date" not in same_london_day
    assert "release_date" in day_before


def test_a_release_time_needs_a_release_date():
    errors = validate(make_draft(release_date=None, release_time=time(9, 0)), NOW)
    assert errors["release_time"] == "A release time needs a release date."
    assert "release_time" not in validate(make_draft(release_time=time(9, 0)), NOW)


def test_an_unknown_release_date_is_allowed():
    assert validate(make_draft(release_date=None), NOW) == {}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nationality", "QQ"),
        ("first_language", "klingon"),
        ("custody_status", "PAROLED"),
        ("release_type", "ESCAPE"),
        ("home_local_authority", "E99999999"),
        ("mappa_level", "4"),
    ],
)
def test_codes_must_come_from_the_reference_lists(field, value):
    assert field in validate(make_draft(**{field: value}), NOW)


def test_an_empty_home_local_authority_is_allowed():
    assert validate(make_draft(home_local_authority=""), NOW) == {}


def test_overlong_names_are_refused():
    errors = validate(make_draft(family_name="Z" * 101, pom_name="P" * 121), NOW)
    assert "100" in errors["family_name"]
    assert "120" in errors["pom_name"]
    assert validate(make_draft(family_name="Z" * 100), NOW) == {}


def test_normalising_collapses_spaces_in_names_but_keeps_lines_in_notes():
    draft = make_draft(
        family_name="  Van   der  Testperson ",
        given_names="Ada\tFictiona",
        notes="  first line\nsecond  line  ",
    ).normalised()
    assert draft.family_name == "Van der Testperson"
    assert draft.given_names == "Ada Fictiona"
    assert draft.notes == "first line\nsecond  line"
