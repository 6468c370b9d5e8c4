"""Tables. Every schema change after the first release goes through an Alembic migration."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.domain.audit_actions import Action, RecordType
from app.domain.codes import (
    AccommodationCode,
    BundleKind,
    BundleState,
    BundleType,
    ChecklistEventAction,
    ChecklistItemCode,
    ChecklistState,
    ConsentMethod,
    ConsentScope,
    ContactMethod,
    CouncilChoice,
    CrsComplexity,
    CrsService,
    CustodyStatus,
    DtrOutcome,
    IdentitySource,
    MappaLevel,
    NeedReview,
    NeedStatus,
    Owner,
    Pathway,
    ReferralEventAction,
    ReferralStatus,
    ReferralType,
    ReleaseType,
    ScreeningChangeAction,
    ScreeningKind,
    ScreeningStatus,
    SheetMethod,
    SkipReason,
    TaskStatus,
    TranslationStatus,
    WithdrawalReason,
)
from app.domain.roles import Role


class UTCDateTime(TypeDecorator[datetime]):
    """Store instants as naive UTC, hand back aware UTC: a wall-clock time is never stored."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class UnknownCode(ValueError):
    """A stored or given value its code type does not know: a bug or a damaged database."""


class CodeColumn(TypeDecorator[StrEnum]):
    """A String column that holds one code family: writes `.value`, reads back the enum.

    The database type stays a plain String of the same length (no migration, Alembic sees no
    change); what changes is that a value the enum does not know is refused on the way in and
    reported loudly on the way out, instead of quietly matching nothing. `blank=True` for the
    columns that store "" for "none yet" (returned as "", not as an enum member).
    """

    impl = String
    cache_ok = True

    def __init__(self, codes: type[StrEnum], length: int, *, blank: bool = False) -> None:
        super().__init__(length)
        self.codes = codes
        self.blank = blank

    def _code(self, value: object) -> StrEnum | str:
        if self.blank and value == "":
            return ""
        try:
            return self.codes(value)
        except ValueError:
            raise UnknownCode(f"{value!r} is not a known {self.codes.__name__} "
                              f"(one of: {', '.join(m.value for m in self.codes)})") from None

    def process_bind_param(self, value: object, dialect: Any) -> str | None:
        if value is None:
            return None
        return str(self._code(value))

    def process_result_value(self, value: str | None, dialect: Any) -> StrEnum | str | None:
        return None if value is None else self._code(value)


class Base(DeclarativeBase):
    pass


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(120), nullable=False)
    role: Mapped[Role] = mapped_column(CodeColumn(Role, 32), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    must_change_passphrase: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    last_unlock_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prison_number: Mapped[str] = mapped_column(String(7), unique=True, nullable=False)
    family_name: Mapped[str] = mapped_column(String(100), nullable=False)
    given_names: Mapped[str] = mapped_column(String(150), nullable=False)
    aliases: Mapped[str] = mapped_column(Text, nullable=False, default="")
    date_of_birth: Mapped[date] = mapped_column(Date, nullable=False)
    nationality: Mapped[str] = mapped_column(String(8), nullable=False)
    first_language: Mapped[str] = mapped_column(String(16), nullable=False)
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    custody_status: Mapped[CustodyStatus] = mapped_column(CodeColumn(CustodyStatus, 32),
                                                          nullable=False)
    reception_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    release_date: Mapped[date | None] = mapped_column(Date)
    release_time: Mapped[time | None] = mapped_column(Time)
    release_type: Mapped[str] = mapped_column(CodeColumn(ReleaseType, 32, blank=True),
                                              nullable=False, default="")
    home_local_authority: Mapped[str] = mapped_column(String(9), nullable=False, default="")
    mappa_level: Mapped[str] = mapped_column(CodeColumn(MappaLevel, 8, blank=True),
                                             nullable=False, default="")
    pom_name: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    cpp_name: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    key_worker_name: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __table_args__ = (
        Index("ix_people_release_date", "release_date"),
        Index("ix_people_family_name", "family_name"),
    )
    __mapper_args__ = {"version_id_col": version}


class AuditEntry(Base):
    """Who did what to which record, and when. Never the personal data itself."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[Action] = mapped_column(CodeColumn(Action, 40), nullable=False, index=True)
    record_type: Mapped[str] = mapped_column(CodeColumn(RecordType, 40, blank=True),
                                             nullable=False, default="")
    record_id: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Screening(Base):
    """One BCST1 or BCST2 for one woman: a draft until completed; answers as JSON by id."""

    __tablename__ = "screenings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False)
    kind: Mapped[ScreeningKind] = mapped_column(CodeColumn(ScreeningKind, 8), nullable=False)
    questionnaire_version: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[ScreeningStatus] = mapped_column(CodeColumn(ScreeningStatus, 12), nullable=False)
    answers: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    started_by: Mapped[str] = mapped_column(String(64), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_by: Mapped[str] = mapped_column(String(64), nullable=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by: Mapped[str | None] = mapped_column(String(64))
    skip_reason: Mapped[str] = mapped_column(CodeColumn(SkipReason, 32, blank=True),
                                             nullable=False, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __table_args__ = (
        Index("ux_screenings_person_kind", "person_id", "kind", unique=True),
        # Covers the induction queue's join, so it never reads the (large) answers column.
        Index("ix_screenings_queue", "person_id", "kind", "completed_at", "status"),
    )
    __mapper_args__ = {"version_id_col": version}


class ScreeningChange(Base):
    """Completion and every amendment: who, when, and each answer before and after (JSON)."""

    __tablename__ = "screening_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("screenings.id"), nullable=False,
                                              index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[ScreeningChangeAction] = mapped_column(CodeColumn(ScreeningChangeAction, 16),
                                                          nullable=False)
    changes: Mapped[str] = mapped_column(Text, nullable=False, default="{}")


class SupportNeed(Base):
    __tablename__ = "support_needs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(64), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    pathway: Mapped[Pathway] = mapped_column(CodeColumn(Pathway, 40), nullable=False)
    owner: Mapped[Owner] = mapped_column(CodeColumn(Owner, 16), nullable=False)
    status: Mapped[NeedStatus] = mapped_column(CodeColumn(NeedStatus, 16), nullable=False)
    review: Mapped[NeedReview] = mapped_column(CodeColumn(NeedReview, 12), nullable=False)
    decline_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    rule_id: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_by: Mapped[str] = mapped_column(String(64), nullable=False)

    __table_args__ = (Index("ux_support_needs_person_code", "person_id", "code", unique=True),)


class NeedAction(Base):
    __tablename__ = "need_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("support_needs.id"), nullable=False,
                                         index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    due_date: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ClosureDay(Base):
    """A day the team does not work (besides weekends and bank holidays)."""

    __tablename__ = "closure_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class Plan(Base):
    """The pre-release resettlement plan: one per woman, opened at 12 weeks or earlier."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False, unique=True)
    started_on: Mapped[date] = mapped_column(Date, nullable=False)
    started_by: Mapped[str] = mapped_column(String(64), nullable=False)
    handover_to: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    handover_on: Mapped[date | None] = mapped_column(Date)
    cpp_allocated_on: Mapped[date | None] = mapped_column(Date)
    tenancy_advice_offered_on: Mapped[date | None] = mapped_column(Date)
    accommodation_identified_on: Mapped[date | None] = mapped_column(Date)
    accommodation_summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    dtr_needed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    crs_needed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_by: Mapped[str] = mapped_column(String(64), nullable=False)


class PlanTask(Base):
    __tablename__ = "plan_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), nullable=False, index=True)
    pathway: Mapped[Pathway] = mapped_column(CodeColumn(Pathway, 40), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    owner: Mapped[Owner] = mapped_column(CodeColumn(Owner, 16), nullable=False)
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[TaskStatus] = mapped_column(CodeColumn(TaskStatus, 16), nullable=False)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    source: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_by: Mapped[str] = mapped_column(String(64), nullable=False)


class Consent(Base):
    """Her consent to share her data: what, with whom, when, how, recorded by whom; withdrawal."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False, index=True)
    scope: Mapped[ConsentScope] = mapped_column(CodeColumn(ConsentScope, 32), nullable=False)
    shared_with: Mapped[str] = mapped_column(String(200), nullable=False)
    given_on: Mapped[date] = mapped_column(Date, nullable=False)
    method: Mapped[ConsentMethod] = mapped_column(CodeColumn(ConsentMethod, 16), nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(64), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_by: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Referral(Base):
    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False, index=True)
    type: Mapped[ReferralType] = mapped_column(CodeColumn(ReferralType, 24), nullable=False)
    status: Mapped[ReferralStatus] = mapped_column(CodeColumn(ReferralStatus, 16), nullable=False)
    council_code: Mapped[str] = mapped_column(String(9), nullable=False, default="")
    council_choice: Mapped[str] = mapped_column(CodeColumn(CouncilChoice, 24, blank=True),
                                                nullable=False, default="")
    other_council_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    reference: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    submitted_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(CodeColumn(DtrOutcome, 40, blank=True),
                                         nullable=False, default="")
    outcome_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_reason: Mapped[str] = mapped_column(CodeColumn(WithdrawalReason, 40, blank=True),
                                                   nullable=False, default="")
    provider: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    crs_service: Mapped[str] = mapped_column(CodeColumn(CrsService, 40, blank=True),
                                             nullable=False, default="")
    complexity: Mapped[str] = mapped_column(CodeColumn(CrsComplexity, 8, blank=True),
                                            nullable=False, default="")
    desired_outcomes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    consent_exception: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_by: Mapped[str] = mapped_column(String(64), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class ReferralEvent(Base):
    __tablename__ = "referral_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), nullable=False,
                                             index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[ReferralEventAction] = mapped_column(CodeColumn(ReferralEventAction, 24),
                                                        nullable=False)
    changes: Mapped[str] = mapped_column(Text, nullable=False, default="{}")


class CourtDate(Base):
    """A remanded woman's hearing: a possible release point when her date is unknown."""

    __tablename__ = "court_dates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False, index=True)
    hearing_on: Mapped[date] = mapped_column(Date, nullable=False)
    court: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Transfer(Base):
    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False, unique=True)
    transferred_on: Mapped[date] = mapped_column(Date, nullable=False)
    destination: Mapped[str] = mapped_column(String(200), nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(64), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class ReleaseChecklist(Base):
    """The release-day checklist: generated from her plan and needs, then worked and signed off."""

    __tablename__ = "release_checklists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False, unique=True)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    generated_by: Mapped[str] = mapped_column(String(64), nullable=False)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_off_by: Mapped[str | None] = mapped_column(String(64))


class ChecklistItem(Base):
    __tablename__ = "checklist_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("release_checklists.id"),
                                              nullable=False, index=True)
    code: Mapped[ChecklistItemCode] = mapped_column(CodeColumn(ChecklistItemCode, 40),
                                                    nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    state: Mapped[ChecklistState] = mapped_column(CodeColumn(ChecklistState, 12), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    details: Mapped[str] = mapped_column(Text, nullable=False, default="")
    required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_by: Mapped[str] = mapped_column(String(64), nullable=False)


class ChecklistEvent(Base):
    """Every change to a checklist; those after sign-off are marked as such."""

    __tablename__ = "checklist_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("release_checklists.id"),
                                              nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[ChecklistEventAction] = mapped_column(CodeColumn(ChecklistEventAction, 24),
                                                         nullable=False)
    changes: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    after_sign_off: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class ReleaseOutcome(Base):
    """Where she went on release (nDelius accommodation code), and whether it lasted 12 weeks."""

    __tablename__ = "release_outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False, unique=True)
    released_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    accommodation_code: Mapped[AccommodationCode] = mapped_column(CodeColumn(AccommodationCode, 8),
                                                    nullable=False)
    address: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(64), nullable=False)
    sustained_12_weeks: Mapped[bool | None] = mapped_column(Boolean)
    sustained_recorded_on: Mapped[date | None] = mapped_column(Date)
    sustained_notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Why she left on another day than her recorded release date (asked when > 1 day apart).
    date_change_reason: Mapped[str] = mapped_column(Text, nullable=False, default="",
                                                    server_default="")


class SupportContact(Base):
    """A post-release support contact in the first three months."""

    __tablename__ = "support_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False, index=True)
    contacted_on: Mapped[date] = mapped_column(Date, nullable=False)
    method: Mapped[ContactMethod] = mapped_column(CodeColumn(ContactMethod, 24), nullable=False)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_by: Mapped[str] = mapped_column(String(64), nullable=False)


class DirectoryService(Base):
    """A service in the team's directory: the only source of contact details on sheets."""

    __tablename__ = "service_directory"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation: Mapped[str] = mapped_column(String(120), nullable=False)
    service: Mapped[str] = mapped_column(String(160), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(24), nullable=False, default="")
    address: Mapped[str] = mapped_column(Text, nullable=False, default="")
    hours: Mapped[str] = mapped_column(String(160), nullable=False, default="")
    languages: Mapped[str] = mapped_column(Text, nullable=False, default="")  # space-separated
    topics: Mapped[str] = mapped_column(Text, nullable=False, default="")  # space-separated
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_by: Mapped[str] = mapped_column(String(64), nullable=False)


class SheetGiven(Base):
    """An information sheet given to her: which, in which language, when, by whom, how."""

    __tablename__ = "sheets_given"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False, index=True)
    sheet_id: Mapped[str] = mapped_column(String(40), nullable=False)
    language: Mapped[str] = mapped_column(String(16), nullable=False)
    bilingual: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    review_status: Mapped[TranslationStatus] = mapped_column(CodeColumn(TranslationStatus, 12),
                                                             nullable=False)
    method: Mapped[SheetMethod] = mapped_column(CodeColumn(SheetMethod, 12), nullable=False)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    given_by: Mapped[str] = mapped_column(String(64), nullable=False)


class SigningIdentity(Base):
    """The team's signing certificate and key (inside the encrypted database only)."""

    __tablename__ = "signing_identities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[IdentitySource] = mapped_column(CodeColumn(IdentitySource, 12), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    certificate_pem: Mapped[str] = mapped_column(Text, nullable=False)
    key_pem: Mapped[str] = mapped_column(Text, nullable=False)
    not_after: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Bundle(Base):
    """A signed bundle that was made: the outbox. Its file may be anywhere by now."""

    __tablename__ = "bundles"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the bundle's UUID
    bundle_type: Mapped[BundleType] = mapped_column(CodeColumn(BundleType, 12), nullable=False)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False, index=True)
    referral_type: Mapped[BundleKind] = mapped_column(CodeColumn(BundleKind, 24), nullable=False)
    file_name: Mapped[str] = mapped_column(String(200), nullable=False)
    location: Mapped[str] = mapped_column(Text, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    recipient: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    encrypted_to: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    signer_fingerprint: Mapped[str] = mapped_column(String(100), nullable=False)
    state: Mapped[BundleState] = mapped_column(CodeColumn(BundleState, 16), nullable=False)
    superseded_by: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class BundleEvent(Base):
    """Every change of a bundle's state: who, when, and a note (where it went, why withdrawn)."""

    __tablename__ = "bundle_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_id: Mapped[str] = mapped_column(ForeignKey("bundles.id"), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    state: Mapped[BundleState] = mapped_column(CodeColumn(BundleState, 16), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
