"""Passphrase rules: twelve characters at least, not guessable, and a useful hint."""

import pytest

from app.domain.passphrase import MIN_LENGTH, assess


def test_the_floor_is_twelve_characters():
    assert MIN_LENGTH == 12


@pytest.mark.parametrize("length", [0, 1, 8, 11])
def test_under_twelve_characters_is_rejected_with_how_many_more(length):
    strength = assess("abcdefghijkl"[:length])
    assert not strength.acceptable
    assert strength.score == 0
    assert "Too short" in strength.hint
    assert str(MIN_LENGTH - length) in strength.hint


def test_one_more_character_is_singular():
    assert assess("abcdefghijk").hint == "Too short: add 1 more character."


def test_exactly_twelve_varied_characters_is_acceptable():
    assert assess("maple-river7").acceptable


@pytest.mark.parametrize("common", ["password1234", "Password1234", "administrator"])
def test_common_passwords_are_rejected(common):
    strength = assess(common)
    assert not strength.acceptable
    assert "Too easy" in strength.hint


def test_the_username_inside_the_passphrase_is_rejected_in_any_case():
    assert not assess("my name is Jsmith ok", username="jsmith").acceptable
    assert assess("my name is Jsmith ok", username="akhan").acceptable


def test_repetitive_passphrases_are_rejected():
    assert not assess("aaaaaaaaaaaa").acceptable
    assert not assess("abababababab").acceptable


def test_longer_phrases_score_higher():
    short = assess("maple-river7")
    long = assess("maple river lantern orchard")
    assert short.acceptable and long.acceptable
    assert long.score > short.score


def test_a_long_varied_phrase_is_strong():
    strength = assess("Maple river 7 lantern orchard!")
    assert strength.score == 4
    assert strength.hint == "Strong."
