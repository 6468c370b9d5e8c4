"""Unicode bidirectional embedding levels for a paragraph, one per character.

ReportLab's shaped-paragraph path lays right-to-left words out in the wrong order, so the sheets
do their own line layout: levels come from the Unicode Bidirectional Algorithm (UAX #9, rules
P2-I2, as implemented by python-bidi's reference module), lines are broken in logical order, and
each line is reordered by rule L2 (app.sheets.typeset). Characters that the algorithm removes
(rule X9: joiners and other boundary-neutral marks, which Farsi uses inside words) take the
level of the character before them, so indexes stay aligned with the text.
"""

from __future__ import annotations

import unicodedata
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from bidi import algorithm as _uba

_STRONG_RTL = frozenset({"R", "AL"})


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in _STRONG_RTL for c in text)


def base_is_rtl(text: str) -> bool:
    """Rules P2-P3: the direction of the first strong character (left-to-right when none)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG_RTL:
            return True
        if kind == "L":
            return False
    return False


def levels(text: str, rtl: bool) -> list[int]:
    """The resolved embedding level of every character (even: left-to-right, odd: right-to-left)."""
    base = 1 if rtl else 0
    if not text:
        return []
    if not rtl and not has_rtl(text):
        return [0] * len(text)
    storage = _uba.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    _uba.get_embedding_levels(text, storage)
    everything = list(storage["chars"])
    _uba.explicit_embed_and_overrides(storage)
    _uba.resolve_weak_types(storage, False)
    _uba.resolve_neutral_types(storage, False)
    _uba.resolve_implicit_levels(storage, False)
    kept = {id(entry) for entry in storage["chars"]}
    result: list[int] = []
    for entry in everything:
        result.append(entry["level"] if id(entry) in kept else (result[-1] if result else base))
    return result


def visual_order(run_levels: list[int]) -> list[int]:
    """Rule L2 on a line of runs: the indexes of the runs from left to right.

    From the highest level down to the lowest odd level, every maximal sequence of runs at that
    level or higher is reversed. A run's own characters are put in order by shaping (right to
    left when its level is odd), so runs can be treated as units.
    """
    order = list(range(len(run_levels)))
    if not run_levels:
        return order
    highest = max(run_levels)
    odd = [level for level in run_levels if level % 2]
    if not odd:
        return order
    lowest_odd = min(odd)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if run_levels[order[i]] >= level:
                j = i
                while j < len(order) and run_levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order
