"""Prison numbers follow the NOMIS format: one letter, four digits, two letters (A1234BC)."""

import pytest

from app.domain.person import normalise_prison_number, prison_number_problem
from tests.conftest import make_draft


@pytest.mark.parametrize("number", ["A1234BC", "Z0000AA", "Z9999ZZ"])
def test_a_well_formed_prison_number_has_no_problem(number):
    assert prison_number_problem(number) is None


@pytest.mark.parametrize(
    "number",
    [
        "A123BC",  # three digits
        "A12345BC",  # five digits
        "AB1234C",  # two letters first
        "A1234B",  # one letter last
        "A1234BCD",  # three letters last
        "11234BC",  # digit first
        "A1234B1",  # digit last
        "a1234bc",  # lower case is only accepted once normalised
        "A1234 BC",  # inner space is only accepted once normalised
        "A-1234-BC",
        "Z\uff11\uff12\uff13\uff14AB",  # full-width digits look right but are not NOMIS digits
        "Z\u0661\u0662\u0663\u0664AB",  # Arabic-Indic digits
    ],
)
def test_a_malformed_prison_number_is_explained(number):
    problem = prison_number_problem(number)
    assert problem is not None
    assert "A1234BC" in problem


def test_an_empty_prison_number_asks_for_one():
    assert prison_number_problem("") == "Enter the prison number."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("a1234bc", "A1234BC"),
        (" z1234ab ", "Z1234AB"),
        ("Z 1234 AB", "Z1234AB"),
        ("z1234 ab\t", "Z1234AB"),
    ],
)
def test_lower_case_and_spaces_are_normalised(typed, stored):
    assert normalise_prison_number(typed) == stored
    draft = make_draft(prison_number=typed).normalised()
    assert draft.prison_number == stored
    assert prison_number_problem(draft.prison_number) is None


def test_normalising_a_draft_leaves_the_original_untouched():
    draft = make_draft(prison_number=" z1234ab ")
    draft.normalised()
    assert draft.prison_number == " z1234ab "
