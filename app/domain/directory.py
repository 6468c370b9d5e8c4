"""The service directory: the only source of contact details printed on information sheets.

A sheet must never carry an invented or out-of-date phone number, so contact details are
typed by the team's administrator, with the date they were last checked. Organisations named
in the source documents are pre-listed by name only; until someone adds their details, a sheet
says "Ask staff for their contact details." under the name.

Phone numbers are kept as typed (digits, spaces, +, brackets) and printed with no-break spaces
so a number never splits across two lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOPIC_CODES = ("housing", "immigration", "abuse", "money", "release")

# Named in DOMAIN.md's sources; contact details are the team's to add, never ours to invent.
PRELISTED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Hibiscus Initiatives", "Support for foreign national and migrant women",
     ("immigration", "housing")),
    ("Bail for Immigration Detainees (BID)", "Immigration bail and advice",
     ("immigration",)),
    ("AIRE Centre", "Advice on individual rights in Europe", ("immigration",)),
    ("Women in Prison", "Support for women in and after prison", ("housing", "abuse", "money")),
    ("Advance", "Support for women experiencing domestic abuse", ("abuse",)),
    ("Housing for Women", "Housing and support for women", ("housing", "abuse")),
    ("St Mungo's", "Help for people who are homeless", ("housing",)),
    ("Single Homeless Project", "Help for people who are homeless", ("housing",)),
    ("Solace Women's Aid", "Support for women and children experiencing abuse", ("abuse",)),
    ("Safer London (Pan-London Housing Reciprocal)",
     "Moving to a safe home in another London borough", ("abuse", "housing")),
    ("Refuge", "Support for women experiencing domestic abuse", ("abuse",)),
    ("Council housing options team", "Help if you are homeless or may become homeless",
     ("housing", "release")),
)  # fmt: skip

_PHONE = re.compile(r"^\+?[0-9 ()\-]{3,24}$")
LIMITS = {"organisation": 120, "service": 160, "phone": 24, "address": 300, "hours": 160}


@dataclass(frozen=True)
class DirectoryEntry:
    organisation: str
    service: str = ""
    phone: str = ""
    address: str = ""
    hours: str = ""
    languages: tuple[str, ...] = ()  # language codes (app.domain.reference)
    topics: tuple[str, ...] = ()
    active: bool = True
    id: int | None = None

    @property
    def has_contact(self) -> bool:
        return bool(self.phone or self.address)


def validate_entry(entry: DirectoryEntry, known_languages: set[str]) -> dict[str, str]:
    """Field name to a plain message, for every problem; empty when the entry can be saved."""
    errors: dict[str, str] = {}
    if not entry.organisation.strip():
        errors["organisation"] = "Type the organisation's name."
    for name, limit in LIMITS.items():
        if len(getattr(entry, name)) > limit:
            errors[name] = f"Keep this under {limit} characters."
    phone = entry.phone.strip()
    if phone and not _PHONE.match(phone):
        errors["phone"] = "Use only digits, spaces, brackets, dashes and a leading +."
    elif phone and sum(c.isdigit() for c in phone) < 3:
        errors["phone"] = "This phone number is too short."
    unknown = [code for code in entry.languages if code not in known_languages]
    if unknown:
        errors["languages"] = f"Unknown language code: {', '.join(unknown)}."
    bad_topics = [t for t in entry.topics if t not in TOPIC_CODES]
    if bad_topics:
        errors["topics"] = f"Unknown topic: {', '.join(bad_topics)}."
    if not entry.topics:
        errors["topics"] = "Choose at least one sheet topic this service helps with."
    return errors


def phone_unbroken(phone: str) -> str:
    """The number with no-break spaces, so it stays on one line."""
    return " ".join(phone.split()).replace(" ", "\u00a0").replace("-", "\u2011")


def parse_languages(text: str) -> tuple[tuple[str, ...], list[str]]:
    """Language codes from "Polish, ro, Arabic" (names or codes); and what was not recognised."""
    from app.domain.reference import language_code

    codes: list[str] = []
    unknown: list[str] = []
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        code = language_code(part)
        if code is None:
            unknown.append(part.strip())
        elif code not in codes:
            codes.append(code)
    return tuple(codes), unknown


def language_names(codes: tuple[str, ...]) -> str:
    from app.domain.reference import languages

    names = languages()
    return ", ".join(names.get(code, code) for code in codes)
