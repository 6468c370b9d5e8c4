"""The person record and the rules a valid one obeys.

Validation returns every problem at once, keyed by field, so the form can show each message
beside its own field; nothing is saved until the whole record is valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from app.domain import reference

PRISON_NUMBER = re.compile(r"^[A-Z][0-9]{4}[A-Z]{2}\Z")  # ASCII digits only, no trailing newline
MIN_AGE_YEARS = 15
MAX_AGE_YEARS = 110
FIELD_LABELS: dict[str, str] = {
    "prison_number": "Prison number",
    "family_name": "Family name",
    "given_names": "Given names",
    "aliases": "Aliases",
    "date_of_birth": "Date of birth",
    "nationality": "Nationality",
    "first_language": "First language",
    "interpreter_needed": "Interpreter needed",
    "custody_status": "Custody status",
    "reception_at": "Reception date and time",
    "release_date": "Release date",
    "release_time": "Release time",
    "release_type": "Release type",
    "home_local_authority": "Home local authority",
    "mappa_level": "MAPPA level",
    "pom_name": "POM",
    "cpp_name": "CPP",
    "key_worker_name": "Key worker",
    "notes": "Notes",
}


@dataclass
class PersonDraft:
    """What a form, a CSV line or a script proposes; `reception_at` is an aware datetime."""

    prison_number: str = ""
    family_name: str = ""
    given_names: str = ""
    aliases: str = ""
    date_of_birth: date | None = None
    nationality: str = ""
    first_language: str = ""
    interpreter_needed: bool = False
    custody_status: str = ""
    reception_at: datetime | None = None
    release_date: date | None = None
    release_time: time | None = None
    release_type: str = ""
    home_local_authority: str = ""
    mappa_level: str = ""
    pom_name: str = ""
    cpp_name: str = ""
    key_worker_name: str = ""
    notes: str = ""

    def normalised(self) -> PersonDraft:
        """Trim text, upper-case the prison number, collapse inner spaces in names."""
        copy = PersonDraft(**{f.name: getattr(self, f.name) for f in fields(self)})
        for f in fields(copy):
            value = getattr(copy, f.name)
            if isinstance(value, str):
                setattr(
                    copy, f.name, value.strip() if f.name == "notes" else " ".join(value.split())
                )
        copy.prison_number = copy.prison_number.replace(" ", "").upper()
        return copy


def normalise_prison_number(text: str) -> str:
    return text.replace(" ", "").strip().upper()


def prison_number_problem(text: str) -> str | None:
    if not text:
        return "Enter the prison number."
    if not PRISON_NUMBER.match(text):
        return "A prison number is one letter, four digits and two letters, like A1234BC."
    return None


def _years_between(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def validate(draft: PersonDraft, now: datetime) -> dict[str, str]:
    """Every problem with the draft, by field. `now` is aware; dates compare in London time."""
    from app.domain.timezone import to_london

    today = to_london(now).date()
    errors: dict[str, str] = {}
    problem = prison_number_problem(draft.prison_number)
    if problem:
        errors["prison_number"] = problem
    if not draft.family_name:
        errors["family_name"] = "Enter her family name."
    if not draft.given_names:
        errors["given_names"] = "Enter her given names."
    if draft.date_of_birth is None:
        errors["date_of_birth"] = "Enter her date of birth."
    elif draft.date_of_birth > today:
        errors["date_of_birth"] = "The date of birth is in the future."
    else:
        age = _years_between(draft.date_of_birth, today)
        if age < MIN_AGE_YEARS or age > MAX_AGE_YEARS:
            errors["date_of_birth"] = f"That date of birth makes her {age}; check the year."
    if draft.nationality not in reference.countries():
        errors["nationality"] = "Choose a nationality from the list (or 'Not known')."
    if draft.first_language not in reference.languages():
        errors["first_language"] = "Choose her first language from the list."
    if draft.custody_status not in reference.CUSTODY_STATUSES:
        errors["custody_status"] = "Choose remand, convicted unsentenced, sentenced or recall."
    if draft.reception_at is None:
        errors["reception_at"] = "Enter the date and time she was received."
    elif draft.reception_at > now + timedelta(minutes=5):
        errors["reception_at"] = "The reception time is in the future."
    elif draft.date_of_birth and to_london(draft.reception_at).date() <= draft.date_of_birth:
        errors["reception_at"] = "The reception date is before her date of birth."
    if draft.release_date is not None and draft.reception_at is not None:
        if draft.release_date < to_london(draft.reception_at).date():
            errors["release_date"] = "The release date is before the reception date."
    if draft.release_time is not None and draft.release_date is None:
        errors["release_time"] = "A release time needs a release date."
    if draft.release_type not in reference.RELEASE_TYPES:
        errors["release_type"] = "Choose a release type from the list."
    if (
        draft.home_local_authority
        and draft.home_local_authority not in reference.local_authorities()
    ):
        errors["home_local_authority"] = "Choose a council from the list of England and Wales."
    if draft.mappa_level not in reference.MAPPA_LEVELS:
        errors["mappa_level"] = "MAPPA level is 1, 2, 3 or none."
    limits = {
        "family_name": 100,
        "given_names": 150,
        "pom_name": 120,
        "cpp_name": 120,
        "key_worker_name": 120,
    }
    for name, limit in limits.items():
        if len(getattr(draft, name)) > limit and name not in errors:
            errors[name] = f"Keep this under {limit} characters."
    return errors
