"""Reading dates and times as people in England type them (day first), and showing them."""

from __future__ import annotations

import re
from datetime import date, time

_DATE = re.compile(r"^\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})[:.]?(\d{2})\s*$")


def parse_uk_date(text: str) -> date:
    """31/03/2026, 31.3.26 or ISO 2026-03-31; ValueError with a plain message otherwise."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DATE.match(text)
    if not match:
        raise ValueError("Type the date as day/month/year, e.g. 31/03/2026.")
    day, month, year = (int(g) for g in match.groups())
    if year < 100:
        year += 2000 if year <= date.today().year % 100 + 1 else 1900
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"There is no such date as {text}.") from None


def parse_time(text: str) -> time:
    match = _TIME.match(text)
    if not match:
        raise ValueError("Type the time as hours:minutes on the 24-hour clock, e.g. 14:30.")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(f"There is no such time as {text.strip()}.")
    return time(hour, minute)


def uk_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def hhmm(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""
