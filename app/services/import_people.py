"""Caseload import from CSV: preview first, then all or nothing.

A spreadsheet with one bad line imports nothing, and every bad line is reported with its reason,
so the team fixes the sheet once rather than chasing half an import.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.domain import csv_people
from app.domain.audit_actions import Action, RecordType
from app.domain.csv_people import LineProblem
from app.domain.person import PersonDraft
from app.domain.roles import Permission
from app.domain.timezone import now_utc
from app.errors import UserError
from app.services.workspace import Workspace
from app.store.models import Person


@dataclass(frozen=True)
class ImportPreview:
    drafts: list[tuple[int, PersonDraft]]
    problems: list[LineProblem]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.drafts)


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"Could not read {path.name}: {exc.strerror or exc}") from exc
    return csv_people.decode(raw, path.name)


def preview(ws: Workspace, text: str) -> ImportPreview:
    ws.require(Permission.IMPORT_PEOPLE)
    parsed = csv_people.parse(text, now_utc())
    numbers = {d.prison_number: line for line, d in parsed.drafts}
    problems = list(parsed.problems)
    if numbers:
        with ws.read() as session:
            existing = set(
                session.scalars(
                    select(Person.prison_number).where(Person.prison_number.in_(numbers))
                )
            )
        for number in sorted(existing, key=numbers.__getitem__):
            problems.append(
                LineProblem(numbers[number], number, "prison number is already on the caseload")
            )
    problems.sort(key=lambda p: p.line)
    bad_lines = {p.line for p in problems}
    drafts = [(line, d) for line, d in parsed.drafts if line not in bad_lines]
    return ImportPreview(drafts, problems)


def commit(ws: Workspace, plan: ImportPreview) -> int:
    """Insert every previewed person in one transaction, or none of them."""
    ws.require(Permission.IMPORT_PEOPLE)
    if plan.problems:
        raise UserError(
            f"Nothing was imported: {len({p.line for p in plan.problems})} line(s) have problems."
        )
    if not plan.drafts:
        raise UserError("The file has no people to import.")
    with ws.operation(Action.PEOPLE_IMPORTED, RecordType.CASELOAD) as (session, entry):
        at = now_utc()
        numbers = [d.prison_number for _, d in plan.drafts]
        clash = session.scalars(
            select(Person.prison_number).where(Person.prison_number.in_(numbers))
        ).first()
        if clash:
            raise UserError(f"Nothing was imported: {clash} was added meanwhile. Preview again.")
        session.add_all(
            Person(**vars(draft), created_at=at, updated_at=at) for _, draft in plan.drafts
        )
        entry.detail = f"count={len(plan.drafts)}"
    return len(plan.drafts)
