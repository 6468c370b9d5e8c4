"""The languages information sheets are printed in, and what each needs to be drawn right.

Codes are the ones a woman's record uses for her first language (app.domain.reference), so
her language is the default without any mapping; they are also the catalogue folder names under
translations/ and the values of `resettle sheet --lang`. Each language names the Babel locale
that formats its dates, its writing direction, and the font family its script needs
(app.sheets.fonts); line height is a property of the family (Nastaliq needs far more).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

ENGLISH = "en"


@dataclass(frozen=True)
class SheetLanguage:
    code: str
    english_name: str
    locale: str  # Babel locale for dates and the language's own name
    script: str  # font family key in app.sheets.fonts
    rtl: bool = False

    @property
    def native_name(self) -> str:
        return _native_name(self.locale)


_LANGUAGES = (
    SheetLanguage("en", "English", "en_GB", "latin"),
    SheetLanguage("sq", "Albanian", "sq", "latin"),
    SheetLanguage("pl", "Polish", "pl", "latin"),
    SheetLanguage("ro", "Romanian", "ro", "latin"),
    SheetLanguage("lt", "Lithuanian", "lt", "latin"),
    SheetLanguage("lv", "Latvian", "lv", "latin"),
    SheetLanguage("bg", "Bulgarian", "bg", "latin"),
    SheetLanguage("ru", "Russian", "ru", "latin"),
    SheetLanguage("pt", "Portuguese", "pt_PT", "latin"),
    SheetLanguage("es", "Spanish", "es", "latin"),
    SheetLanguage("fr", "French", "fr", "latin"),
    SheetLanguage("tr", "Turkish", "tr", "latin"),
    SheetLanguage("vi", "Vietnamese", "vi", "latin"),
    SheetLanguage("zh", "Chinese (Simplified)", "zh_Hans_CN", "han"),
    SheetLanguage("ar", "Arabic", "ar", "arabic", rtl=True),
    SheetLanguage("fa", "Farsi (Persian)", "fa", "arabic", rtl=True),
    SheetLanguage("ckb", "Kurdish (Sorani)", "ckb", "arabic", rtl=True),
    SheetLanguage("ur", "Urdu", "ur", "nastaliq", rtl=True),
    SheetLanguage("pa", "Punjabi (Gurmukhi)", "pa_Guru", "gurmukhi"),
    SheetLanguage("bn", "Bengali", "bn", "bengali"),
    SheetLanguage("so", "Somali", "so", "latin"),
    SheetLanguage("ti", "Tigrinya", "ti", "ethiopic"),
    SheetLanguage("cy", "Welsh", "cy", "latin"),
)

LANGUAGES: dict[str, SheetLanguage] = {lang.code: lang for lang in _LANGUAGES}
TRANSLATED = tuple(code for code in LANGUAGES if code != ENGLISH)


@cache
def _native_name(locale: str) -> str:
    from babel import Locale

    parsed = Locale.parse(locale)
    name = Locale(parsed.language, script=parsed.script).display_name or locale
    return name[:1].upper() + name[1:]


def sheet_language(code: str) -> SheetLanguage | None:
    """The language for a code: the record's code or a Babel-style one (zh_Hans, pa-Guru)."""
    code = code.strip().replace("-", "_")
    if code in LANGUAGES:
        return LANGUAGES[code]
    base = code.split("_")[0].lower()
    return LANGUAGES.get(base)


def default_language(first_language: str) -> SheetLanguage:
    """Her first language when sheets exist in it, else English (staff then explain in person)."""
    return sheet_language(first_language) or LANGUAGES[ENGLISH]
