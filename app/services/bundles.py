"""Signed referral bundles: the team's signing identity, export, the outbox, and verification.

An export is deliberate and recorded: consent is checked first (no consent, no bundle), the
preview shows every field that will leave, the file is written whole into the chosen folder,
read back and its hash compared, and only then recorded in the outbox and the audit log. A
failed or unverifiable write leaves no file behind and nothing recorded. Re-exporting a referral
supersedes its earlier bundles (they stay listed, marked superseded).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from cryptography import x509
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.bundles import bundle_format as fmt
from app.bundles import cms, schemas
from app.bundles import identity as ident
from app.bundles.payload import preview_rows, referral_payload
from app.domain.audit_actions import Action, RecordType
from app.domain.codes import (
    BundleState,
    BundleType,
    ConsentScope,
    CustodyStatus,
    IdentitySource,
    NeedReview,
    ReferralType,
    ScreeningKind,
    ScreeningStatus,
)
from app.domain.questionnaire import interpreter_needed
from app.domain.reference import local_authorities
from app.domain.referrals import TYPE_LABELS
from app.domain.roles import Permission
from app.domain.timezone import now_utc, today_london
from app.errors import NotFound, UserError
from app.services import consent as consent_service
from app.services import settings
from app.services.workspace import Workspace
from app.store.atomic import write_atomic
from app.store.models import (
    Bundle,
    BundleEvent,
    Consent,
    Person,
    Referral,
    Screening,
    SigningIdentity,
    SupportNeed,
)

STATES: dict[BundleState, str] = {
    BundleState.WRITING: "Not confirmed (being written, or its drive is not here)",
    BundleState.CREATED: "Created",
    BundleState.COPIED: "Copied to media",
    BundleState.UPLOADED: "Uploaded",
    BundleState.ACKNOWLEDGED: "Acknowledged",
    BundleState.WITHDRAWN: "Withdrawn",
    BundleState.SUPERSEDED: "Superseded",
}
LIVE = (BundleState.CREATED, BundleState.COPIED, BundleState.UPLOADED)
MARKABLE: dict[BundleState, tuple[BundleState, ...]] = {
    BundleState.UPLOADED: LIVE,
    BundleState.ACKNOWLEDGED: (BundleState.COPIED, BundleState.UPLOADED),
    BundleState.WITHDRAWN: (*LIVE, BundleState.ACKNOWLEDGED),
}
_MARK_ACTIONS = {BundleState.UPLOADED: Action.BUNDLE_UPLOADED,
                 BundleState.ACKNOWLEDGED: Action.BUNDLE_ACKNOWLEDGED,
                 BundleState.WITHDRAWN: Action.BUNDLE_WITHDRAWN}


# --- the signing identity ---------------------------------------------------------------------

@dataclass(frozen=True)
class IdentityView:
    id: int
    subject: str
    fingerprint: str
    source: str
    not_after: datetime
    active: bool
    created_at: datetime
    retired_at: datetime | None


def _store_identity(session: Session, identity: ident.Identity, source: IdentitySource,
                    username: str) -> SigningIdentity:  # fmt: skip
    for old in session.scalars(select(SigningIdentity).where(SigningIdentity.active.is_(True))):
        old.active, old.retired_at = False, now_utc()
    if session.scalar(select(SigningIdentity.id).where(
            SigningIdentity.fingerprint == identity.fingerprint)) is not None:
        raise UserError("That certificate is already the team's signing certificate.")
    row = SigningIdentity(
        source=source, subject=ident.subject_text(identity.certificate),
        fingerprint=identity.fingerprint, certificate_pem=identity.certificate_pem().decode(),
        key_pem=identity.key_pem().decode(), not_after=identity.certificate.not_valid_after_utc,
        active=True, created_at=now_utc(), created_by=username)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _active(session: Session) -> SigningIdentity | None:
    return session.scalar(select(SigningIdentity).where(SigningIdentity.active.is_(True)))


def ensure_identity(ws: Workspace) -> IdentityView:
    """The team's signing identity, made now (RSA-3072, self-signed) if there is none yet."""
    with ws.read() as session:
        row = _active(session)
        if row is not None:
            return _identity_view(row)
    ws.require(Permission.EXPORT)
    made = ident.generate(settings.establishment(ws))
    with ws.operation(Action.SIGNING_KEY_CREATED, RecordType.SIGNING_IDENTITY) as (session, audit):
        if _active(session) is not None:  # made by someone else meanwhile
            return _identity_view(_active(session))  # type: ignore[arg-type]
        row = _store_identity(session, made, IdentitySource.GENERATED, ws.user.username)
        audit.record_id, audit.detail = str(row.id), f"fingerprint={row.fingerprint}"
        return _identity_view(row)


def _identity_view(row: SigningIdentity) -> IdentityView:
    return IdentityView(row.id, row.subject, row.fingerprint, row.source, row.not_after,
                        row.active, row.created_at, row.retired_at)  # fmt: skip


def identities(ws: Workspace) -> list[IdentityView]:
    """Every signing identity the team has had, the active one first."""
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        rows = session.scalars(select(SigningIdentity).order_by(
            SigningIdentity.active.desc(), SigningIdentity.created_at.desc()))
        return [_identity_view(r) for r in rows]


def rotate(ws: Workspace) -> IdentityView:
    """A new key and certificate; the old ones are kept, so old bundles still verify."""
    ws.require(Permission.CHANGE_SETTINGS)
    made = ident.generate(settings.establishment(ws))
    with ws.operation(Action.SIGNING_KEY_ROTATED, RecordType.SIGNING_IDENTITY) as (session, audit):
        row = _store_identity(session, made, IdentitySource.GENERATED, ws.user.username)
        audit.record_id, audit.detail = str(row.id), f"fingerprint={row.fingerprint}"
        return _identity_view(row)


def import_pkcs12(ws: Workspace, data: bytes, password: str) -> IdentityView:
    """Use the organisation's own certificate and key (a .p12/.pfx file) from now on."""
    ws.require(Permission.CHANGE_SETTINGS)
    try:
        imported = ident.from_pkcs12(data, password)
    except ident.IdentityProblem as exc:
        raise UserError(str(exc)) from None
    with ws.operation(Action.SIGNING_KEY_IMPORTED, RecordType.SIGNING_IDENTITY) as (session, audit):
        row = _store_identity(session, imported, IdentitySource.IMPORTED, ws.user.username)
        audit.record_id, audit.detail = str(row.id), f"fingerprint={row.fingerprint}"
        return _identity_view(row)


def signing_certificate(ws: Workspace) -> tuple[bytes, str]:
    """The active certificate (PEM) and its SHA-256 fingerprint, for recipients."""
    view = ensure_identity(ws)
    with ws.read() as session:
        row = session.get(SigningIdentity, view.id)
        assert row is not None
        return row.certificate_pem.encode(), row.fingerprint


def export_certificate(ws: Workspace, out: Path) -> str:
    """Write the team's certificate (PEM) for recipients; returns its fingerprint."""
    pem, fingerprint = signing_certificate(ws)
    with ws.operation_with_file(out, Action.SIGNING_CERTIFICATE_EXPORTED,
                                RecordType.SIGNING_IDENTITY) as (*_, save):  # fmt: skip
        save(pem)
    return fingerprint


def write_recipient_guide(ws: Workspace, out: Path) -> Path:
    """The one-page guide for recipients, with this team's fingerprint printed on it."""
    from app.documents.recipient_guide import render_recipient_guide

    _pem, fingerprint = signing_certificate(ws)
    write_atomic(out, render_recipient_guide(
        establishment=settings.establishment(ws), fingerprint=fingerprint,
        generated_at=now_utc()))  # fmt: skip
    return out


def active_identity(session: Session) -> ident.Identity:
    row = _active(session)
    if row is None:
        raise UserError("The team has no signing certificate yet.")
    return ident.load(row.certificate_pem.encode(), row.key_pem.encode())


# --- what a referral shares -------------------------------------------------------------------

def _answer(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("value")
    return str(value) if value not in (None, "") else None


def _consent(session: Session, person_id: int, referral_type: str) -> Consent:
    given, withdrawn = consent_service.effective(session, person_id, referral_type)
    if given is None or withdrawn is not None:
        raise UserError("Export refused: there is no current consent from her to share this "
                        "referral. Record her consent on the Referrals tab first.")  # fmt: skip
    row = session.scalar(select(Consent).where(
        Consent.person_id == person_id, Consent.given_on == given,
        Consent.withdrawn_on.is_(None),
        Consent.scope.in_((ConsentScope.ALL, referral_type))))  # fmt: skip
    if row is None:
        raise UserError("Export refused: her consent record could not be found.")
    return row


def _payload(session: Session, ws: Workspace, referral: Referral) -> dict:
    person = session.get(Person, referral.person_id)
    if person is None:
        raise NotFound("That person is no longer on the caseload.")
    consent = _consent(session, person.id, referral.type)
    councils = local_authorities()
    home = councils.get(person.home_local_authority)
    target = councils.get(referral.council_code)
    bcst2 = session.scalar(select(Screening.answers).where(
        Screening.person_id == person.id, Screening.kind == ScreeningKind.BCST2,
        Screening.status == ScreeningStatus.COMPLETED))  # fmt: skip
    answers = json.loads(bcst2) if bcst2 else {}
    # BCST1 asks whether she needs an interpreter; a draft's "yes" counts too, because a
    # referral that under-reports it fails her at the council's first interview.
    bcst1 = session.scalar(select(Screening.answers).where(
        Screening.person_id == person.id, Screening.kind == ScreeningKind.BCST1))
    release = person.release_date
    within = (release - today_london()).days <= 84 if release else None
    needs = session.scalars(select(SupportNeed).where(
        SupportNeed.person_id == person.id, SupportNeed.review == NeedReview.ACCEPTED
    ).order_by(SupportNeed.pathway, SupportNeed.code))  # fmt: skip
    return referral_payload(
        referral={"local_id": str(referral.id), "type": referral.type,
                  "status": referral.status, "reference": referral.reference,
                  "submitted_on": _iso(referral.submitted_on)},
        person={"prison_number": person.prison_number, "family_name": person.family_name,
                "given_names": person.given_names, "date_of_birth": _iso(person.date_of_birth),
                "nationality": person.nationality, "first_language": person.first_language,
                "interpreter_needed": interpreter_needed(
                    person.interpreter_needed, json.loads(bcst1) if bcst1 else {}),
                "custody_status": person.custody_status, "release_date": _iso(release),
                "release_time": person.release_time.strftime("%H:%M")
                if person.release_time else None,
                "release_type": person.release_type,
                "home_council_code": person.home_local_authority,
                "home_council_name": home.name if home else ""},
        consent={"given_on": _iso(consent.given_on), "scope": consent.scope,
                 "shared_with": consent.shared_with, "method": consent.method},
        details={"council_code": referral.council_code,
                 "council_name": target.name if target else "",
                 "council_choice": referral.council_choice,
                 "other_council_reason": referral.other_council_reason,
                 "accommodation_before": _answer(answers.get("WHERE_DID_THEY_LIVE")),
                 "accommodation_after": _answer(answers.get("WHERE_WILL_THEY_LIVE")),
                 "parental_responsibility": _answer(answers.get("PARENTAL_RESPONSIBILITY")),
                 "service_category": referral.crs_service, "complexity": referral.complexity,
                 "desired_outcomes": referral.desired_outcomes,
                 "releasing_within_12_weeks": within,
                 "sentenced": person.custody_status in (CustodyStatus.SENTENCED,
                                                        CustodyStatus.RECALL),
                 "provider": referral.provider},
        needs=[{"code": n.code, "title": n.title, "pathway": n.pathway, "status": n.status}
               for n in needs],
        notes=referral.notes,
        referrer={"name": ws.user.display_name, "role": ws.user.role.replace("_", " "),
                  "establishment": settings.establishment(ws)},
    )  # fmt: skip


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _referral(session: Session, referral_id: int) -> Referral:
    # An id beyond SQLite's integers names no referral (and must not overflow the driver).
    row = session.get(Referral, referral_id) if 0 < referral_id < 2**63 else None
    if row is None:
        raise NotFound(f"There is no referral {referral_id}.")
    return row


def preview(ws: Workspace, referral_id: int) -> list[tuple[str, str, str]]:
    """Exactly the fields that would leave in this referral's bundle (consent checked)."""
    ws.require(Permission.EXPORT)
    with ws.read() as session:
        return preview_rows(_payload(session, ws, _referral(session, referral_id)))


# --- export -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Exported:
    path: Path
    bundle_id: str
    sha256: str
    size: int
    superseded: tuple[str, ...]


def certificate(pem_or_der: bytes | None) -> x509.Certificate | None:
    """A recipient's or trusted certificate from a file's bytes; a plain UserError if it is
    not one."""
    if pem_or_der is None:
        return None
    try:
        return ident.load_certificate(pem_or_der)
    except ident.IdentityProblem as exc:
        raise UserError(str(exc)) from None


def _file_name(prison_number: str, kind: str, day: date, bundle_id: str) -> str:
    return f"{prison_number}-{kind}-{day:%Y%m%d}-{bundle_id[:8]}{fmt.EXTENSION}"


def write_verified(folder: Path, name: str, data: bytes) -> Path:
    """Write the file whole into the folder, read it back and compare; else leave nothing."""
    _folder_there(folder)
    out = folder / name
    write_atomic(out, data)
    _shareable(out)
    try:
        written = out.read_bytes()
    except OSError:
        written = b""
    if hashlib.sha256(written).digest() != hashlib.sha256(data).digest():
        out.unlink(missing_ok=True)
        raise UserError(f"The copy in {folder} did not read back the same, so it was removed. "
                        "Check the drive and try again.")  # fmt: skip
    return out


def _shareable(path: Path) -> None:
    """The usual permissions for a new file (umask), not the temporary file's owner-only ones:
    a bundle on a shared drive is uploaded later by someone else. Who may read it is then up to
    the folder's own permissions, as for any file saved there."""
    mask = os.umask(0)
    os.umask(mask)
    with contextlib.suppress(OSError):  # some drives (FAT, SMB) have no Unix permissions
        path.chmod(0o666 & ~mask)


def _recipient_label(referral: Referral) -> str:
    if referral.type == ReferralType.DUTY_TO_REFER:
        council = local_authorities().get(referral.council_code)
        return f"{council.name} council (housing)" if council else "Council (housing)"
    if referral.type in (ReferralType.CRS, ReferralType.CAS3):
        return "Probation (" + TYPE_LABELS[referral.type] + ")"
    return referral.provider or TYPE_LABELS.get(referral.type, referral.type)


def export_referral(ws: Workspace, referral_id: int, folder: Path, *,
                    encrypt_to: bytes | None = None, recipient: str = "") -> Exported:  # fmt: skip
    """Make, sign, write and record one referral's bundle (see the module docstring)."""
    from app.documents.referral_pdf import render_referral_pdf

    ws.require(Permission.EXPORT)
    ensure_identity(ws)
    recipient_cert = certificate(encrypt_to)
    with ws.read() as session:
        referral = _referral(session, referral_id)
        payload = _payload(session, ws, referral)
        signer = active_identity(session)
        person_id, kind = referral.person_id, referral.type
        prison_number = payload["person"]["prison_number"]
        recipient = recipient or _recipient_label(referral)
    problems = schemas.problems(payload, schemas.REFERRAL_SCHEMA)
    if problems:
        raise UserError(f"This referral cannot be exported: {problems[0]}")
    created = now_utc()
    bundle_id = str(uuid.uuid4())
    referral_json = (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode()
    pdf = render_referral_pdf(payload, bundle_id=bundle_id, created_at=created,
                              created_by=ws.user.display_name)  # fmt: skip
    built = fmt.build({"referral.json": referral_json, "referral.pdf": pdf}, signer,
                      bundle_type=BundleType.REFERRAL, referral_type=kind, created_at=created,
                      created_by=(ws.user.display_name, ws.user.role.replace("_", " ")),
                      establishment=settings.establishment(ws), recipient=recipient,
                      bundle_id=bundle_id)  # fmt: skip
    return deliver(ws, built, signer=signer, folder=folder, prison_number=prison_number,
                   person_id=person_id, referral_id=referral_id, recipient_cert=recipient_cert)


def deliver(ws: Workspace, built: fmt.BuiltBundle, *, signer: ident.Identity, folder: Path,
            prison_number: str, person_id: int, referral_id: int | None,
            recipient_cert: x509.Certificate | None) -> Exported:  # fmt: skip
    """The last steps of every export: encrypt if asked, then record, write, and confirm.

    The outbox row is committed first (state WRITING, with the file's final name, folder and
    hash), then the file is written whole (temporary file, fsync, rename) and read back, then
    the row is confirmed (COPIED, superseding earlier bundles, audited as the export). Nothing
    can exist under a bundle's name without its row: a crash at any step leaves a WRITING row
    that `reconcile_outbox` settles at the next listing, from what is in the folder. A write
    that fails in the ordinary way removes the row (and any file) at once.
    """
    manifest = built.manifest
    kind, bundle_id = str(manifest["referral_type"]), built.bundle_id
    created = datetime.fromisoformat(str(manifest["created_at"]).replace("Z", "+00:00"))
    data, name = built.data, _file_name(prison_number, kind, today_london(), bundle_id)
    encrypted = ""
    if recipient_cert is not None:
        data, name = cms.encrypt_to(data, recipient_cert), name + ".p7m"
        encrypted = ident.subject_text(recipient_cert)
    _folder_there(folder)
    sha256 = hashlib.sha256(data).hexdigest()
    with _export_lock(ws, bundle_id):
        _record_writing(ws, Bundle(
            id=bundle_id, bundle_type=str(manifest["bundle_type"]), referral_id=referral_id,
            person_id=person_id, referral_type=kind, file_name=name,
            location=str(folder.resolve()), sha256=sha256, size=len(data),
            recipient=str(manifest["recipient"]), encrypted_to=encrypted,
            signer_fingerprint=signer.fingerprint, state=BundleState.WRITING,
            created_at=created, created_by=ws.user.username, updated_at=created))  # fmt: skip
        try:
            path = write_verified(folder, name, data)
            superseded = _confirm(ws, bundle_id, f"Written to {folder.resolve()}")
        except BaseException:
            (folder / name).unlink(missing_ok=True)
            with contextlib.suppress(Exception):  # else the next listing settles it
                _forget(ws, bundle_id, "not written")
            raise
    return Exported(path, bundle_id, sha256, len(data), superseded)


def _folder_there(folder: Path) -> None:
    if not folder.is_dir():
        raise UserError(f"The folder {folder} is not there (was the drive removed?). Choose "
                        "another folder.")  # fmt: skip


LOCKS_DIRNAME = "exports-in-progress"


def _try_lock(fd: int) -> bool:
    """An exclusive lock on an open file, without waiting; the OS drops it when the process
    ends in any way (so a crashed export's lock is free)."""
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def _export_lock(ws: Workspace, bundle_id: str) -> Iterator[None]:
    """Held while one export is under way: tells `reconcile_outbox` (in any process) that its
    WRITING row belongs to a live export and must be left alone."""
    folder = ws.data_dir / LOCKS_DIRNAME
    folder.mkdir(exist_ok=True)
    path = folder / f"{bundle_id}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        # Locked, and still the file under that name (a sweep may have removed it between).
        if not _try_lock(fd) or os.fstat(fd).st_ino != os.stat(path).st_ino:
            raise UserError("Another export of this bundle is under way.")
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


def _record_writing(ws: Workspace, bundle: Bundle) -> None:
    with ws.operation(Action.BUNDLE_EXPORT_STARTED, bundle.bundle_type, bundle.referral_id
                      or bundle.person_id) as (session, audit):  # fmt: skip
        session.add(bundle)
        audit.detail = f"bundle={bundle.id} type={bundle.referral_type} to={bundle.location}"


def _confirm(ws: Workspace, bundle_id: str, note: str) -> tuple[str, ...]:
    """A WRITING bundle whose file is written and checked: COPIED, and it supersedes the
    earlier live bundles of its referral (or is itself superseded by a later one)."""
    with ws.operation(Action.BUNDLE_EXPORTED, RecordType.BUNDLE, bundle_id) as (session, audit):
        bundle = session.get(Bundle, bundle_id)
        if bundle is None or bundle.state != BundleState.WRITING:
            raise UserError("This bundle's record was changed while it was written.")
        audit.record_type = bundle.bundle_type
        audit.record_id = str(bundle.referral_id or bundle.person_id)
        at, who = bundle.created_at, ws.user.username
        superseded: list[str] = []
        newer: Bundle | None = None
        if bundle.referral_id is not None:
            for other in session.scalars(select(Bundle).where(
                    Bundle.referral_id == bundle.referral_id, Bundle.id != bundle.id,
                    Bundle.state.in_(LIVE)).order_by(Bundle.created_at)):  # fmt: skip
                if other.created_at > bundle.created_at:
                    newer = other
                    continue
                other.state, other.superseded_by, other.updated_at = (
                    BundleState.SUPERSEDED, bundle.id, at)
                session.add(BundleEvent(bundle_id=other.id, at=at, username=who,
                                        state=BundleState.SUPERSEDED,
                                        note=f"Replaced by {bundle.id}"))  # fmt: skip
                superseded.append(other.id)
        session.add(BundleEvent(bundle_id=bundle.id, at=at, username=who,
                                state=BundleState.CREATED, note=""))
        session.add(BundleEvent(bundle_id=bundle.id, at=at, username=who,
                                state=BundleState.COPIED, note=note))
        bundle.state, bundle.updated_at = BundleState.COPIED, at
        if newer is not None:
            bundle.state, bundle.superseded_by = BundleState.SUPERSEDED, newer.id
            session.add(BundleEvent(bundle_id=bundle.id, at=now_utc(), username=who,
                                    state=BundleState.SUPERSEDED,
                                    note=f"Replaced by {newer.id}"))  # fmt: skip
        audit.detail = (f"bundle={bundle.id} type={bundle.referral_type}"
                        f"{' encrypted' if bundle.encrypted_to else ''}")  # fmt: skip
        return tuple(superseded)


def _forget(ws: Workspace, bundle_id: str, why: str) -> None:
    """A WRITING bundle whose file was never made: its row goes (the audit log keeps why)."""
    with ws.operation(Action.BUNDLE_EXPORT_FAILED, RecordType.BUNDLE, bundle_id) as (
            session, audit):  # fmt: skip
        bundle = session.get(Bundle, bundle_id)
        if bundle is None or bundle.state != BundleState.WRITING:
            return
        audit.record_type = bundle.bundle_type
        audit.record_id = str(bundle.referral_id or bundle.person_id)
        audit.detail = f"bundle={bundle_id} {why}"
        session.execute(delete(BundleEvent).where(BundleEvent.bundle_id == bundle_id))
        session.delete(bundle)


def _leftovers(folder: Path, name: str) -> list[Path]:
    """Temporary files `write_atomic` makes beside `name` (.NAME.xxxx.part)."""
    try:
        return [p for p in folder.iterdir()
                if p.name.startswith(f".{name}.") and p.name.endswith(".part")]  # fmt: skip
    except OSError:
        return []


def _sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def reconcile_outbox(ws: Workspace) -> int:
    """Settle the exports that stopped half-way (a crash, a kill, a power cut); how many.

    For each WRITING row whose export is not running any more (its lock is free): if its file
    is in its folder and has the recorded hash, the export is confirmed as if it had finished;
    if the folder is there but the file is not (or is not whole), the row and any damaged file
    are removed. Temporary `.part` files of that bundle are removed either way. A row whose
    folder cannot be reached (the drive is not plugged in) stays WRITING, shown as
    "Not confirmed", and is looked at again next time.
    """
    with ws.read() as session:
        pending = list(session.scalars(select(Bundle).where(
            Bundle.state == BundleState.WRITING)))  # fmt: skip
    settled = 0
    for row in pending:
        lock = ws.data_dir / LOCKS_DIRNAME / f"{row.id}.lock"
        fd: int | None = None
        if lock.exists():
            try:
                fd = os.open(lock, os.O_RDWR)
            except OSError:
                continue
            if not _try_lock(fd):
                os.close(fd)
                continue  # its export is still running, in this process or another
        try:
            folder = Path(row.location)
            if not folder.is_dir():
                continue
            path = folder / row.file_name
            for part in _leftovers(folder, row.file_name):
                part.unlink(missing_ok=True)
            if path.exists() and _sha256_of(path) == row.sha256:
                _confirm(ws, row.id, f"Written to {folder}; confirmed after an interruption")
            else:
                path.unlink(missing_ok=True)
                _forget(ws, row.id, "not written (interrupted)")
            settled += 1
        finally:
            if fd is not None:
                with contextlib.suppress(OSError):
                    lock.unlink()
                os.close(fd)
    _sweep_locks(ws, {row.id for row in pending})
    return settled


def _sweep_locks(ws: Workspace, pending: set[str]) -> None:
    """Remove the lock files of exports that stopped before recording anything."""
    with contextlib.suppress(OSError):
        for lock in (ws.data_dir / LOCKS_DIRNAME).glob("*.lock"):
            if lock.stem in pending:
                continue
            fd = os.open(lock, os.O_RDWR)
            try:
                if _try_lock(fd):
                    lock.unlink(missing_ok=True)
            finally:
                os.close(fd)


# --- the outbox -------------------------------------------------------------------------------

@dataclass(frozen=True)
class OutboxEntry:
    bundle_id: str
    bundle_type: str
    referral_id: int | None
    person_id: int
    prison_number: str
    referral_type: str
    file_name: str
    location: str
    recipient: str
    encrypted_to: str
    state: str
    superseded_by: str | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    sha256: str
    size: int
    events: tuple[tuple[datetime, str, str, str], ...]  # at, who, state, note


def outbox(ws: Workspace, person_id: int | None = None) -> list[OutboxEntry]:
    """Every bundle made here, newest first, with where it went and what happened since."""
    ws.require(Permission.VIEW_PEOPLE)
    reconcile_outbox(ws)
    query = (select(Bundle, Person.prison_number).join(Person, Person.id == Bundle.person_id)
             .order_by(Bundle.created_at.desc()))
    if person_id is not None:
        query = query.where(Bundle.person_id == person_id)
    with ws.read() as session:
        rows = session.execute(query).all()
        events: dict[str, list[tuple[datetime, str, str, str]]] = {}
        ids = [b.id for b, _n in rows]
        if ids:
            for e in session.scalars(select(BundleEvent).where(BundleEvent.bundle_id.in_(ids))
                                     .order_by(BundleEvent.at, BundleEvent.id)):
                events.setdefault(e.bundle_id, []).append((e.at, e.username, e.state, e.note))
        return [OutboxEntry(b.id, b.bundle_type, b.referral_id, b.person_id, number,
                            b.referral_type, b.file_name, b.location, b.recipient,
                            b.encrypted_to, b.state, b.superseded_by, b.created_at,
                            b.created_by, b.updated_at, b.sha256, b.size,
                            tuple(events.get(b.id, ()))) for b, number in rows]  # fmt: skip


def mark(ws: Workspace, bundle_id: str, state: str, note: str = "",
         on: datetime | None = None) -> None:  # fmt: skip
    """Record what happened to a bundle after it left: uploaded, acknowledged or withdrawn."""
    ws.require(Permission.EXPORT)
    wanted = BundleState.__members__.get(state.upper())
    if wanted is None or wanted not in MARKABLE:
        raise UserError(f"A bundle can be marked {', '.join(s.lower() for s in MARKABLE)}.")
    at = on or now_utc()
    if at > now_utc() + timedelta(minutes=5):
        raise UserError("That time is in the future.")
    with ws.operation(_MARK_ACTIONS[wanted], RecordType.BUNDLE, bundle_id) as (session, _audit):
        row = session.get(Bundle, _full_id(session, bundle_id))
        assert row is not None
        if row.state not in MARKABLE[wanted]:
            raise UserError(f"This bundle is {STATES[row.state].lower()}: it cannot be marked "
                            f"{STATES[wanted].lower()}.")  # fmt: skip
        if wanted == BundleState.WITHDRAWN and not note.strip():
            raise UserError("Say why the bundle is withdrawn.")
        row.state, row.updated_at = wanted, at
        session.add(BundleEvent(bundle_id=row.id, at=at, username=ws.user.username,
                                state=wanted, note=note.strip()))  # fmt: skip


def _full_id(session: Session, bundle_id: str) -> str:
    """A bundle's id from its full UUID or the short id in its file name."""
    matches = list(session.scalars(select(Bundle.id).where(Bundle.id.startswith(
        bundle_id.strip().lower()))))  # fmt: skip
    if len(matches) != 1:
        raise NotFound(f"There is no bundle {bundle_id}." if not matches
                       else f"{bundle_id} matches more than one bundle: give more of its id.")
    return matches[0]


# --- verifying --------------------------------------------------------------------------------

def verify_file(path: Path, trust_pem: bytes | None = None) -> fmt.VerifiedBundle:
    """Check a bundle file as a recipient would (no database needed)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"There is no file {path}.") from None
    except OSError as exc:
        raise UserError(f"{path} cannot be read: {exc.strerror or type(exc).__name__}.") from None
    return fmt.verify(data, trust=certificate(trust_pem), payload_check=schemas.check_payload)


def bundle_summary(verified: fmt.VerifiedBundle) -> dict[str, object]:
    m = verified.manifest
    return {"ok": True, "bundle_id": m.get("bundle_id"), "bundle_type": m.get("bundle_type"),
            "referral_type": m.get("referral_type"), "created_at": m.get("created_at"),
            "created_by": m.get("created_by"), "establishment": m.get("establishment"),
            "recipient": m.get("recipient"), "signer": verified.signer,
            "signer_fingerprint_sha256": verified.fingerprint,
            "signed_at": verified.signing_time.isoformat() if verified.signing_time else None,
            "members": [e["name"] for e in m.get("members", [])]}  # fmt: skip

