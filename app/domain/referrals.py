"""Referrals that leave the prison: duty to refer, CRS, CAS3, supported housing, other.

Pure rules: `problems` refuses a record, `warnings` only advises. Codes follow the HMPPS
services named in DOMAIN.md so exports map cleanly. `today` comes in through the context.

Consent (DOMAIN.md: consent must be recorded before any referral that shares her data):
once a referral is SUBMITTED or later, consent must have been given and not withdrawn
before the submission date (a withdrawal dated before the consent date means consent was
given again). `consent_exception` lifts these consent checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.codes import (
    ConsentMethod,
    ConsentScope,
    CouncilChoice,
    CrsComplexity,
    CrsService,
    CustodyStatus,
    DtrOutcome,
    ReferralStatus,
    ReferralType,
    WithdrawalReason,
)
from app.domain.reference import local_authorities

# ReferralType and ReferralStatus live in app.domain.codes with every other stored code; callers
# that know them from here (referrals.ReferralType) keep working.

TYPE_LABELS: dict[str, str] = {
    ReferralType.DUTY_TO_REFER: "Duty to refer",
    ReferralType.CRS: "CRS referral",
    ReferralType.CAS3: "CAS3 (transitional accommodation)",
    ReferralType.SUPPORTED_HOUSING: "Supported housing",
    ReferralType.OTHER: "Other",
}

STATUSES = tuple(ReferralStatus)
SENT_STATUSES = frozenset(set(ReferralStatus) - {ReferralStatus.DRAFT})
STATUS_LABELS: dict[str, str] = {
    ReferralStatus.DRAFT: "Draft",
    ReferralStatus.SUBMITTED: "Submitted",
    ReferralStatus.ACCEPTED: "Accepted",
    ReferralStatus.NOT_ACCEPTED: "Not accepted",
    ReferralStatus.WITHDRAWN: "Withdrawn",
}

DTR_OUTCOMES: dict[str, str] = {
    DtrOutcome.PENDING: "Pending",
    DtrOutcome.PREVENTION_AND_RELIEF_DUTY: "Prevention and relief duty owed",
    DtrOutcome.PRIORITY_NEED: "Priority need",
    DtrOutcome.NO_LOCAL_CONNECTION: "No local connection",
    DtrOutcome.INTENTIONALLY_HOMELESS: "Intentionally homeless",
    DtrOutcome.REJECTED_FOR_ANOTHER_REASON: "Rejected for another reason",
}

WITHDRAWAL_REASONS: dict[str, str] = {
    WithdrawalReason.NEW_REFERRAL: "A new referral replaces this one",
    WithdrawalReason.INCORRECT_LOCAL_AUTHORITY: "Sent to the wrong council",
    WithdrawalReason.NO_CONSENT: "She did not consent",
    WithdrawalReason.DISENGAGED: "She disengaged",
    WithdrawalReason.HOUSING_NEED_RESOLVED: "Her housing need was resolved",
    WithdrawalReason.NOT_ELIGIBLE: "Not eligible",
    WithdrawalReason.OTHER: "Other",
}

COUNCIL_CHOICE: dict[str, str] = {
    CouncilChoice.LOCAL_CONNECTION: "Local connection",
    CouncilChoice.OTHER_COUNCIL: "Another council (reason required)",
}

CRS_COMPLEXITY: dict[str, str] = {CrsComplexity.LOW: "Low", CrsComplexity.MEDIUM: "Medium",
                                  CrsComplexity.HIGH: "High"}

CRS_SERVICES: dict[str, str] = {
    CrsService.ACCOMMODATION: "Accommodation",
    CrsService.WOMENS_SERVICES: "Women's services",
    CrsService.PERSONAL_WELLBEING: "Personal wellbeing",
    CrsService.ETE: "Education, training and employment",
}

CONSENT_METHODS: dict[str, str] = {
    ConsentMethod.VERBAL: "Verbally",
    ConsentMethod.SIGNED_FORM: "Signed form",
    ConsentMethod.INTERPRETER: "Through an interpreter",
}

CONSENT_SCOPES: dict[str, str] = {
    ConsentScope.ALL: "Any housing or resettlement referral",
    **{ConsentScope(t.value): f"{t.value.replace('_', ' ').title()} referral"
       for t in ReferralType},
}

DTR_EXPIRY_DAYS = 182  # 26 weeks

# Coded draft fields that may be blank ("" when they do not apply): a value, if given, must be
# one its type knows, whatever the referral type, or the database would refuse it.
_CODED_FIELDS = {"council_choice": CouncilChoice, "outcome": DtrOutcome,
                 "withdrawal_reason": WithdrawalReason, "crs_service": CrsService,
                 "complexity": CrsComplexity}

_NOT_SENTENCED = frozenset({CustodyStatus.REMAND, CustodyStatus.CONVICTED_UNSENTENCED})


@dataclass(frozen=True)
class ReferralDraft:
    type: str
    status: str = ReferralStatus.DRAFT
    council_code: str = ""  # duty to refer
    council_choice: str = ""
    other_council_reason: str = ""
    reference: str = ""
    submitted_on: date | None = None
    outcome: str = ""
    outcome_on: date | None = None
    withdrawal_reason: str = ""
    provider: str = ""
    crs_service: str = ""
    complexity: str = ""
    desired_outcomes: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ReferralContext:
    custody_status: str
    nrpf: bool
    consent_given_on: date | None
    consent_withdrawn_on: date | None
    consent_exception: bool
    today: date
    has_dtr_submitted: bool
    has_crs_submitted: bool


def _uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _consent_problem(draft: ReferralDraft, ctx: ReferralContext) -> str | None:
    """Why her consent does not cover this submission, or None."""
    given, withdrawn, sent = ctx.consent_given_on, ctx.consent_withdrawn_on, draft.submitted_on
    if given is None:
        return "Record her consent before marking this submitted."
    if sent is None:
        return None
    if sent < given:
        return None  # reported on submitted_on as "submitted before consent"
    if withdrawn is not None and given <= withdrawn < sent:
        return f"Her consent was withdrawn on {_uk(withdrawn)}, before this was submitted."
    return None


def problems(draft: ReferralDraft, ctx: ReferralContext) -> dict[str, str]:
    """Field -> plain message for every rule the draft breaks; empty when it may be saved.

    Keys are draft field names, plus "consent" (consent gates) and "nrpf" (CAS3 and no
    recourse to public funds). CAS3 refusal for remanded/unsentenced women is under "type".
    """
    found: dict[str, str] = {}
    for name, codes in _CODED_FIELDS.items():
        value = getattr(draft, name)
        if value and value not in codes._value2member_map_:
            found[name] = "Choose from the list."
    if draft.type not in ReferralType.__members__:
        found["type"] = "Choose a referral type from the list."
    if draft.status not in STATUSES:
        found["status"] = "Choose a status from the list."
    sent = draft.status in SENT_STATUSES
    today = ctx.today

    if draft.type == ReferralType.DUTY_TO_REFER:
        if draft.council_code not in local_authorities():
            found["council_code"] = "Choose a council from the list of England and Wales."
        if draft.council_choice not in COUNCIL_CHOICE:
            found["council_choice"] = (
                "Say why this council: her local connection, or another council."
            )
        elif (draft.council_choice == CouncilChoice.OTHER_COUNCIL
              and not draft.other_council_reason.strip()):
            found["other_council_reason"] = (
                "Give the reason for referring to another council (for example, domestic abuse)."
            )

    if draft.submitted_on is not None and draft.submitted_on > today:
        found["submitted_on"] = "The submission date cannot be in the future."
    elif sent and draft.submitted_on is None:
        found["submitted_on"] = "Enter the date this was submitted."
    elif (
        draft.submitted_on is not None
        and ctx.consent_given_on is not None
        and not ctx.consent_exception
        and draft.submitted_on < ctx.consent_given_on
    ):
        found["submitted_on"] = (
            f"This was submitted before consent was recorded on {_uk(ctx.consent_given_on)}: "
            "check the dates."
        )

    if sent and not ctx.consent_exception:
        consent = _consent_problem(draft, ctx)
        if consent:
            found["consent"] = consent

    if draft.outcome_on is not None:
        if draft.outcome_on > today:
            found["outcome_on"] = "The outcome date cannot be in the future."
        elif draft.submitted_on is not None and draft.outcome_on < draft.submitted_on:
            found["outcome_on"] = "The outcome date cannot be before the submission date."

    if draft.type == ReferralType.DUTY_TO_REFER:
        if draft.outcome and draft.outcome not in DTR_OUTCOMES:
            found["outcome"] = "Choose the council's decision from the list."
        elif (draft.status in (ReferralStatus.ACCEPTED, ReferralStatus.NOT_ACCEPTED)
              and not draft.outcome):
            found["outcome"] = "Choose the council's decision."
        elif (draft.status == ReferralStatus.NOT_ACCEPTED
              and draft.outcome == DtrOutcome.PENDING):
            found["outcome"] = "A referral that was not accepted cannot have a pending decision."

    if (draft.status == ReferralStatus.WITHDRAWN
            and draft.withdrawal_reason not in WITHDRAWAL_REASONS):
        found["withdrawal_reason"] = "Choose why this referral was withdrawn."

    if draft.type == ReferralType.CAS3:
        if ctx.custody_status in _NOT_SENTENCED:
            found["type"] = "CAS3 is for sentenced women only, not remand or unsentenced women."
        if ctx.nrpf:
            found["nrpf"] = "CAS3 guidance excludes women with no recourse to public funds."

    if draft.type == ReferralType.CRS:
        if draft.crs_service not in CRS_SERVICES:
            found["crs_service"] = "Choose the CRS service."
        if draft.complexity not in CRS_COMPLEXITY:
            found["complexity"] = "Choose the complexity level."
    return found


def warnings(draft: ReferralDraft, ctx: ReferralContext) -> list[str]:
    """Advice that does not block saving."""
    found: list[str] = []
    if draft.type == ReferralType.CAS3 and not (ctx.has_dtr_submitted and ctx.has_crs_submitted):
        found.append("Submit the duty to refer and the CRS referral before CAS3.")
    if (
        draft.type == ReferralType.DUTY_TO_REFER
        and draft.submitted_on is not None
        and draft.status in (ReferralStatus.SUBMITTED, ReferralStatus.ACCEPTED)
        and dtr_expired(draft.submitted_on, ctx.today)
    ):
        found.append(
            f"This duty to refer expired on {_uk(dtr_expires_on(draft.submitted_on))} "
            "(26 weeks after submission): make a new one if she still needs it."
        )
    return found


def dtr_expires_on(submitted: date) -> date:
    """A duty to refer is treated as expired 26 weeks after submission (HMPPS practice)."""
    return submitted + timedelta(days=DTR_EXPIRY_DAYS)


def dtr_expired(submitted: date, today: date) -> bool:
    """Expired from the expiry date itself onwards."""
    return today >= dtr_expires_on(submitted)
