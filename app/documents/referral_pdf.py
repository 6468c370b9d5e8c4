"""The referral as people read it: referral.pdf, which travels in a signed bundle beside
referral.json.

The payload is exactly the referral.json document (resources/schemas/referral-v1.schema.json),
so the PDF can never say more or less than the data the receiving team imports. Each referral
type carries its own person and detail fields, so this module prints only the keys present,
each with a plain-English label, and never invents a value: a missing or unknown one reads
"Not known". Codes are turned into the labels Resettle shows on screen where it knows them and
are printed as they are where it does not, so a newer sender never makes an older reader fail.

House style is app.documents._common's: A4, Noto Sans, OFFICIAL-SENSITIVE, the sending
establishment and her prison number on every page. The bytes are returned, not written: the
bundle writer puts them in the zip and signs their hash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from app.documents._common import (
    BAND_GREY,
    DARK_GREY,
    EM_DASH,
    LIGHT_GREY,
    MID_GREY,
    STYLES,
    Furniture,
    build_pdf,
    content_width,
    day,
    markup,
    para,
    printable,
    table,
    when,
)
from app.domain.codes import CouncilChoice
from app.domain.needs_rules import NEED_STATUS_LABELS
from app.domain.questionnaire import PATHWAY_LABELS, QuestionnaireError
from app.domain.questionnaire import load as load_questionnaire
from app.domain.reference import (
    CUSTODY_STATUSES,
    RELEASE_TYPES,
    countries,
    languages,
    local_authorities,
)
from app.domain.referrals import (
    CONSENT_METHODS,
    CRS_COMPLEXITY,
    CRS_SERVICES,
    TYPE_LABELS,
)
from app.domain.roles import ROLE_LABELS

__all__ = ["render_referral_pdf"]

NOT_KNOWN = "Not known"
MIDDLE_DOT = "\u00b7"
WIDTH = content_width(A4)
_LABEL_WIDTH = 58 * mm

STATUS_LABELS = {
    "DRAFT": "Draft (not yet sent)",
    "SUBMITTED": "Submitted",
    "ACCEPTED": "Accepted",
    "NOT_ACCEPTED": "Not accepted",
    "WITHDRAWN": "Withdrawn",
}
# referrals.COUNCIL_CHOICE words a form's option ("reason required"); a reader needs the fact.
COUNCIL_CHOICES = {"LOCAL_CONNECTION": "Local connection", "OTHER_COUNCIL": "Another council"}

_INTRO_STYLE = ParagraphStyle("referral_intro", STYLES["intro"], spaceAfter=2 * mm)
_NOTES_STYLE = ParagraphStyle("referral_notes", STYLES["cell"], fontSize=9.5, leading=12.5)
_NONE_STYLE = ParagraphStyle("referral_none", STYLES["note"], fontSize=9.5, leading=12)
_CLOSING_STYLE = ParagraphStyle("referral_closing", STYLES["note"], fontSize=8.5, leading=11,
                                spaceBefore=8 * mm)  # fmt: skip


# --- values -------------------------------------------------------------------------------------


def _date(value: Any) -> str:
    """DD/MM/YYYY for an ISO date; anything else is shown as it is rather than hidden."""
    if value is None or value == "":
        return NOT_KNOWN
    try:
        return day(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _plain(value: Any) -> str:
    """Any JSON value as words: Yes/No, "Not known" for nothing, text as it is."""
    if value is None:
        return NOT_KNOWN
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value) or NOT_KNOWN
    text = str(value).strip()
    return text or NOT_KNOWN


def _coded(labels: Mapping[str, str] | Callable[[], Mapping[str, str]]) -> Callable[[Any], str]:
    """A formatter that turns a code into its label; an unlisted code is printed as sent."""

    def show(value: Any) -> str:
        if value is None or isinstance(value, bool) or str(value).strip() == "":
            return _plain(value)
        known = labels() if callable(labels) else labels
        code = str(value).strip()
        return known.get(code, code)

    return show


def _answer_label(question_id: str) -> Callable[[Any], str]:
    """BCST2's option label for a code (the referral copies the screening's answer)."""

    def show(value: Any) -> str:
        if value is None or str(value).strip() == "":
            return NOT_KNOWN
        code = str(value).strip()
        try:
            return load_questionnaire("BCST2").question(question_id).option_label(code)
        except (QuestionnaireError, KeyError):
            return code  # a missing form must not stop the referral being printed

    return show


def _council(code: Any, name: Any) -> str:
    """ "Name (E06000001)": the name as sent, else from the ONS list, else the code alone."""
    code_text = str(code or "").strip()
    name_text = str(name or "").strip()
    if not name_text and code_text:
        authority = local_authorities().get(code_text)
        name_text = authority.name if authority else ""
    if name_text and code_text:
        return f"{name_text} ({code_text})"
    return name_text or code_text or NOT_KNOWN


# Person fields in reading order: label and formatter. Keys not listed (a newer schema) are
# still printed, with a label made from the key.
PERSON_FIELDS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "given_names": ("Given names", _plain),
    "family_name": ("Family name", _plain),
    "prison_number": ("Prison number", _plain),
    "date_of_birth": ("Date of birth", _date),
    "nationality": ("Nationality", _coded(countries)),
    "first_language": ("First language", _coded(languages)),
    "interpreter_needed": ("Needs an interpreter", _plain),
    "custody_status": ("Custody status", _coded(CUSTODY_STATUSES)),
    "release_date": ("Release date", _date),
    "release_time": ("Release time", _plain),
    "release_type": ("Release type", _coded({k: v for k, v in RELEASE_TYPES.items() if k})),
}
DETAIL_FIELDS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "council_choice": ("Why this council", _coded(COUNCIL_CHOICES)),
    "other_council_reason": ("Reason for choosing another council", _plain),
    "accommodation_before": ("Where she lived before custody",
                             _answer_label("WHERE_DID_THEY_LIVE")),
    "accommodation_after": ("Where she expects to live on release",
                            _answer_label("WHERE_WILL_THEY_LIVE")),
    "parental_responsibility": ("Parental responsibility for children under 16",
                                _answer_label("PARENTAL_RESPONSIBILITY")),
    "service_category": ("Service category", _coded(CRS_SERVICES)),
    "complexity": ("Complexity", _coded(CRS_COMPLEXITY)),
    "desired_outcomes": ("Desired outcomes", _plain),
    "releasing_within_12_weeks": ("Due for release within 12 weeks", _plain),
    "sentenced": ("Sentenced", _plain),
    "provider": ("Provider", _plain),
}  # fmt: skip


def _key_label(key: str) -> str:
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _person_rows(person: Mapping[str, Any]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, (label, show) in PERSON_FIELDS.items():
        if key in person:
            rows.append((label, show(person[key])))
    if "home_council_code" in person or "home_council_name" in person:
        rows.append(("Home council",
                     _council(person.get("home_council_code"), person.get("home_council_name"))))
    known = set(PERSON_FIELDS) | {"home_council_code", "home_council_name"}
    rows += [(_key_label(k), _plain(v)) for k, v in person.items() if k not in known]
    return rows


def _detail_rows(details: Mapping[str, Any]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if "council_code" in details or "council_name" in details:
        rows.append(("Council", _council(details.get("council_code"), details.get("council_name"))))
    for key, (label, show) in DETAIL_FIELDS.items():
        if key not in details:
            continue
        value = show(details[key])
        if (key == "other_council_reason" and value == NOT_KNOWN
                and details.get("council_choice") != CouncilChoice.OTHER_COUNCIL):  # fmt: skip
            value = "Not needed (local connection)" if details.get("council_choice") else value
        rows.append((label, value))
    known = set(DETAIL_FIELDS) | {"council_code", "council_name"}
    rows += [(_key_label(k), _plain(v)) for k, v in details.items() if k not in known]
    return rows


# --- layout -------------------------------------------------------------------------------------


def _heading(text: str) -> Paragraph:
    return Paragraph(markup(text), STYLES["h2"])


def _pairs(rows: list[tuple[str, str]]) -> list[Flowable]:
    """A two-column label/value table; "Nothing recorded." when there is nothing to show."""
    if not rows:
        return [Paragraph("Nothing recorded.", _NONE_STYLE)]
    cells = [[para(label, "label"), para(value)] for label, value in rows]
    return [table(cells, [_LABEL_WIDTH, WIDTH - _LABEL_WIDTH], [
        ("BOX", (0, 0), (-1, -1), 0.75, MID_GREY),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, MID_GREY),
        ("BACKGROUND", (0, 0), (0, -1), LIGHT_GREY),
    ])]  # fmt: skip


def _needs(needs: list[Mapping[str, Any]]) -> list[Flowable]:
    if not needs:
        return [Paragraph("None recorded", _NONE_STYLE)]
    widths = [52 * mm, 0.0, 30 * mm]
    widths[1] = WIDTH - widths[0] - widths[2]
    rows: list[list[Any]] = [[Paragraph(h, STYLES["th"]) for h in ("Pathway", "Need", "Status")]]
    for need in needs:
        pathway = _coded(PATHWAY_LABELS)(need.get("pathway"))
        title = str(need.get("title") or "").strip() or str(need.get("code") or "")
        rows.append([para(pathway), para(title or NOT_KNOWN),
                     para(_coded(NEED_STATUS_LABELS)(need.get("status")))])  # fmt: skip
    return [table(rows, widths, [
        ("BACKGROUND", (0, 0), (-1, 0), BAND_GREY),
        ("BOX", (0, 0), (-1, -1), 0.75, MID_GREY),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, MID_GREY),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, DARK_GREY),
    ], header_rows=1)]  # fmt: skip


def _notes(notes: Any) -> list[Flowable]:
    text = str(notes or "").strip()
    if not text:
        return [Paragraph("No notes.", _NONE_STYLE)]
    # One paragraph per line of the notes: a long note can then run on to the next page.
    return [Paragraph(markup(line) or "&nbsp;", _NOTES_STYLE) for line in text.splitlines()]


def title_of(referral_type: str) -> str:
    """ "Duty to refer — referral"; "CRS referral" already says it is one."""
    label = TYPE_LABELS.get(referral_type, _coded({})(referral_type))
    if label == "Other":
        return "Referral"
    return label if label.lower().endswith("referral") else f"{label} {EM_DASH} referral"


def render_referral_pdf(payload: dict, *, bundle_id: str, created_at: datetime,
                        created_by: str) -> bytes:  # fmt: skip
    """referral.pdf's bytes, made from referral.json's document so the two always agree.

    `created_at` is the bundle's instant (UTC; a naive one is read as UTC) and is printed in
    Europe/London time. Text outside Windows-1252 is printed without accents or as "?" rather
    than failing: a referral must go out even when the built-in font cannot draw a name.
    """
    referral: Mapping[str, Any] = payload.get("referral") or {}
    person: Mapping[str, Any] = payload.get("person") or {}
    consent: Mapping[str, Any] = payload.get("consent") or {}
    referrer: Mapping[str, Any] = payload.get("referrer") or {}
    referral_type = str(referral.get("type") or "")
    title = title_of(referral_type)
    establishment = str(referrer.get("establishment") or "").strip()
    prison_number = str(person.get("prison_number") or "").strip()
    name = " ".join(
        part for part in (str(person.get("given_names") or "").strip(),
                          str(person.get("family_name") or "").strip()) if part
    )  # fmt: skip
    made = f"Bundle {bundle_id} {MIDDLE_DOT} made {when(created_at)} by {created_by}"

    intro = (f"A referral from {establishment or 'the sending prison'} for "
             f"{name or 'the woman named below'}, prison number {prison_number or NOT_KNOWN}. "
             "It travels in a signed Resettle bundle with the same data in referral.json: "
             "check the bundle before relying on this page (see the recipient guide).")  # fmt: skip
    story: list[Flowable] = [
        Paragraph(markup(title), STYLES["title"]),
        Paragraph(markup(intro), _INTRO_STYLE),
        _heading("Referral"),
        *_pairs([
            ("Type", _coded(TYPE_LABELS)(referral_type)),
            ("Status", _coded(STATUS_LABELS)(referral.get("status"))),
            ("Reference", _plain(referral.get("reference"))),
            ("Submitted on", _date(referral.get("submitted_on"))),
        ]),  # fmt: skip
        _heading("About her"),
        *_pairs(_person_rows(person)),
        _heading("Consent"),
        *_pairs([
            ("Given on", _date(consent.get("given_on"))),
            ("What she agreed to share", _plain(consent.get("scope"))),
            ("Shared with", _plain(consent.get("shared_with"))),
            ("How it was given", _coded(CONSENT_METHODS)(consent.get("method"))),
        ]),  # fmt: skip
        _heading("Details"),
        *_pairs(_detail_rows(payload.get("details") or {})),
        _heading("Support needs"),
        *_needs(list(payload.get("needs") or [])),
        _heading("Notes"),
        *_notes(payload.get("notes")),
        KeepTogether([
            _heading("Referrer"),
            *_pairs([
                ("Name", _plain(referrer.get("name"))),
                ("Role", _coded(ROLE_LABELS)(referrer.get("role"))),
                ("Establishment", _plain(referrer.get("establishment"))),
            ]),
        ]),  # fmt: skip
        Paragraph(markup(made), _CLOSING_STYLE),
    ]
    furniture = Furniture(
        establishment=establishment,
        reference_label="Prison number ",
        reference=prison_number,
        printed=made,
    )
    return build_pdf(story, pagesize=A4, title=printable(title), furniture=furniture,
                     author=printable(created_by))  # fmt: skip
