"""Instants are stored in UTC and shown in Europe/London: the prison's clock, GMT or BST."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def now_utc() -> datetime:
    return datetime.now(UTC)


def today_london() -> date:
    return datetime.now(LONDON).date()


def london_to_utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def to_london(instant: datetime) -> datetime:
    return instant.astimezone(LONDON)
