"""Passphrase rules and a strength hint people can act on.

Twelve characters is the floor. The hint favours length (several unrelated words) over symbol
soup, which is both stronger and easier to remember on a shared workstation.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_LENGTH = 12
_COMMON = {
    "password1234",
    "passwordpassword",
    "123456789012",
    "qwertyuiopas",
    "letmeinletmein",
    "resettlement",
    "bronzefield1",
    "welcome12345",
    "changeme1234",
    "administrator",
}


@dataclass(frozen=True)
class Strength:
    acceptable: bool
    score: int  # 0 (unusable) to 4 (strong)
    hint: str


def assess(passphrase: str, username: str = "") -> Strength:
    if len(passphrase) < MIN_LENGTH:
        short = MIN_LENGTH - len(passphrase)
        return Strength(False, 0, f"Too short: add {short} more character{'s' * (short != 1)}.")
    lowered = passphrase.casefold()
    if lowered in _COMMON or (username and username.casefold() in lowered):
        return Strength(False, 0, "Too easy to guess: avoid your username and common passwords.")
    if len(set(lowered)) <= 3:
        return Strength(False, 0, "Too repetitive: use several different words.")
    classes = sum(
        any(test(ch) for ch in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    words = len([w for w in passphrase.replace("-", " ").split() if len(w) >= 3])
    score = 1 + (len(passphrase) >= 16) + (len(passphrase) >= 20 or words >= 4) + (classes >= 3)
    score = min(score, 4)
    hints = {
        1: "Acceptable, but weak: a longer phrase of unrelated words is stronger.",
        2: "Fair: one or two more words would make it strong.",
        3: "Good.",
        4: "Strong.",
    }
    return Strength(True, score, hints[score])
