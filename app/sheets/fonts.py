"""Fonts for the information sheets: which TrueType font draws which character.

ReportLab has no font fallback, and a word drawn in a font without its glyphs prints as boxes.
So every language has a chain of fonts (its script's font, then Noto Sans for Latin names,
digits and punctuation, then Droid Sans Fallback for Chinese), and text is split into runs by
the first font in the chain whose character map has the character. Combining marks and the
joiners stay in the run of the character they attach to, or shaping would break.

Fonts live in resources/fonts (with their licences) and are registered with ReportLab once per
process, on first use; ReportLab embeds only the glyphs a PDF uses (subsets).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import resources_dir

_FILES = {
    "NotoSans-Regular": "NotoSans-Regular.ttf",
    "NotoSans-Bold": "NotoSans-Bold.ttf",
    "NotoSans-Italic": "NotoSans-Italic.ttf",
    "NotoSans-BoldItalic": "NotoSans-BoldItalic.ttf",
    "NotoSansMono-Regular": "NotoSansMono-Regular.ttf",
    "NotoSansMono-Bold": "NotoSansMono-Bold.ttf",
    "NotoSansArabic-Regular": "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold": "NotoSansArabic-Bold.ttf",
    "NotoNastaliqUrdu-Regular": "NotoNastaliqUrdu-Regular.ttf",
    "NotoNastaliqUrdu-Bold": "NotoNastaliqUrdu-Bold.ttf",
    "NotoSansBengali-Regular": "NotoSansBengali-Regular.ttf",
    "NotoSansBengali-Bold": "NotoSansBengali-Bold.ttf",
    "NotoSansGurmukhi-Regular": "NotoSansGurmukhi-Regular.ttf",
    "NotoSansGurmukhi-Bold": "NotoSansGurmukhi-Bold.ttf",
    "NotoSansEthiopic-Regular": "NotoSansEthiopic-Regular.ttf",
    "NotoSansEthiopic-Bold": "NotoSansEthiopic-Bold.ttf",
    "DroidSansFallback": "DroidSansFallbackFull.ttf",
}
LATIN, LATIN_BOLD = "NotoSans-Regular", "NotoSans-Bold"
HAN = "DroidSansFallback"
FAKE_BOLD = frozenset({HAN})  # no bold face: drawn with a thin outline stroke


@dataclass(frozen=True)
class Family:
    regular: str
    bold: str
    leading: float  # line height as a multiple of the type size


FAMILIES = {
    "latin": Family(LATIN, LATIN_BOLD, 1.32),
    "arabic": Family("NotoSansArabic-Regular", "NotoSansArabic-Bold", 1.62),
    "nastaliq": Family("NotoNastaliqUrdu-Regular", "NotoNastaliqUrdu-Bold", 2.2),
    "bengali": Family("NotoSansBengali-Regular", "NotoSansBengali-Bold", 1.6),
    "gurmukhi": Family("NotoSansGurmukhi-Regular", "NotoSansGurmukhi-Bold", 1.6),
    "ethiopic": Family("NotoSansEthiopic-Regular", "NotoSansEthiopic-Bold", 1.5),
    "han": Family(HAN, HAN, 1.5),
}

_ATTACHED = frozenset({"Mn", "Mc", "Me"})
_JOINERS = frozenset({"\u200c", "\u200d", "\u034f"})
_lock = threading.Lock()


def register(name: str) -> str:
    """Register a bundled font with ReportLab (once) and return its name."""
    with _lock:
        if name not in pdfmetrics.getRegisteredFontNames():
            folder = resources_dir() / "fonts"
            path = folder / _FILES[name]
            if not path.is_file():
                raise FileNotFoundError(f"The font file {path.name} is missing from {folder}.")
            pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


@cache
def charmap(name: str) -> frozenset[int]:
    """The code points a font has glyphs for."""
    font = pdfmetrics.getFont(register(name))
    return frozenset(font.face.charToGlyph)


@cache
def chain(script: str, bold: bool) -> tuple[str, ...]:
    """The language's own font, then Latin, then every other bundled script.

    The tail is for staff's own words (a name or an address typed in another script): they are
    printed as typed on any sheet, so they must never come out as boxes.
    """
    family = FAMILIES[script]
    first = family.bold if bold else family.regular
    latin = LATIN_BOLD if bold else LATIN
    others = [f.bold if bold else f.regular for key, f in FAMILIES.items()
              if key not in (script, "latin", "nastaliq")]  # fmt: skip
    return tuple(dict.fromkeys((first, latin, HAN, *others)))


def font_for(char: str, fonts: tuple[str, ...]) -> str | None:
    """The first font in the chain with a glyph for the character, or None (it would be a box)."""
    point = ord(char)
    for name in fonts:
        if point in charmap(name):
            return name
    return None


def _attaches(char: str) -> bool:
    return char in _JOINERS or unicodedata.category(char) in _ATTACHED


def font_runs(text: str, fonts: tuple[str, ...]) -> list[tuple[str, str]]:
    """Split text into (font, text) runs by coverage, keeping marks with their base character.

    A character no font covers goes to the first font (and the coverage test catches it); a
    space goes with the run it is in when that font has it, so runs do not break on spaces.
    """
    runs: list[tuple[str, str]] = []
    for char in text:
        if runs and (_attaches(char) or (char.isspace() and ord(char) in charmap(runs[-1][0]))):
            runs[-1] = (runs[-1][0], runs[-1][1] + char)
            continue
        name = font_for(char, fonts) or fonts[0]
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + char)
        else:
            runs.append((name, char))
    return runs


def uncovered(text: str, fonts: tuple[str, ...]) -> set[str]:
    """Characters of the text that no font in the chain can draw (ignoring joiners and spaces)."""
    return {c for c in text if c not in _JOINERS and not c.isspace() and font_for(c, fonts) is None}
