"""Recovery keys: printed once, typed back by a person, so forgiving in form only."""

import re

import pytest

from app.errors import WrongPassphrase
from app.store.keyslots import RECOVERY, Slot, new_recovery_key, normalise_recovery_key
from tests.conftest import FAST_KDF

KEY = "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z2345-67ABC-DEFGH"
CANONICAL = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGH"


def test_a_new_recovery_key_is_eight_groups_of_five():
    key = new_recovery_key()
    assert re.fullmatch(r"[A-Z2-7]{5}(-[A-Z2-7]{5}){7}", key)
    assert key != new_recovery_key()


@pytest.mark.parametrize(
    "typed",
    [
        KEY,
        KEY.lower(),
        KEY.replace("-", " "),
        KEY.replace("-", ""),
        "  " + KEY.lower().replace("-", "  ") + "\n",
    ],
)
def test_lower_case_spaces_and_missing_dashes_are_accepted(typed):
    assert normalise_recovery_key(typed) == CANONICAL


def test_digits_that_look_like_letters_are_read_as_the_letters():
    typed = KEY.replace("O", "0").replace("I", "1").replace("B", "8")
    assert normalise_recovery_key(typed) == CANONICAL


@pytest.mark.parametrize("typed", ["", KEY[:-1], KEY + "A", KEY.replace("A", "9", 1)])
def test_an_incomplete_or_foreign_key_is_refused(typed):
    with pytest.raises(WrongPassphrase, match="8 groups of 5"):
        normalise_recovery_key(typed)


def test_a_slot_sealed_with_the_printed_key_opens_with_the_key_as_typed():
    key = new_recovery_key()
    slot = Slot.seal(RECOVERY, "", normalise_recovery_key(key), b"k" * 32, FAST_KDF)
    typed = key.lower().replace("-", " ")
    assert slot.open(normalise_recovery_key(typed)) == b"k" * 32
