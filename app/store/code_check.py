"""Find stored codes that their code type does not know.

The ORM refuses an unknown code on the way in (app.store.models.CodeColumn), but rows can
arrive by other roads: raw SQL, an old migration, a restored backup, a hand-edited database.
This reads every coded column with plain SQL (so nothing is converted on the way) and lists the
values no enum member holds. Tests run it over a demo profile and a fully worked record.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from app.store.models import Base, CodeColumn


class UnknownCodeFound(NamedTuple):
    table: str
    column: str
    value: str


def coded_columns() -> list[tuple[str, str, CodeColumn]]:
    """(table, column, its CodeColumn) for every coded column in the schema."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, CodeColumn):
                found.append((table.name, column.name, column.type))
    return found


def unknown_codes(db: Session | Connection) -> list[UnknownCodeFound]:
    """Every (table, column, value) stored that its enum does not know, sorted."""
    connection = db.connection() if isinstance(db, Session) else db
    found = []
    for table_name, column_name, code_type in coded_columns():
        # Plain SQL: the stored text comes back as it is, not through the CodeColumn. The
        # names come from our own metadata, never from input.
        raw = text(f'SELECT DISTINCT "{column_name}" FROM "{table_name}"')
        for (value,) in connection.execute(raw):
            if value is None or (code_type.blank and value == ""):
                continue
            if value not in code_type.codes._value2member_map_:
                found.append(UnknownCodeFound(table_name, column_name, value))
    return sorted(found)
