"""The one typeface of Resettle's printed documents: Noto Sans, bundled and embedded.

Names on official papers must be spelt exactly (Łucja, Ştefan, Nguyễn, Анна), so documents use
Noto Sans, which covers Latin with every diacritic, Greek, Cyrillic and Vietnamese, rather than
ReportLab's built-in Helvetica (Windows-1252 only). It is registered as a family, so <b> and <i>
in paragraph markup pick the bold and italic faces. Characters Noto Sans lacks are written
without their accents, or as "?" (app.documents._common.printable): a name in Arabic
script or Chinese belongs in the information sheets' multi-script layout (app.sheets).
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping

from app.sheets import fonts as sheet_fonts

REGULAR = "NotoSans-Regular"
BOLD = "NotoSans-Bold"
ITALIC = "NotoSans-Italic"
BOLD_ITALIC = "NotoSans-BoldItalic"
MONO = "NotoSansMono-Regular"
MONO_BOLD = "NotoSansMono-Bold"


@cache
def register() -> None:
    for name in (REGULAR, BOLD, ITALIC, BOLD_ITALIC, MONO, MONO_BOLD):
        sheet_fonts.register(name)
    addMapping(MONO, 0, 0, MONO)
    addMapping(MONO, 1, 0, MONO_BOLD)
    addMapping(MONO, 0, 1, MONO)
    addMapping(MONO, 1, 1, MONO_BOLD)
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)


def covers(char: str) -> bool:
    """Whether Noto Sans has a glyph for the character."""
    return ord(char) in sheet_fonts.charmap(REGULAR)
