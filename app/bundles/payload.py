"""What each referral type shares (referral.json): a defined, minimal field set per type.

DOMAIN.md, "Referrals that leave the prison": a bundle carries what that referral needs and
nothing more. The duty to refer needs identity, release date, local connection, household and
the needs that bear on suitable housing; CRS needs her needs, pathway, release date and language;
CAS3 is for sentenced women; supported housing and other referrals get the basics and their
provider. The preview shows exactly these fields, and the export writes exactly these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from app.domain import questionnaire, reference
from app.domain.codes import Pathway, ReferralType, ScreeningKind
from app.domain.dates import uk_date
from app.domain.needs_rules import NEED_STATUS_LABELS
from app.domain.questionnaire import PATHWAY_LABELS
from app.domain.referrals import (
    CONSENT_METHODS,
    CONSENT_SCOPES,
    COUNCIL_CHOICE,
    CRS_COMPLEXITY,
    CRS_SERVICES,
    STATUS_LABELS,
    TYPE_LABELS,
)

PERSON_FIELDS: dict[str, tuple[str, ...]] = {
    ReferralType.DUTY_TO_REFER: (
        "prison_number", "family_name", "given_names", "date_of_birth", "nationality",
        "first_language", "interpreter_needed", "custody_status", "release_date",
        "release_time", "home_council_code", "home_council_name"),
    ReferralType.CRS: (
        "prison_number", "family_name", "given_names", "date_of_birth", "first_language",
        "interpreter_needed", "custody_status", "release_date", "release_type"),
    ReferralType.CAS3: (
        "prison_number", "family_name", "given_names", "date_of_birth", "custody_status",
        "release_date", "release_type", "home_council_code", "home_council_name"),
    ReferralType.SUPPORTED_HOUSING: (
        "prison_number", "family_name", "given_names", "date_of_birth", "first_language",
        "interpreter_needed", "release_date", "home_council_code", "home_council_name"),
    ReferralType.OTHER: (
        "prison_number", "family_name", "given_names", "date_of_birth", "release_date"),
}  # fmt: skip

DETAIL_FIELDS: dict[str, tuple[str, ...]] = {
    ReferralType.DUTY_TO_REFER: (
        "council_code", "council_name", "council_choice", "other_council_reason",
        "accommodation_before", "accommodation_after", "parental_responsibility"),
    ReferralType.CRS: (
        "service_category", "complexity", "desired_outcomes", "releasing_within_12_weeks"),
    ReferralType.CAS3: ("sentenced", "releasing_within_12_weeks"),
    ReferralType.SUPPORTED_HOUSING: ("provider",),
    ReferralType.OTHER: ("provider",),
}  # fmt: skip

NEED_PATHWAYS: dict[str, frozenset[str]] = {
    ReferralType.DUTY_TO_REFER: frozenset({Pathway.ACCOMMODATION, Pathway.HEALTH,
                                           Pathway.CHILDREN_FAMILIES_AND_COMMUNITY}),
    ReferralType.CRS: frozenset(PATHWAY_LABELS),
    ReferralType.CAS3: frozenset({Pathway.ACCOMMODATION, Pathway.HEALTH}),
    ReferralType.SUPPORTED_HOUSING: frozenset({Pathway.ACCOMMODATION, Pathway.HEALTH}),
    ReferralType.OTHER: frozenset({Pathway.ACCOMMODATION}),
}

LABELS = {
    "prison_number": "Prison number", "family_name": "Family name",
    "given_names": "Given names", "date_of_birth": "Date of birth",
    "nationality": "Nationality", "first_language": "First language",
    "interpreter_needed": "Interpreter needed", "custody_status": "Custody status",
    "release_date": "Release date", "release_time": "Release time",
    "release_type": "Release type", "home_council_code": "Home council (code)",
    "home_council_name": "Home council", "council_code": "Council referred to (code)",
    "council_name": "Council referred to", "council_choice": "Why this council",
    "other_council_reason": "Reason for another council",
    "accommodation_before": "Where she lived before custody (BCST2)",
    "accommodation_after": "Where she will live (BCST2)",
    "parental_responsibility": "Parental responsibility for children under 16 (BCST2)",
    "service_category": "CRS service", "complexity": "Complexity",
    "desired_outcomes": "Desired outcomes",
    "releasing_within_12_weeks": "Releasing within 12 weeks", "sentenced": "Sentenced",
    "provider": "Provider",
}  # fmt: skip


def referral_payload(*, referral: Mapping[str, Any], person: Mapping[str, Any],
                     consent: Mapping[str, Any], details: Mapping[str, Any],
                     needs: Sequence[Mapping[str, Any]], notes: str,
                     referrer: Mapping[str, str]) -> dict[str, Any]:  # fmt: skip
    """referral.json: only the fields this referral type shares (schema version 1)."""
    kind = str(referral["type"])
    return {
        "schema_version": 1,
        "referral": dict(referral),
        "person": {name: person.get(name) for name in PERSON_FIELDS[kind] if name in person},
        "consent": dict(consent),
        "details": {name: details.get(name) for name in DETAIL_FIELDS[kind]},
        "needs": [dict(n) for n in needs if n["pathway"] in NEED_PATHWAYS[kind]],
        "notes": notes,
        "referrer": dict(referrer),
    }


NOT_KNOWN = "(not known)"


def _shown(value: Any) -> str:
    if value is None or value == "":
        return NOT_KNOWN
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _words(labels: Mapping[str, str] | Callable[[], Mapping[str, str]]) -> Callable[[Any], str]:
    """Show a code as its words; a code no list knows is shown as sent, never hidden."""

    def show(value: Any) -> str:
        if value is None or value == "":
            return NOT_KNOWN
        known = labels() if callable(labels) else labels
        return known.get(str(value), str(value))

    return show


def _day(value: Any) -> str:
    """An ISO date as staff write it (DD/MM/YYYY)."""
    if not value:
        return NOT_KNOWN
    try:
        return uk_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _bcst2_answer(question_id: str) -> Callable[[Any], str]:
    """BCST2's option label for the answer the referral copies."""

    def show(value: Any) -> str:
        if value is None or value == "":
            return NOT_KNOWN
        try:
            question = questionnaire.load(ScreeningKind.BCST2).question(question_id)
        except (questionnaire.QuestionnaireError, KeyError):
            return str(value)
        return question.option_label(str(value))

    return show


# How each coded or dated field reads in the preview: the words a person checks before a
# bundle leaves ("Syria", "Arabic", "Local connection"), not the codes the JSON carries.
_PREVIEW_WORDS: dict[str, Callable[[Any], str]] = {
    "type": _words(TYPE_LABELS),
    "status": _words(STATUS_LABELS),
    "submitted_on": _day,
    "date_of_birth": _day,
    "release_date": _day,
    "given_on": _day,
    "nationality": _words(reference.countries),
    "first_language": _words(reference.languages),
    "custody_status": _words(reference.CUSTODY_STATUSES),
    "release_type": _words(reference.RELEASE_TYPES),
    "scope": _words(CONSENT_SCOPES),
    "method": _words(CONSENT_METHODS),
    "council_choice": _words(COUNCIL_CHOICE),
    "service_category": _words(CRS_SERVICES),
    "complexity": _words(CRS_COMPLEXITY),
    "accommodation_before": _bcst2_answer("WHERE_DID_THEY_LIVE"),
    "accommodation_after": _bcst2_answer("WHERE_WILL_THEY_LIVE"),
    "parental_responsibility": _bcst2_answer("PARENTAL_RESPONSIBILITY"),
}


def preview_value(field: str, value: Any) -> str:
    """One field's value as the preview shows it (words for codes, UK dates)."""
    if isinstance(value, bool) or value is None:
        return _shown(value)
    show = _PREVIEW_WORDS.get(field)
    return show(value) if show else _shown(value)


def preview_rows(payload: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(section, field, value) for every field that will leave, in the order it is written.

    Values are words, not codes: the person checking the preview is deciding whether what
    leaves is right, and "SY" or "LOCAL_CONNECTION" asks her to decode it first. The JSON keeps
    the codes (that is the contract with the recipient's systems).
    """
    shown = _shown
    rows = [("Referral", k.replace("_", " ").capitalize(), preview_value(k, v))
            for k, v in payload["referral"].items()]  # fmt: skip
    rows += [("About her", LABELS.get(k, k), preview_value(k, v))
             for k, v in payload["person"].items()]  # fmt: skip
    rows += [("Consent", k.replace("_", " ").capitalize(), preview_value(k, v))
             for k, v in payload["consent"].items()]  # fmt: skip
    rows += [("Details", LABELS.get(k, k), preview_value(k, v))
             for k, v in payload["details"].items()]  # fmt: skip
    rows += [("Support needs", PATHWAY_LABELS.get(n["pathway"], n["pathway"]),
              f"{n['title']} ({NEED_STATUS_LABELS.get(n['status'], n['status'])})")
             for n in payload["needs"]]  # fmt: skip
    if not payload["needs"]:
        rows.append(("Support needs", "Needs", "None recorded"))
    rows.append(("Notes", "Notes", shown(payload["notes"])))
    rows += [("Referrer", k.capitalize(), shown(v)) for k, v in payload["referrer"].items()]
    return rows
