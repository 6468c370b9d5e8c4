"""Demo people are fictional (prison numbers start with Z) and valid records."""

from datetime import date, time

from app.domain.person import validate
from app.domain.timezone import london_to_utc
from app.services.demo import fictional_people

TODAY = date(2026, 3, 2)


def test_every_prison_number_starts_with_z_and_is_unique():
    people = fictional_people(500, seed=3, today=TODAY)
    numbers = [p.prison_number for p in people]
    assert all(n.startswith("Z") for n in numbers)
    assert len(set(numbers)) == 500


def test_the_same_seed_gives_the_same_people():
    assert fictional_people(20, seed=7, today=TODAY) == fictional_people(20, seed=7, today=TODAY)
    assert fictional_people(20, seed=7, today=TODAY) != fictional_people(20, seed=8, today=TODAY)


def test_demo_records_pass_validation_even_early_in_the_morning():
    # Whoever makes the demo at 07:00 must not get records received later that day.
    now = london_to_utc(TODAY, time(7, 0))
    for seed in (1, 7):
        for person in fictional_people(1000, seed=seed, today=TODAY):
            assert validate(person, now) == {}, (seed, person.prison_number, validate(person, now))
