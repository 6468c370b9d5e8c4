"""Reference lists: custody statuses, release types, MAPPA levels, countries, languages, councils.

Codes are what we store and export; labels are what people read. Countries and languages come
from Babel's CLDR data (offline, maintained), with UK usage where CLDR differs ("Bengali", not
"Bangla"). Councils come from a bundled ONS list so duty-to-refer exports carry official codes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from app.domain.codes import CustodyStatus, MappaLevel, ReleaseType
from app.paths import resources_dir

CUSTODY_STATUSES: dict[str, str] = {
    CustodyStatus.REMAND: "Remand",
    CustodyStatus.CONVICTED_UNSENTENCED: "Convicted unsentenced",
    CustodyStatus.SENTENCED: "Sentenced",
    CustodyStatus.RECALL: "Recall",
}

RELEASE_TYPES: dict[str, str] = {
    "": "Not yet known",
    ReleaseType.CRD_LICENCE: "Conditional release (licence)",
    ReleaseType.HDC: "Home detention curfew",
    ReleaseType.PAROLE: "Parole",
    ReleaseType.END_OF_SENTENCE: "End of sentence (no licence)",
    ReleaseType.RECALL_END: "End of recall",
    ReleaseType.COURT_BAIL: "Bail from court",
    ReleaseType.COURT_DISCHARGE: "Discharged by the court",
    ReleaseType.IMMIGRATION: "To immigration detention or removal",
    ReleaseType.OTHER: "Other",
}

MAPPA_LEVELS: dict[str, str] = {
    "": "Not a MAPPA case",
    MappaLevel.LEVEL_1: "MAPPA level 1",
    MappaLevel.LEVEL_2: "MAPPA level 2",
    MappaLevel.LEVEL_3: "MAPPA level 3",
}

UNKNOWN_COUNTRY = "ZZ"
STATELESS = "XX"
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
_COUNTRY_OVERRIDES = {"GB": "United Kingdom", STATELESS: "Stateless", UNKNOWN_COUNTRY: "Not known"}

# Languages most often met in prisons in England and Wales (CLDR codes), per DOMAIN.md.
_LANGUAGE_CODES = (
    "en sq pl ro lt lv ru uk pt es fr it de nl el tr bg hu cs sk hr sr bs sl et fi sv da no "
    "ga cy gd ar ur fa ps ckb ku bn pa gu hi ta te ml si ne zh yue vi th tl ms id ko ja so am "
    "ti om sw yo ig ha tw ak ln wo ff rw mg he az hy ka kk uz mn my km lo dv bfi"
)
_LANGUAGE_OVERRIDES = {
    "bn": "Bengali",
    "fa": "Farsi (Persian)",
    "ckb": "Kurdish (Sorani)",
    "ku": "Kurdish (Kurmanji)",
    "zh": "Chinese (Mandarin)",
    "yue": "Chinese (Cantonese)",
    "pa": "Punjabi",
    "bfi": "British Sign Language",
    "tl": "Tagalog (Filipino)",
    "ff": "Fula",
    "tw": "Twi",
    "no": "Norwegian",
}


@cache
def countries() -> dict[str, str]:
    from babel import Locale

    names = Locale("en", "GB").territories
    result = {
        code: name
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    result.update(_COUNTRY_OVERRIDES)
    return dict(sorted(result.items(), key=lambda item: item[1]))


@cache
def languages() -> dict[str, str]:
    from babel import Locale

    names = Locale("en", "GB").languages
    result = {
        code: _LANGUAGE_OVERRIDES.get(code) or names.get(code, code)
        for code in _LANGUAGE_CODES.split()
    }
    return dict(sorted(result.items(), key=lambda item: item[1]))


@dataclass(frozen=True)
class LocalAuthority:
    code: str
    name: str
    nation: str
    kind: str




@cache
def local_authorities() -> dict[str, LocalAuthority]:
    path = resources_dir() / "data" / "local_authorities.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            LocalAuthority(r["code"], r["name"], r["nation"], r["kind"])
            for r in csv.DictReader(handle)
        ]
    return {la.code: la for la in sorted(rows, key=lambda la: la.name)}


def _lookup(table: dict[str, str], value: str) -> str | None:
    """Find a code from a code or a label, ignoring case: spreadsheets use either."""
    cleaned = value.strip()
    if not cleaned:
        return None
    for code in (cleaned, cleaned.upper(), cleaned.lower()):
        if code in table:
            return code
    folded = cleaned.casefold()
    for code, label in table.items():
        if label.casefold() == folded:
            return code
    return None


def country_code(value: str) -> str | None:
    return _lookup(countries(), value)


def language_code(value: str) -> str | None:
    return _lookup(languages(), value)


# Codes retired by ONS in 2025 that older spreadsheets still carry.
_RETIRED_LA_CODES = {"E08000016": "E08000038", "E08000019": "E08000039"}


def local_authority_code(value: str) -> str | None:
    value = _RETIRED_LA_CODES.get(value.strip().upper(), value)
    return _lookup({code: la.name for code, la in local_authorities().items()}, value)


def custody_code(value: str) -> str | None:
    key = value.strip().upper().replace(" ", "_").replace("-", "_")
    return key if key in CUSTODY_STATUSES else _lookup(CUSTODY_STATUSES, value)
