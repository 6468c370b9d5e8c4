"""Transfer bundles: a woman's whole record, carried to the Resettle of the prison she moves to.

The sending team exports `transfer.json` (her details and every row of her record: consents,
court dates, plan and tasks, referrals and their events, release checklist, items and events,
release outcome, screenings and their changes, sheets given, support contacts, needs and their
actions, transfers) with the handover summary PDF, in a signed bundle (app.bundles). The
columns are read from the tables themselves, so a column added by a later migration travels
without this module changing; local ids, links between rows and optimistic-lock counters
(`version`) do not travel, as they only mean something inside one database: rows that belong to
another (a plan's tasks) are nested under it as "children".

The receiving team verifies the signature, previews, and imports in one transaction, matching
her by prison number:
- not here: she is added, with new ids;
- here, and nothing in her record here is later than the bundle: importing replaces her record
  here, but only when asked to (`replace`), since it deletes what is here;
- here, and something in her record here is later than the bundle (any instant in her rows, or
  a row without any instant that the bundle does not have): always refused. Newer local data
  is never overwritten.

What does not travel: the sender's outbox (bundles), users and settings. What travels but is
not imported:
- `history`, the sender's audit trail of her record: the receiving audit log records only what
  happened here (one "transfer_imported" entry), so the trail stays in the bundle and the
  preview counts it;
- `transfers`, the sender's record that she left: imported, it would show her as transferred
  out of the receiving prison (and stop it transferring her on). Her rows here are left alone.
Usernames in rows (recorded_by, ...) keep the sending prison's text as it is.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, cast

from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    String,
    Text,
    Time,
    delete,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.bundles import bundle_format as fmt
from app.bundles import schemas
from app.domain import person as person_rules
from app.domain.audit_actions import Action, RecordType
from app.domain.codes import BundleKind, BundleType
from app.domain.roles import Permission
from app.domain.timezone import now_utc, to_london, today_london
from app.errors import NotFound, UserError
from app.services import bundles, settings, transfers
from app.services.workspace import Workspace
from app.store.models import (
    AuditEntry,
    Base,
    Bundle,
    ChecklistEvent,
    ChecklistItem,
    CodeColumn,
    Consent,
    CourtDate,
    NeedAction,
    Person,
    Plan,
    PlanTask,
    Referral,
    ReferralEvent,
    ReleaseChecklist,
    ReleaseOutcome,
    Screening,
    ScreeningChange,
    Setting,
    SheetGiven,
    SigningIdentity,
    SupportContact,
    SupportNeed,
    Transfer,
    UTCDateTime,
)

PAYLOAD = "transfer.json"
HANDOVER = "handover.pdf"
KIND = BundleKind.TRANSFER
NEW, EXISTS_OLDER, EXISTS_NEWER = "NEW", "EXISTS_OLDER", "EXISTS_NEWER"
CHILDREN = "children"

# Her record: each table linked to people, with the tables whose rows belong to its rows.
RECORD: dict[type[Base], tuple[type[Base], ...]] = {
    Consent: (),
    CourtDate: (),
    Plan: (PlanTask,),
    Referral: (ReferralEvent,),
    ReleaseChecklist: (ChecklistItem, ChecklistEvent),
    ReleaseOutcome: (),
    Screening: (ScreeningChange,),
    SheetGiven: (),
    SupportContact: (),
    SupportNeed: (NeedAction,),
    Transfer: (),
}
NOT_IMPORTED: frozenset[type[Base]] = frozenset({Transfer})  # see the module docstring
# Tables outside her record that point into it; import keeps them pointing at the right rows.
OUTSIDE_LINKS = {("bundles", "referral_id")}

LABELS = {
    "people": "her details", "consents": "her consents", "court_dates": "her court dates",
    "plans": "her plan", "plan_tasks": "her plan's tasks", "referrals": "her referrals",
    "referral_events": "her referrals' history", "release_checklists": "her release checklist",
    "checklist_items": "her release checklist", "checklist_events": "her release checklist",
    "release_outcomes": "her release outcome", "screenings": "her screenings",
    "screening_changes": "her screenings' history", "sheets_given": "the sheets given to her",
    "support_contacts": "her support contacts", "support_needs": "her support needs",
    "need_actions": "her support needs' actions", "transfers": "her transfers",
}  # fmt: skip
NEWER_RESETTLE = "This bundle comes from a newer Resettle: update before importing"


# --- columns and values -----------------------------------------------------------------------

def _data_columns(model: type[Base]) -> list[tuple[str, Column[Any]]]:
    """(attribute, column) of every mapped column that is data, not a local id or link.

    Left out: the integer primary key, foreign keys, and the optimistic-lock counter, which
    count saves in one database and would mislead the other.
    """
    mapper = model.__mapper__
    version = mapper.version_id_col
    found = []
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if column.primary_key or column.foreign_keys or column is version:
            continue
        found.append((attr.key, cast("Column[Any]", column)))
    return found


def _link(child: type[Base], parent: type[Base]) -> str:
    """The attribute of `child` holding its parent's id (its foreign key to the parent)."""
    for attr in child.__mapper__.column_attrs:
        column = attr.columns[0]
        if any(fk.column.table is parent.__table__ for fk in column.foreign_keys):
            return attr.key
    raise LookupError(f"{child.__tablename__} has no link to {parent.__tablename__}")


def _out(value: object) -> object:
    """A column value as JSON: dates ISO, instants ISO UTC with Z, JSON text left as text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def _instant(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("an instant without its time zone")
    return parsed.astimezone(UTC)


_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1  # what SQLite stores as an integer
JSON_COLUMNS = frozenset({"answers", "changes"})  # text columns holding a JSON object


def _in(column: Column[Any], value: object) -> object:
    """A JSON value back as the column's Python value; ValueError when it is not one."""
    if value is None:
        if column.nullable:
            return None
        raise ValueError("empty")
    kind = column.type
    if isinstance(kind, CodeColumn):
        # A code this Resettle does not know is refused here, before anything is written.
        if not isinstance(value, str):
            raise ValueError("not text")
        if kind.blank and value == "":
            return value
        if value not in kind.codes._value2member_map_:
            raise ValueError("an unknown code")
        return kind.codes(value)
    if isinstance(kind, UTCDateTime | DateTime | Date | Time) and not isinstance(value, str):
        raise ValueError("not text")
    if isinstance(kind, UTCDateTime | DateTime):
        return _instant(value)  # type: ignore[arg-type]
    if isinstance(kind, Date):
        return date.fromisoformat(value)  # type: ignore[arg-type]
    if isinstance(kind, Time):
        return time.fromisoformat(value)  # type: ignore[arg-type]
    if isinstance(kind, Boolean):
        if isinstance(value, bool):
            return value
    elif isinstance(kind, Integer):
        if isinstance(value, int) and not isinstance(value, bool) and _INT_MIN <= value <= _INT_MAX:
            return value
    elif isinstance(kind, String) and isinstance(value, str):
        if column.name in JSON_COLUMNS:
            try:
                document = fmt.load_json(value.encode(), column.name)
            except fmt.BundleError:
                raise ValueError("not JSON") from None
            if not isinstance(document, dict):
                raise ValueError("not a JSON object")
        return value
    raise ValueError("wrong kind")


def _dump(row: Base) -> dict[str, object]:
    return {key: _out(getattr(row, key)) for key, _column in _data_columns(type(row))}


def _instants(row: Base) -> Iterator[datetime]:
    """Every instant recorded in a row (when it was made, changed, completed, ...)."""
    for key, column in _data_columns(type(row)):
        value = getattr(row, key)
        if isinstance(column.type, UTCDateTime) and value is not None:
            yield value


def _timed(model: type[Base]) -> bool:
    """Whether a table's rows always say when they were written (a required instant)."""
    return any(isinstance(c.type, UTCDateTime) and not c.nullable
               for _key, c in _data_columns(model))  # fmt: skip


# --- her record as a document -----------------------------------------------------------------

def _her_rows(session: Session, person_id: int, *, imported_only: bool = False,
              ) -> Iterator[tuple[type[Base], Base, list[tuple[type[Base], Base]]]]:  # fmt: skip
    """Her rows, table by table in id order, each with the rows that belong to it."""
    for parent, children in RECORD.items():
        if imported_only and parent in NOT_IMPORTED:
            continue
        owner = getattr(parent, _link(parent, Person))
        for row in session.scalars(select(parent).where(owner == person_id)
                                   .order_by(parent.__table__.c.id)):  # fmt: skip
            below: list[tuple[type[Base], Base]] = []
            for child in children:
                link = getattr(child, _link(child, parent))
                below += [(child, r) for r in session.scalars(
                    select(child).where(link == row.id).order_by(child.__table__.c.id))]  # type: ignore[attr-defined]
            yield parent, row, below


def _tables(session: Session, person_id: int) -> dict[str, list[dict[str, object]]]:
    tables: dict[str, list[dict[str, object]]] = {m.__tablename__: [] for m in RECORD}
    for parent, row, below in _her_rows(session, person_id):
        item = _dump(row)
        if RECORD[parent]:
            nested: dict[str, list[dict[str, object]]] = {c.__tablename__: []
                                                          for c in RECORD[parent]}
            for child, child_row in below:
                nested[child.__tablename__].append(_dump(child_row))
            item[CHILDREN] = nested
        tables[parent.__tablename__].append(item)
    return tables


def _document(session: Session, person_id: int) -> dict[str, object]:
    """transfer.json for her, as of now (read in one transaction, so consistent)."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("That person is no longer on the caseload.")
    tables = _tables(session, person_id)
    history = [{"at": _out(e.at), "username": e.username, "action": e.action,
                "detail": e.detail}
               for e in session.scalars(select(AuditEntry).where(
                   AuditEntry.record_type == RecordType.PERSON,
                   AuditEntry.record_id == str(person_id))
                   .order_by(AuditEntry.at, AuditEntry.id))]  # fmt: skip
    # Taken after every read, so nothing in the bundle is later than the bundle itself.
    exported_at = now_utc()
    return {"schema_version": 1, "exported_at": _out(exported_at), "person": _dump(person),
            "tables": tables, "history": history}  # fmt: skip


def transfer_document(ws: Workspace, person_id: int) -> dict[str, object]:
    """What her transfer bundle would carry now (transfer.json), e.g. to show before export."""
    ws.require(Permission.EXPORT)
    with ws.read() as session:
        return _document(session, person_id)


# --- export -----------------------------------------------------------------------------------

def export_transfer(ws: Workspace, person_id: int, folder: Path, *,
                    encrypt_to: bytes | None = None, recipient: str = "",
                    ) -> bundles.Exported:  # fmt: skip
    """Make, sign, write, read back and record her transfer bundle (outbox + audit log).

    As with referral bundles, a file that cannot be recorded in the outbox is removed: no
    bundle exists that the team cannot see it made.
    """
    ws.require(Permission.EXPORT)
    bundles.ensure_identity(ws)
    recipient_cert = bundles.certificate(encrypt_to)
    establishment = settings.establishment(ws)
    with ws.read() as session:
        signer = bundles.active_identity(session)
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("That person is no longer on the caseload.")
        transfer = session.scalar(select(Transfer).where(Transfer.person_id == person_id))
        destination = (recipient.strip() or (transfer.destination if transfer else "")
                       or "The receiving prison")  # fmt: skip
        moved_on = transfer.transferred_on if transfer else today_london()
        document = _document(session, person_id)
        created = _instant(str(document["exported_at"]))
        pdf = transfers.handover_summary(session, person, establishment=establishment,
                                         destination=destination, transferred_on=moved_on,
                                         generated_at=created,
                                         generated_by=ws.user.display_name)  # fmt: skip
    problems = schemas.problems(document, schemas.TRANSFER_SCHEMA)
    if problems:
        raise UserError(f"Her record cannot be exported: {problems[0]}")
    bundle_id = str(uuid.uuid4())
    payload = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
    built = fmt.build({PAYLOAD: payload, HANDOVER: pdf}, signer, bundle_type=BundleType.TRANSFER,
                      referral_type=KIND, created_at=created,
                      created_by=(ws.user.display_name, ws.user.role.replace("_", " ")),
                      establishment=establishment, recipient=destination,
                      bundle_id=bundle_id)  # fmt: skip
    return bundles.deliver(ws, built, signer=signer, folder=folder,
                           prison_number=person.prison_number, person_id=person_id,
                           referral_id=None, recipient_cert=recipient_cert)


# --- reading a bundle -------------------------------------------------------------------------

@dataclass
class _Row:
    model: type[Base]
    values: dict[str, object]
    children: list[_Row] = field(default_factory=list)


@dataclass
class _Record:
    bundle_id: str
    exported_at: datetime
    person: dict[str, object]
    rows: list[_Row]
    counts: dict[str, int]
    history: int


def _values(model: type[Base], raw: dict[str, Any], where: str,
            problems: list[str]) -> dict[str, object]:  # fmt: skip
    """A row of the bundle as column values, with a plain problem for each one that is not.

    A column the bundle lacks (it came from an older Resettle) takes its default, or stays
    empty where it may; one this Resettle lacks means the bundle is from a newer one.
    """
    columns = dict(_data_columns(model))
    unknown = sorted(set(raw) - set(columns) - {CHILDREN})
    if unknown:
        problems.append(f"{NEWER_RESETTLE} (this version does not know "
                        f"{model.__tablename__}.{unknown[0]}).")  # fmt: skip
        return {}
    values: dict[str, object] = {}
    for key, column in columns.items():
        if key not in raw:
            default = column.default
            if default is not None and getattr(default, "is_scalar", False):
                values[key] = default.arg  # type: ignore[attr-defined]
            elif column.nullable:
                values[key] = None
            else:
                problems.append(f"The bundle is incomplete: {where} has no {key}.")
            continue
        try:
            values[key] = _in(column, raw[key])
        except ValueError:
            problems.append(f"The bundle cannot be read: {where} has a {key} of the wrong "
                            "kind (was it edited by hand?).")  # fmt: skip
            continue
        limit = _longest(column)
        if isinstance(values[key], str) and limit is not None and len(values[key]) > limit:
            problems.append(f"The bundle cannot be imported: {where} has a {key} longer than "
                            f"{limit:,} characters (was it edited by hand?).")  # fmt: skip
    return values


TEXT_LIMIT = 100_000  # characters in a free-text column (notes, answers); typed ones are far less


def _longest(column: Column[Any]) -> int | None:
    """The most characters a text column takes: its declared length, or TEXT_LIMIT."""
    kind = column.type
    if isinstance(kind, Text):
        return TEXT_LIMIT
    if isinstance(kind, String):
        return kind.length or TEXT_LIMIT
    return None


def _person_problems(values: dict[str, object]) -> list[str]:
    """Her details checked by the same rules as details typed into the form."""
    names = {f for f in person_rules.PersonDraft.__dataclass_fields__}
    draft = person_rules.PersonDraft(**{k: ("" if v is None and k not in _OPTIONAL else v)
                                        for k, v in values.items() if k in names})  # type: ignore[arg-type]
    errors = person_rules.validate(draft, now_utc())
    return [f"Her details in this bundle break a rule of this Resettle "
            f"({person_rules.FIELD_LABELS.get(k, k)}: {message}): nothing was imported."
            for k, message in errors.items()]


_OPTIONAL = {"date_of_birth", "reception_at", "release_date", "release_time"}


def _parse(manifest: dict, document: dict[str, Any]) -> tuple[_Record | None, list[str]]:
    """Her record from transfer.json (already schema-checked), or the reasons it cannot be."""
    problems: list[str] = []
    known = {m.__tablename__: m for m in RECORD}
    counts: dict[str, int] = {}
    person = _values(Person, document["person"], "her details", problems)
    if not problems:
        problems += _person_problems(person)
    rows: list[_Row] = []
    for table, items in document["tables"].items():
        model = known.get(table)
        if model is None:
            problems.append(f"{NEWER_RESETTLE} (this version does not know the table {table}).")
            continue
        counts[table] = counts.get(table, 0) + len(items)
        children = {c.__tablename__: c for c in RECORD[model]}
        for number, item in enumerate(items, 1):
            where = f"{table} row {number}"
            row = _Row(model, _values(model, item, where, problems))
            for child_table, child_items in (item.get(CHILDREN) or {}).items():
                child = children.get(child_table)
                if child is None:
                    problems.append(f"{NEWER_RESETTLE} (this version does not know "
                                    f"{child_table} under {table}).")  # fmt: skip
                    continue
                counts[child_table] = counts.get(child_table, 0) + len(child_items)
                for child_number, child_item in enumerate(child_items, 1):
                    if child_item.get(CHILDREN):
                        problems.append(f"{NEWER_RESETTLE} (rows under {child_table}).")
                    child_where = f"{child_table} row {child_number} of {where}"
                    row.children.append(
                        _Row(child, _values(child, child_item, child_where, problems)))
            rows.append(row)
    try:
        exported_at = _instant(document["exported_at"])
    except ValueError:
        problems.append(f"The bundle cannot be read: its exported_at "
                        f"{str(document['exported_at'])[:40]!r} is not a real moment "
                        "(was it edited by hand?).")  # fmt: skip
    if problems:
        return None, list(dict.fromkeys(problems))
    record = _Record(str(manifest.get("bundle_id", "")), exported_at,
                     person, rows, counts, len(document["history"]))  # fmt: skip
    return record, []


def _open(path: Path, trust_pem: bytes | None) -> tuple[fmt.VerifiedBundle, dict[str, Any]]:
    """The verified bundle and its transfer.json; UserError with the reason otherwise."""
    try:
        verified = bundles.verify_file(path, trust_pem)
    except fmt.BundleError as exc:
        raise UserError(str(exc)) from None
    kind = verified.manifest.get("bundle_type")
    if kind != BundleType.TRANSFER or PAYLOAD not in verified.members:
        raise UserError(f"This is a {kind} bundle, not a transfer: it cannot be imported "
                        "as her record.")  # fmt: skip
    return verified, json.loads(verified.members[PAYLOAD])


# --- who may send her record here -------------------------------------------------------------
# A transfer bundle writes a whole record into this database, so its signature must be one the
# team trusts (its own certificate, a prison it has added with `trust add`, or a --trust
# certificate given for this import), or the person importing must have confirmed the
# fingerprint, as the sending prison read it out, before anything is written.

TRUSTED_KEY = "trusted_senders"


@dataclass(frozen=True)
class TrustedSender:
    name: str
    fingerprint: str
    subject: str
    added_at: str
    added_by: str


def _trusted_rows(session: Session) -> list[dict[str, str]]:
    row = session.get(Setting, TRUSTED_KEY)
    return list(json.loads(row.value)) if row else []


def trusted_senders(ws: Workspace) -> list[TrustedSender]:
    """The prisons whose transfer bundles this team imports without asking, by name."""
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        return [TrustedSender(r["name"], r["fingerprint"], r["subject"], r["added_at"],
                              r["added_by"]) for r in _trusted_rows(session)]  # fmt: skip


def add_trusted_sender(ws: Workspace, certificate_bytes: bytes, name: str) -> TrustedSender:
    """Trust transfer bundles signed with this prison's certificate (or one it issued)."""
    ws.require(Permission.CHANGE_SETTINGS)
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise UserError("Give the prison's name (up to 200 characters), e.g. \"HMP Example\".")
    cert = bundles.certificate(certificate_bytes)
    assert cert is not None
    from app.bundles import identity as ident

    fingerprint = ident.fingerprint(cert)
    with ws.operation(Action.TRUSTED_SENDER_ADDED, RecordType.SETTING, TRUSTED_KEY) as (
            session, audit):  # fmt: skip
        rows = _trusted_rows(session)
        if any(r["fingerprint"] == fingerprint for r in rows):
            raise UserError("That certificate is already trusted.")
        row = {"name": name, "fingerprint": fingerprint, "subject": ident.subject_text(cert),
               "added_at": _out(now_utc()), "added_by": ws.user.username,
               "certificate_pem": cert.public_bytes(Encoding.PEM).decode()}
        session.merge(Setting(key=TRUSTED_KEY, value=json.dumps([*rows, row])))
        audit.detail = f"fingerprint={fingerprint}"
    return TrustedSender(name, fingerprint, row["subject"], row["added_at"], row["added_by"])


def remove_trusted_sender(ws: Workspace, fingerprint: str) -> None:
    ws.require(Permission.CHANGE_SETTINGS)
    wanted = fingerprint.strip().upper()
    with ws.operation(Action.TRUSTED_SENDER_REMOVED, RecordType.SETTING, TRUSTED_KEY) as (
            session, audit):  # fmt: skip
        rows = _trusted_rows(session)
        kept = [r for r in rows if r["fingerprint"] != wanted]
        if len(kept) == len(rows):
            raise NotFound(f"No trusted sender has the fingerprint {fingerprint}.")
        session.merge(Setting(key=TRUSTED_KEY, value=json.dumps(kept)))
        audit.detail = f"fingerprint={wanted}"


def _trusted_as(session: Session, verified: fmt.VerifiedBundle, trust_pem: bytes | None) -> str:
    """Why this bundle's signer is trusted here, in words; "" when it is not."""
    from app.bundles import identity as ident

    signer = verified.certificate
    if trust_pem is not None:
        return "the certificate given with --trust"  # verify_file has checked it
    if session.scalar(select(SigningIdentity.id).where(
            SigningIdentity.fingerprint == verified.fingerprint)) is not None:
        return "this team's own certificate"
    for row in _trusted_rows(session):
        anchor = ident.load_certificate(row["certificate_pem"].encode())
        if row["fingerprint"] == verified.fingerprint or fmt._issued_by(signer, anchor):  # noqa: SLF001
            return f"trusted sender {row['name']}"
    return ""


def _unknown_sender(fingerprint: str) -> str:
    return ("Not imported: this bundle is signed with a certificate this team does not trust "
            f"(SHA-256 fingerprint {fingerprint}). Check the fingerprint with the sending "
            "prison, then confirm it, or give --trust CERT, or add the prison with "
            "`resettle trust add`.")


# --- comparing with her record here -----------------------------------------------------------

@dataclass(frozen=True)
class _Local:
    person_id: int | None
    state: str
    updated_at: datetime | None
    problem: str | None


def _when(instant: datetime) -> str:
    return to_london(instant).strftime("%d/%m/%Y at %H:%M")


def _local(session: Session, record: _Record) -> _Local:
    """Whether she is here, and whether anything here is later than the bundle."""
    person = session.scalar(select(Person).where(
        Person.prison_number == record.person["prison_number"]))  # fmt: skip
    if person is None:
        return _Local(None, NEW, None, None)
    latest, latest_table = person.updated_at, "people"
    for instant in _instants(person):
        if instant > latest:
            latest = instant
    untimed: dict[str, Counter[str]] = {}
    for parent, row, below in _her_rows(session, person.id, imported_only=True):
        for model, item in ((parent, row), *below):
            for instant in _instants(item):
                if instant > latest:
                    latest, latest_table = instant, model.__tablename__
            if not _timed(model):
                untimed.setdefault(model.__tablename__, Counter())[_key(_dump(item))] += 1
    if latest > record.exported_at:
        what = LABELS.get(latest_table, latest_table)
        return _Local(person.id, EXISTS_NEWER, latest, (
            f"Her record here was changed on {_when(latest)} ({what}), "
            f"after this bundle was made on {_when(record.exported_at)}: newer local data is "
            "never overwritten."))  # fmt: skip
    carried: dict[str, Counter[str]] = {}
    for carried_row in record.rows:
        for part in (carried_row, *carried_row.children):
            values = {k: _out(v) for k, v in part.values.items()}
            carried.setdefault(part.model.__tablename__, Counter())[_key(values)] += 1
    for table, here in untimed.items():
        if here - carried.get(table, Counter()):
            return _Local(person.id, EXISTS_NEWER, latest, (
                f"Her record here has {LABELS.get(table, table)} that this bundle does not "
                "have, so it was changed after this bundle was made: newer local data is "
                "never overwritten."))  # fmt: skip
    return _Local(person.id, EXISTS_OLDER, latest, None)


def _key(values: dict[str, object]) -> str:
    return json.dumps(values, sort_keys=True, ensure_ascii=False)


# --- preview ----------------------------------------------------------------------------------

@dataclass
class TransferPreview:
    """What a verified transfer bundle holds, and what importing it here would do.

    `local` is NEW, EXISTS_OLDER (import only with replace) or EXISTS_NEWER (never imported);
    it is compared only when the bundle can be read, so with problems of the bundle's own it
    says NEW. `local_updated_at` is the latest change to her record here.
    """

    prison_number: str
    name: str
    date_of_birth: date | None
    sender: str
    fingerprint: str
    created_at: datetime | None
    establishment: str
    counts: dict[str, int]
    history_entries: int
    local: str
    local_updated_at: datetime | None
    problems: list[str]
    trusted_as: str = ""  # why the signer is trusted here; "" = confirm the fingerprint first


def preview_transfer(ws: Workspace, path: Path, trust_pem: bytes | None = None
                     ) -> TransferPreview:  # fmt: skip
    """Who the bundle is, who sent it, what it holds, and what importing it would do here.

    `problems` are the reasons the import would be refused whatever is chosen; an EXISTS_OLDER
    record is not a problem, it is imported only with `replace`.
    """
    ws.require(Permission.VIEW_PEOPLE)
    verified, document = _open(path, trust_pem)
    manifest = verified.manifest
    person = document["person"]
    record, problems = _parse(manifest, document)
    local = _Local(None, NEW, None, None)
    with ws.read() as session:
        trusted_as = _trusted_as(session, verified, trust_pem)
        if record is not None:
            local = _local(session, record)
        if local.problem:
            problems = [local.problem]
    try:
        born: date | None = date.fromisoformat(person["date_of_birth"])
    except ValueError:
        born = None
    try:
        created: datetime | None = _instant(str(manifest.get("created_at")))
    except ValueError:
        created = None
    counts = record.counts if record else {k: len(v) for k, v in document["tables"].items()}
    return TransferPreview(
        prison_number=person["prison_number"],
        name=f"{person['family_name'].upper()}, {person['given_names']}",
        date_of_birth=born, sender=verified.signer, fingerprint=verified.fingerprint,
        created_at=created, establishment=str(manifest.get("establishment", "")),
        counts=counts, history_entries=len(document["history"]), local=local.state,
        local_updated_at=local.updated_at, problems=problems, trusted_as=trusted_as,
    )  # fmt: skip


# --- import -----------------------------------------------------------------------------------

def _clear(session: Session, person_id: int) -> None:
    """Delete her rows here in the imported tables, the rows that belong to others first."""
    for parent, children in RECORD.items():
        if parent in NOT_IMPORTED:
            continue
        owner = getattr(parent, _link(parent, Person))
        ids = select(parent.__table__.c.id).where(owner == person_id)
        for child in children:
            session.execute(delete(child).where(getattr(child, _link(child, parent)).in_(ids)))
        session.execute(delete(parent).where(owner == person_id))


def _insert(session: Session, person_id: int, rows: list[_Row]) -> int:
    """Add her rows with new ids, each child pointing at its parent's new id; rows added."""
    added = 0
    for row in rows:
        if row.model in NOT_IMPORTED:
            continue
        parent = row.model(**row.values, **{_link(row.model, Person): person_id})
        session.add(parent)
        added += 1
        if row.children:
            session.flush()
            for child in row.children:
                session.add(child.model(**child.values,
                                        **{_link(child.model, row.model): parent.id}))  # type: ignore[attr-defined]
                added += 1
    session.flush()
    return added


def import_transfer(ws: Workspace, path: Path, *, replace: bool = False,
                    trust_pem: bytes | None = None,
                    confirmed_fingerprint: str | None = None) -> int:  # fmt: skip
    """Add her record from a verified transfer bundle, all or nothing; her id here.

    Only from a trusted sender (see `_trusted_as`), or when `confirmed_fingerprint` is the
    signer's: the fingerprint the person importing checked with the sending prison.
    The comparison with her record here is made again inside the transaction, so a change
    saved since the preview is never overwritten either.
    """
    ws.require(Permission.EDIT_PEOPLE)
    verified, document = _open(path, trust_pem)
    with ws.read() as session:
        trusted_as = _trusted_as(session, verified, trust_pem)
    confirmed = (confirmed_fingerprint or "").strip().upper().replace(" ", "")
    if not trusted_as:
        if confirmed != verified.fingerprint:
            raise UserError(_unknown_sender(verified.fingerprint))
        trusted_as = "fingerprint confirmed"
    record, problems = _parse(verified.manifest, document)
    if record is None:
        raise UserError(problems[0])
    try:
        with ws.operation(Action.TRANSFER_IMPORTED, RecordType.PERSON) as (session, audit):
            local = _local(session, record)
            if local.problem:
                raise UserError(local.problem)
            if local.state == EXISTS_OLDER and not replace:
                raise UserError(f"She is already here ({record.person['prison_number']}): "
                                "importing this bundle would replace her record here with the "
                                "bundle's. Import it again choosing to replace her record if "
                                "that is what you want.")  # fmt: skip
            relink: list[tuple[str, str]] = []
            if local.person_id is None:
                person = Person(**record.person)
                session.add(person)
                session.flush()
            else:
                relink = _detach_outbox(session, local.person_id)
                session.expunge_all()  # rows deleted below must not linger in the session
                _clear(session, local.person_id)
                found = session.get(Person, local.person_id)
                assert found is not None
                person = found
                for key, value in record.person.items():
                    setattr(person, key, value)
                session.flush()
            added = _insert(session, person.id, record.rows)
            _relink_outbox(session, person.id, relink)
            tables = len({r.model for r in record.rows if r.model not in NOT_IMPORTED}
                         | {c.model for r in record.rows for c in r.children})  # fmt: skip
            audit.record_id = str(person.id)
            how = "confirmed" if trusted_as == "fingerprint confirmed" else "yes"
            audit.detail = (f"bundle={record.bundle_id} tables={tables} rows={added} "
                            f"signer={verified.fingerprint} trusted={how} "
                            f"replace={local.person_id is not None}")  # fmt: skip
            return person.id
    except IntegrityError:
        raise UserError("Her record in this bundle breaks a rule of this database (two rows "
                        "where only one is allowed?): nothing was imported.") from None


def _detach_outbox(session: Session, person_id: int) -> list[tuple[str, str]]:
    """Unlink her bundles here from her referrals about to be replaced; what to link back.

    Each is remembered by its referral's type and creation time, which the replacing rows
    keep when they are the same referrals.
    """
    refs = {r.id: _key({"type": r.type, "created_at": _out(r.created_at)})
            for r in session.scalars(select(Referral).where(Referral.person_id == person_id))}
    if not refs:
        return []
    linked = [(b_id, refs[r_id]) for b_id, r_id in session.execute(
        select(Bundle.id, Bundle.referral_id).where(Bundle.referral_id.in_(list(refs))))
        if r_id is not None]  # fmt: skip
    if linked:
        session.execute(sql_update(Bundle).where(Bundle.referral_id.in_(list(refs)))
                        .values(referral_id=None))  # fmt: skip
    return linked


def _relink_outbox(session: Session, person_id: int, linked: list[tuple[str, str]]) -> None:
    if not linked:
        return
    refs = {_key({"type": r.type, "created_at": _out(r.created_at)}): r.id
            for r in session.scalars(select(Referral).where(Referral.person_id == person_id))}
    for bundle_id, key in linked:
        if key in refs:
            session.execute(sql_update(Bundle).where(Bundle.id == bundle_id)
                            .values(referral_id=refs[key]))  # fmt: skip
