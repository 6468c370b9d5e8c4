"""Information sheets for a woman: compose them from her record, print or save them, and keep
a record of what she was given; and the service directory their contact details come from.

What goes on a sheet about her is only: her name, prison number, release date and time, her
home council's name, the release risks that change her day (a weekend or a late release), and
what staff wrote on her release-day checklist. Previews are rendered in memory and never
written anywhere; saving a PDF or printing is recorded in her history and the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.audit_actions import Action, RecordType
from app.domain.codes import ChecklistState, SheetMethod
from app.domain.directory import DirectoryEntry, validate_entry
from app.domain.reference import languages, local_authorities
from app.domain.release_risks import ReleaseRisk, release_risks
from app.domain.roles import Permission
from app.domain.timezone import now_utc
from app.errors import NotFound, UserError, ValidationFailed
from app.services import settings
from app.services.workspace import Workspace
from app.sheets.catalogues import review
from app.sheets.compose import ComposedSheet, SheetPerson, compose
from app.sheets.languages import LANGUAGES, SheetLanguage, default_language, sheet_language
from app.sheets.library import SHEETS
from app.sheets.render import render_sheets
from app.store.models import (
    AuditEntry,
    ChecklistItem,
    DirectoryService,
    Person,
    ReleaseChecklist,
    SheetGiven,
)

METHODS: dict[str, str] = {SheetMethod.PRINTED: "Printed", SheetMethod.PDF: "Saved as PDF"}
_WEEKEND = {ReleaseRisk.FRIDAY, ReleaseRisk.BEFORE_NON_WORKING_DAY, ReleaseRisk.NON_WORKING_DAY}


# --- the service directory --------------------------------------------------------------------

def _entry(row: DirectoryService) -> DirectoryEntry:
    return DirectoryEntry(row.organisation, row.service, row.phone, row.address, row.hours,
                          tuple(row.languages.split()), tuple(row.topics.split()), row.active,
                          row.id)  # fmt: skip


def directory(ws: Workspace, *, active_only: bool = False) -> list[DirectoryEntry]:
    """Every service, in the administrator's order."""
    ws.require(Permission.VIEW_PEOPLE)
    query = select(DirectoryService).order_by(DirectoryService.position, DirectoryService.id)
    if active_only:
        query = query.where(DirectoryService.active.is_(True))
    with ws.read() as session:
        return [_entry(row) for row in session.scalars(query)]


def save_service(ws: Workspace, entry: DirectoryEntry) -> int:
    """Add a service (id None) or change one; only administrators keep the directory."""
    ws.require(Permission.CHANGE_SETTINGS)
    clean = DirectoryEntry(
        " ".join(entry.organisation.split()), " ".join(entry.service.split()),
        " ".join(entry.phone.split()), entry.address.strip(), " ".join(entry.hours.split()),
        tuple(dict.fromkeys(entry.languages)), tuple(dict.fromkeys(entry.topics)), entry.active,
        entry.id)  # fmt: skip
    errors = validate_entry(clean, set(languages()))
    if errors:
        raise ValidationFailed(errors)
    action = (Action.DIRECTORY_SERVICE_ADDED if clean.id is None
              else Action.DIRECTORY_SERVICE_CHANGED)
    with ws.operation(action, RecordType.DIRECTORY) as (session, audit):
        if clean.id is None:
            last = session.scalar(select(func.max(DirectoryService.position)))
            row = DirectoryService(position=(last or 0) + 1)
            session.add(row)
        else:
            row = session.get(DirectoryService, clean.id)
            if row is None:
                raise NotFound("That service is no longer in the directory.")
        row.organisation, row.service, row.phone = clean.organisation, clean.service, clean.phone
        row.address, row.hours = clean.address, clean.hours
        row.languages, row.topics = " ".join(clean.languages), " ".join(clean.topics)
        row.active = clean.active
        row.updated_at, row.updated_by = now_utc(), ws.user.username
        session.flush()
        audit.record_id = str(row.id)
        return row.id


def move_service(ws: Workspace, service_id: int, step: int) -> None:
    """Move a service up (-1) or down (+1): sheets list services in this order."""
    ws.require(Permission.CHANGE_SETTINGS)
    with ws.operation(Action.DIRECTORY_SERVICE_MOVED, RecordType.DIRECTORY,
                      service_id) as (session, _audit):
        rows = list(session.scalars(select(DirectoryService)
                                    .order_by(DirectoryService.position, DirectoryService.id)))
        index = next((i for i, row in enumerate(rows) if row.id == service_id), None)
        if index is None:
            raise NotFound("That service is no longer in the directory.")
        other = index + step
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
        for position, row in enumerate(rows):
            row.position = position


def remove_service(ws: Workspace, service_id: int) -> None:
    """Take a service out of the directory; sheets already printed are not affected."""
    ws.require(Permission.CHANGE_SETTINGS)
    with ws.operation(Action.DIRECTORY_SERVICE_REMOVED, RecordType.DIRECTORY,
                      service_id) as (session, _a):
        row = session.get(DirectoryService, service_id)
        if row is None:
            raise NotFound("That service is no longer in the directory.")
        session.delete(row)


# --- her sheets -------------------------------------------------------------------------------

def sheet_person(ws: Workspace, person_id: int) -> SheetPerson:
    """What her sheets may say about her, from her record and her release-day checklist."""
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("That person is no longer on the caseload.")
        checklist_id = session.scalar(select(ReleaseChecklist.id)
                                      .where(ReleaseChecklist.person_id == person_id))
        items = [] if checklist_id is None else list(session.scalars(
            select(ChecklistItem).where(ChecklistItem.checklist_id == checklist_id)
            .order_by(ChecklistItem.position)))  # fmt: skip
        council = local_authorities().get(person.home_local_authority)
        risks = set(release_risks(person.release_date, person.release_time,
                                  person.custody_status))  # fmt: skip
        warnings = tuple(code for code, hit in (("WEEKEND", risks & _WEEKEND),
                                                ("LATE", ReleaseRisk.AFTER_17 in risks)) if hit)
        return SheetPerson(
            name=f"{person.given_names} {person.family_name}",
            prison_number=person.prison_number,
            release_date=person.release_date,
            release_time=person.release_time,
            council=council.name if council else "",
            warnings=warnings,
            arrangements=tuple((i.code, i.details) for i in items
                               if i.state == ChecklistState.DONE and i.details.strip()),
            contacts=tuple((i.code, i.details) for i in items if i.details.strip()
                           and i.state != ChecklistState.NOT_NEEDED),
        )  # fmt: skip


def her_language(ws: Workspace, person_id: int) -> SheetLanguage:
    """Her first language when sheets exist in it, else English."""
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        first = session.scalar(select(Person.first_language).where(Person.id == person_id))
    if first is None:
        raise NotFound("That person is no longer on the caseload.")
    return default_language(first)


def choose_language(code: str) -> SheetLanguage:
    language = sheet_language(code)
    if language is None:
        known = ", ".join(LANGUAGES)
        raise UserError(f"There are no sheets in '{code}'. Languages: {known}.")
    return language


def check_sheets(sheet_ids: Sequence[str]) -> list[str]:
    if not sheet_ids:
        raise UserError("Choose at least one sheet.")
    unknown = [s for s in sheet_ids if s not in SHEETS]
    if unknown:
        raise UserError(f"There is no sheet '{unknown[0]}'. Sheets: {', '.join(SHEETS)}.")
    return list(dict.fromkeys(sheet_ids))


def compose_for(ws: Workspace, person_id: int, sheet_ids: Sequence[str], language: str,
                bilingual: bool = False) -> list[ComposedSheet]:  # fmt: skip
    ids = check_sheets(sheet_ids)
    lang = choose_language(language)
    person = sheet_person(ws, person_id)
    services = directory(ws, active_only=True)
    at, place = now_utc(), settings.establishment(ws)
    return [compose(s, lang, person, services, establishment=place, printed_at=at,
                    bilingual=bilingual) for s in ids]  # fmt: skip


def render_for(ws: Workspace, person_id: int, sheet_ids: Sequence[str], language: str,
               bilingual: bool = False) -> bytes:  # fmt: skip
    """The PDF in memory (for the preview and for printing); nothing is written or recorded."""
    return render_sheets(compose_for(ws, person_id, sheet_ids, language, bilingual))


def record_given(ws: Workspace, person_id: int, sheet_ids: Sequence[str], language: str,
                 bilingual: bool, method: str) -> None:  # fmt: skip
    """Put what she was given into her history: one row per sheet and one audit entry."""
    ws.require(Permission.EXPORT)
    if method not in METHODS:
        raise ValueError(method)
    ids = check_sheets(sheet_ids)
    lang = choose_language(language)
    with ws.operation(Action.INFORMATION_SHEETS_GIVEN, RecordType.PERSON,
                      person_id) as (session, audit):
        _record_given(ws, session, audit, person_id, ids, lang, bilingual, method)


def _record_given(ws: Workspace, session: Session, audit: AuditEntry, person_id: int,
                  ids: list[str], lang: SheetLanguage, bilingual: bool, method: str,
                  ) -> None:  # fmt: skip
    """One row per sheet given, and what the audit entry says (in the caller's transaction)."""
    if session.get(Person, person_id) is None:
        raise NotFound("That person is no longer on the caseload.")
    status = review(lang.code).status
    at = now_utc()
    for sheet_id in ids:
        session.add(SheetGiven(person_id=person_id, sheet_id=sheet_id, language=lang.code,
                               bilingual=bilingual, review_status=status, method=method,
                               given_at=at, given_by=ws.user.username))  # fmt: skip
    audit.detail = (f"{METHODS[method]}: {', '.join(ids)} in {lang.english_name}"
                    f"{' with English' if bilingual and lang.code != 'en' else ''}")


def save_pdf(ws: Workspace, person_id: int, sheet_ids: Sequence[str], language: str,
             bilingual: bool, out: Path) -> Path:  # fmt: skip
    """Render the PDF and record it as given, in one transaction: the sheets are recorded as
    given only if the file was saved whole, and the file is removed if the record fails."""
    ws.require(Permission.EXPORT)
    ids = check_sheets(sheet_ids)
    lang = choose_language(language)
    data = render_for(ws, person_id, ids, lang.code, bilingual)
    if out.exists() and out.is_dir():
        raise UserError(f"{out} is a folder: give a file name ending in .pdf.")
    with ws.operation_with_file(out, Action.INFORMATION_SHEETS_GIVEN, RecordType.PERSON,
                                person_id) as (session, audit, save):  # fmt: skip
        _record_given(ws, session, audit, person_id, ids, lang, bilingual, "PDF")
        save(data)
    return out


@dataclass(frozen=True)
class GivenSheet:
    given_at: datetime
    sheet_id: str
    title: str
    language: str
    bilingual: bool
    review_status: str
    method: str
    given_by: str


def sheets_given(ws: Workspace, person_id: int) -> list[GivenSheet]:
    """What she has been given, newest first."""
    ws.require(Permission.VIEW_PEOPLE)
    query = (select(SheetGiven).where(SheetGiven.person_id == person_id)
             .order_by(SheetGiven.given_at.desc(), SheetGiven.id.desc()))
    with ws.read() as session:
        rows = list(session.scalars(query))
    return [GivenSheet(r.given_at, r.sheet_id,
                       SHEETS[r.sheet_id].title if r.sheet_id in SHEETS else r.sheet_id,
                       LANGUAGES[r.language].english_name if r.language in LANGUAGES
                       else r.language, r.bilingual, r.review_status, METHODS.get(r.method,
                       r.method), r.given_by) for r in rows]  # fmt: skip


def sample_pdf(sheet_ids: Sequence[str], language: str, bilingual: bool = False) -> bytes:
    """A sheet with made-up details (no database), for checking a language before use."""
    from app.sheets.sample import SAMPLE_DIRECTORY, SAMPLE_ESTABLISHMENT, SAMPLE_PERSON

    lang = choose_language(language)
    at = now_utc()
    return render_sheets([
        compose(s, lang, SAMPLE_PERSON, SAMPLE_DIRECTORY, establishment=SAMPLE_ESTABLISHMENT,
                printed_at=at, bilingual=bilingual)
        for s in check_sheets(sheet_ids)
    ])


def catalogue_summary() -> list[dict]:
    """Sheets and languages with each language's review status (`resettle sheets list`)."""
    langs = []
    for lang in LANGUAGES.values():
        status = review(lang.code)
        langs.append({"code": lang.code, "name": lang.english_name, "native_name": lang.native_name,
                      "direction": "rtl" if lang.rtl else "ltr", "review_status": status.status,
                      "reviewed_by": status.reviewed_by or None,
                      "reviewed_on": status.reviewed_on.isoformat() if status.reviewed_on
                      else None})  # fmt: skip
    return [{"id": sheet.id, "title": sheet.title, "personalised": True, "languages": langs}
            for sheet in SHEETS.values()]  # fmt: skip
