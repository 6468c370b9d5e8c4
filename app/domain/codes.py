"""Every code the database stores, as a type.

A code written as a bare string drifts: needs were stored "accepted" while the bundle filtered
"ACCEPTED", and every referral bundle said "Support needs: None recorded". Each family of codes
is one `StrEnum` here (or beside the rules that own it: `roles.Role`,
`audit_actions.Action`), the ORM columns that hold them are typed with it
(app.store.models.CodeColumn), and app.store.code_check finds any stored value an enum does not
know. The values are exactly what was stored before these types existed, so no data changes and
JSON, CSV and bundle outputs keep their names (they are a contract with other teams).

Pure: no I/O, no imports beyond the standard library.
"""

from __future__ import annotations

from enum import StrEnum

# --- people -------------------------------------------------------------------------------------


class CustodyStatus(StrEnum):
    REMAND = "REMAND"
    CONVICTED_UNSENTENCED = "CONVICTED_UNSENTENCED"
    SENTENCED = "SENTENCED"
    RECALL = "RECALL"


class ReleaseType(StrEnum):
    """How she leaves; stored "" while not yet known (CodeColumn allows blank)."""

    CRD_LICENCE = "CRD_LICENCE"
    HDC = "HDC"
    PAROLE = "PAROLE"
    END_OF_SENTENCE = "END_OF_SENTENCE"
    RECALL_END = "RECALL_END"
    COURT_BAIL = "COURT_BAIL"
    COURT_DISCHARGE = "COURT_DISCHARGE"
    IMMIGRATION = "IMMIGRATION"
    OTHER = "OTHER"


class MappaLevel(StrEnum):
    """Stored "" when she is not a MAPPA case."""

    LEVEL_1 = "1"
    LEVEL_2 = "2"
    LEVEL_3 = "3"


# --- screening ----------------------------------------------------------------------------------


class ScreeningKind(StrEnum):
    BCST1 = "BCST1"
    BCST2 = "BCST2"


class ScreeningStatus(StrEnum):
    """NOT_STARTED is never stored (no row yet) but is what a screening shows as."""

    NOT_STARTED = "NOT_STARTED"
    DRAFT = "DRAFT"
    COMPLETED = "COMPLETED"
    SKIPPED = "SKIPPED"


class SkipReason(StrEnum):
    """HMPPS's reasons a screening is not done here; stored "" unless skipped."""

    COMPLETED_IN_OASYS = "COMPLETED_IN_OASYS"
    COMPLETED_IN_ANOTHER_PRISON = "COMPLETED_IN_ANOTHER_PRISON"
    EARLY_RELEASE = "EARLY_RELEASE"
    TRANSFER = "TRANSFER"
    OTHER = "OTHER"


class ScreeningChangeAction(StrEnum):
    COMPLETED = "completed"
    AMENDED = "amended"


# --- needs and the plan -------------------------------------------------------------------------


class Pathway(StrEnum):
    ACCOMMODATION = "ACCOMMODATION"
    ATTITUDES_THINKING_AND_BEHAVIOUR = "ATTITUDES_THINKING_AND_BEHAVIOUR"
    CHILDREN_FAMILIES_AND_COMMUNITY = "CHILDREN_FAMILIES_AND_COMMUNITY"
    DRUGS_AND_ALCOHOL = "DRUGS_AND_ALCOHOL"
    EDUCATION_SKILLS_AND_WORK = "EDUCATION_SKILLS_AND_WORK"
    FINANCE_AND_ID = "FINANCE_AND_ID"
    HEALTH = "HEALTH"


class Owner(StrEnum):
    """Who carries a need or a plan task."""

    PRISON = "PRISON"
    PROBATION = "PROBATION"
    CRS_PROVIDER = "CRS_PROVIDER"


class NeedStatus(StrEnum):
    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    MET = "MET"
    DECLINED = "DECLINED"


class NeedReview(StrEnum):
    """Staff's decision on a need a rule proposed (stored lower case, as it always was)."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class TaskStatus(StrEnum):
    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


# --- consent and referrals ----------------------------------------------------------------------


class ReferralType(StrEnum):
    DUTY_TO_REFER = "DUTY_TO_REFER"
    CRS = "CRS"
    CAS3 = "CAS3"
    SUPPORTED_HOUSING = "SUPPORTED_HOUSING"
    OTHER = "OTHER"


class ReferralStatus(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    ACCEPTED = "ACCEPTED"
    NOT_ACCEPTED = "NOT_ACCEPTED"
    WITHDRAWN = "WITHDRAWN"


class CouncilChoice(StrEnum):
    """Why a duty to refer goes to this council; "" for other referral types."""

    LOCAL_CONNECTION = "LOCAL_CONNECTION"
    OTHER_COUNCIL = "OTHER_COUNCIL"


class DtrOutcome(StrEnum):
    """The council's decision on a duty to refer; "" until one is recorded."""

    PENDING = "PENDING"
    PREVENTION_AND_RELIEF_DUTY = "PREVENTION_AND_RELIEF_DUTY"
    PRIORITY_NEED = "PRIORITY_NEED"
    NO_LOCAL_CONNECTION = "NO_LOCAL_CONNECTION"
    INTENTIONALLY_HOMELESS = "INTENTIONALLY_HOMELESS"
    REJECTED_FOR_ANOTHER_REASON = "REJECTED_FOR_ANOTHER_REASON"


class WithdrawalReason(StrEnum):
    NEW_REFERRAL = "NEW_REFERRAL"
    INCORRECT_LOCAL_AUTHORITY = "INCORRECT_LOCAL_AUTHORITY"
    NO_CONSENT = "NO_CONSENT"
    DISENGAGED = "DISENGAGED"
    HOUSING_NEED_RESOLVED = "HOUSING_NEED_RESOLVED"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    OTHER = "OTHER"


class CrsService(StrEnum):
    ACCOMMODATION = "ACCOMMODATION"
    WOMENS_SERVICES = "WOMENS_SERVICES"
    PERSONAL_WELLBEING = "PERSONAL_WELLBEING"
    ETE = "ETE"


class CrsComplexity(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class ReferralEventAction(StrEnum):
    CREATED = "created"
    UPDATED = "updated"


class ConsentScope(StrEnum):
    """What her consent covers: any referral, or one referral type (same values)."""

    ALL = "ALL"
    DUTY_TO_REFER = "DUTY_TO_REFER"
    CRS = "CRS"
    CAS3 = "CAS3"
    SUPPORTED_HOUSING = "SUPPORTED_HOUSING"
    OTHER = "OTHER"


class ConsentMethod(StrEnum):
    VERBAL = "VERBAL"
    SIGNED_FORM = "SIGNED_FORM"
    INTERPRETER = "INTERPRETER"


# --- release day and outcomes -------------------------------------------------------------------


class ChecklistState(StrEnum):
    OPEN = "OPEN"
    DONE = "DONE"
    NOT_NEEDED = "NOT_NEEDED"
    BLOCKED = "BLOCKED"


class ChecklistItemCode(StrEnum):
    """Which release-day item a checklist row is; OTHER for items staff add by hand."""

    SLEEP_TONIGHT = "SLEEP_TONIGHT"
    TRANSPORT = "TRANSPORT"
    MET_AT_GATE = "MET_AT_GATE"
    PROBATION_REPORTING = "PROBATION_REPORTING"
    ID_RETURNED = "ID_RETURNED"
    BANK_CARD = "BANK_CARD"
    BENEFITS = "BENEFITS"
    MEDICATION = "MEDICATION"
    GP = "GP"
    PHONE = "PHONE"
    CLOTHING = "CLOTHING"
    DISCHARGE_GRANT = "DISCHARGE_GRANT"
    CHILDRENS_SOCIAL_CARE = "CHILDRENS_SOCIAL_CARE"
    INFO_SHEETS = "INFO_SHEETS"
    EMERGENCY_CONTACTS = "EMERGENCY_CONTACTS"
    EMERGENCY_ACCOMMODATION = "EMERGENCY_ACCOMMODATION"
    OTHER = "OTHER"


class ChecklistEventAction(StrEnum):
    GENERATED = "generated"
    ITEM_ADDED = "item_added"
    ITEM_CHANGED = "item_changed"
    SIGNED_OFF = "signed_off"


class AccommodationCode(StrEnum):
    """nDelius accommodation codes for where she went on release (labels in release_day)."""

    A01A = "A01A"
    A01C = "A01C"
    A01D = "A01D"
    A04 = "A04"
    A12 = "A12"
    A07B = "A07B"
    A07A = "A07A"
    A03 = "A03"
    A10 = "A10"
    A11 = "A11"
    A13 = "A13"
    A14 = "A14"
    A15 = "A15"
    A02 = "A02"
    A16 = "A16"
    A17 = "A17"
    A08A = "A08A"
    A08C = "A08C"
    A08 = "A08"
    NFA = "NFA"
    UNKNOWN = "UNKNOWN"


class ContactMethod(StrEnum):
    PHONE = "PHONE"
    VISIT = "VISIT"
    LETTER = "LETTER"
    OTHER = "OTHER"


# --- information sheets -------------------------------------------------------------------------


class SheetMethod(StrEnum):
    PRINTED = "PRINTED"
    PDF = "PDF"


class TranslationStatus(StrEnum):
    """A translation's review state when the sheet was given; English is the "source"."""

    DRAFT = "draft"
    REVIEWED = "reviewed"
    SOURCE = "source"


# --- signing and the outbox ---------------------------------------------------------------------


class IdentitySource(StrEnum):
    GENERATED = "GENERATED"
    IMPORTED = "IMPORTED"


class BundleType(StrEnum):
    REFERRAL = "referral"
    TRANSFER = "transfer"


class BundleKind(StrEnum):
    """What a bundle carries: a referral type, or a transfer (bundles.referral_type)."""

    DUTY_TO_REFER = "DUTY_TO_REFER"
    CRS = "CRS"
    CAS3 = "CAS3"
    SUPPORTED_HOUSING = "SUPPORTED_HOUSING"
    OTHER = "OTHER"
    TRANSFER = "TRANSFER"


class BundleState(StrEnum):
    WRITING = "WRITING"  # recorded before its file is written; see services.bundles.deliver
    CREATED = "CREATED"
    COPIED = "COPIED"
    UPLOADED = "UPLOADED"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    WITHDRAWN = "WITHDRAWN"
    SUPERSEDED = "SUPERSEDED"
