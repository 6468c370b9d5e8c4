"""The BCST summary: a printable English PDF of a woman's induction screenings and support needs.

It goes in her paper file, so it is marked OFFICIAL-SENSITIVE and every page carries the
establishment, her prison number and "Page n of m" (a loose page can be put back). The caller
passes plain values (answers already human-readable); this module only lays them out, with
the bundled Noto Sans (app.documents.fonts), embedded, so names keep every accent; characters
Noto Sans lacks are written without their accents, or as "?".

Times are stored in UTC and printed in Europe/London time (GMT or BST), as DD/MM/YYYY HH:MM.
`render_bcst_summary` returns the PDF's bytes; the caller saves them (app.store.atomic).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from app.documents._common import (
    BAND_GREY,
    DARK_GREY,
    EM_DASH,
    LIGHT_GREY,
    MID_GREY,
    NOT_ANSWERED,
    STYLES,
    content_width,
    day,
    grouped_rows,
    house_pdf,
    identity_table,
    markup,
    para,
    table,
    when,
)
from app.domain.codes import NeedReview, ScreeningStatus
from app.domain.needs_rules import NEED_REVIEW_LABELS, NEED_STATUS_LABELS, OWNER_LABELS
from app.domain.questionnaire import PATHWAY_LABELS, SKIP_REASONS
from app.domain.reference import CUSTODY_STATUSES

__all__ = [
    "SummaryAction",
    "SummaryNeed",
    "SummaryPerson",
    "SummaryQuestion",
    "SummaryScreening",
    "SummarySection",
    "render_bcst_summary",
]

TITLE = "Induction screening summary"
CONTENT_WIDTH = content_width(A4)
TICK, BOX = "\u2714", "\u2751"  # drawn in ZapfDingbats, which every PDF reader has


@dataclass(frozen=True)
class SummaryQuestion:
    text: str
    answer: str  # human-readable already; "" means not answered


@dataclass(frozen=True)
class SummarySection:
    title: str
    questions: tuple[SummaryQuestion, ...]


@dataclass(frozen=True)
class SummaryScreening:
    kind: str  # "BCST1" or "BCST2"
    title: str
    version: int
    status: str  # "COMPLETED", "DRAFT", "SKIPPED", "NOT_STARTED"
    completed_at: datetime | None
    completed_by: str | None
    due: datetime | None
    skip_reason: str
    sections: tuple[SummarySection, ...]


@dataclass(frozen=True)
class SummaryAction:
    title: str
    due: date | None
    done: bool


@dataclass(frozen=True)
class SummaryNeed:
    title: str
    pathway: str  # code, e.g. "FINANCE_AND_ID", or a label
    owner: str  # "PRISON", "PROBATION", "CRS_PROVIDER" (or a label)
    status: str  # "NOT_STARTED", "IN_PROGRESS", "MET", "DECLINED"
    review: str  # "proposed", "accepted", "declined"
    decline_reason: str
    actions: tuple[SummaryAction, ...]


@dataclass(frozen=True)
class SummaryPerson:
    prison_number: str
    name: str
    date_of_birth: date
    custody_status: str
    reception_at: datetime
    release: str
    nationality: str
    language: str
    home_council: str


# --- labels -------------------------------------------------------------------------------------

PATHWAYS = PATHWAY_LABELS
OWNERS = {**OWNER_LABELS, "CRS": "CRS provider"}
NEED_STATUSES = NEED_STATUS_LABELS
REVIEWS = NEED_REVIEW_LABELS
_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\Z")
_ACRONYMS = {"id": "ID", "crs": "CRS", "oasys": "OASys", "cas3": "CAS3", "bcst": "BCST",
             "hmpps": "HMPPS", "uk": "UK", "nhs": "NHS", "gp": "GP", "ete": "ETE"}  # fmt: skip


def _label(value: str, known: dict[str, str]) -> str:
    """The label for a stored code; a code not listed is made readable; a label is kept."""
    value = value.strip()
    if value in known:
        return known[value]
    if value.upper() in known and _CODE.match(value.upper()):
        return known[value.upper()]
    if not _CODE.match(value):
        return value
    words = [_ACRONYMS.get(word, word) for word in value.lower().split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


# --- the document -------------------------------------------------------------------------------


def _identity(person: SummaryPerson) -> Table:
    custody = _label(person.custody_status, CUSTODY_STATUSES)
    pairs = [
        ("Name", person.name, "Prison number", person.prison_number),
        ("Date of birth", day(person.date_of_birth), "Custody status", custody),
        ("Reception", when(person.reception_at), "Release", person.release),
        ("Nationality", person.nationality, "Language", person.language),
        ("Home council", person.home_council, "", ""),
    ]
    return identity_table(pairs, CONTENT_WIDTH)


def _status_line(screening: SummaryScreening) -> str:
    status = screening.status.strip().upper()
    due = when(screening.due)
    if status == ScreeningStatus.COMPLETED:
        text = "Completed"
        if screening.completed_at is not None:
            text += f" {when(screening.completed_at)}"
        if screening.completed_by:
            text += f" by {screening.completed_by}"
        return text
    if status == ScreeningStatus.DRAFT:
        return f"Draft {EM_DASH} not completed" + (f" (due {due})" if due else "")
    if status == ScreeningStatus.SKIPPED:
        reason = _label(screening.skip_reason, SKIP_REASONS)
        return f"Not needed: {reason}" if reason else "Not needed"
    if status == ScreeningStatus.NOT_STARTED:
        return f"Not started {EM_DASH} due {due}" if due else "Not started"
    return _label(screening.status, {})


def _section_table(section: SummarySection) -> Table:
    question_width = 72 * mm
    rows: list[list[Any]] = [[para(section.title, "section"), ""]]
    rows += [[para(q.text, "question"), para(q.answer)] for q in section.questions]
    return table(rows, [question_width, CONTENT_WIDTH - question_width], [
        ("SPAN", (0, 0), (1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), BAND_GREY),
        ("BACKGROUND", (0, 1), (0, -1), LIGHT_GREY),
        ("BOX", (0, 0), (-1, -1), 0.75, MID_GREY),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, MID_GREY),
        ("TOPPADDING", (0, 0), (-1, 0), 4),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
    ], header_rows=1)  # fmt: skip


def _screening(screening: SummaryScreening) -> list[Flowable]:
    title = screening.title.strip()
    if screening.kind and title.endswith(f"({screening.kind})"):  # "Immediate needs (BCST2)"
        title = title[: -len(screening.kind) - 2].rstrip()
    heading = f"{screening.kind} {EM_DASH} {title} (version {screening.version})"
    story: list[Flowable] = [
        Paragraph(markup(heading), STYLES["h2"]),
        Paragraph(f"<b>Status:</b> {markup(_status_line(screening))}", STYLES["status"]),
    ]
    answered = any(q.answer.strip() for s in screening.sections for q in s.questions)
    if (screening.status.strip().upper() in (ScreeningStatus.NOT_STARTED, ScreeningStatus.SKIPPED)
            and not answered):
        return story  # a page of dashes would say nothing the status line does not
    for section in screening.sections:
        if section.questions:
            story += [_section_table(section), Spacer(1, 3 * mm)]
    return story


def _actions(actions: tuple[SummaryAction, ...]) -> list[Flowable]:
    if not actions:
        return [Paragraph(NOT_ANSWERED, STYLES["empty"])]
    cell: list[Flowable] = []
    for action in actions:
        details = [f"due {day(action.due)}"] if action.due else []
        details.append("done" if action.done else "not done")
        text = f'{markup(action.title)}<br/><font color="#505A5F">{", ".join(details)}</font>'
        cell.append(Paragraph(text, STYLES["action"], bulletText=TICK if action.done else BOX))
    return cell


def _decision(need: SummaryNeed) -> list[Flowable]:
    review = _label(need.review, REVIEWS)
    if need.review.strip().lower() == NeedReview.DECLINED and need.decline_reason.strip():
        return [Paragraph(f"<b>Declined:</b> {markup(need.decline_reason)}", STYLES["small"])]
    return para(review, "small")


def _needs(needs: Sequence[SummaryNeed]) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("Support needs", STYLES["h2"])]
    if not needs:
        return story + [Paragraph("No support needs are recorded.", STYLES["note"])]
    headings = ["Need", "Pathway", "Owner", "Status", "Decision", "Actions"]
    widths = [a * mm for a in (35, 26, 20, 19, 30)]
    widths.append(CONTENT_WIDTH - sum(widths))
    rows: list[list[Any]] = [[Paragraph(h, STYLES["th"]) for h in headings]]
    # A need with 200 actions runs over pages: one table row per action (_common.spread_row).
    body, grouped = grouped_rows([[
        [Paragraph(f"<b>{markup(need.title)}</b>", STYLES["small"])],
        para(_label(need.pathway, PATHWAYS), "small"),
        para(_label(need.owner, OWNERS), "small"),
        para(_label(need.status, NEED_STATUSES), "small"),
        _decision(need),
        _actions(need.actions),
    ] for need in needs], widths, start=1)  # fmt: skip
    story.append(table(rows + body, widths, [
        ("BACKGROUND", (0, 0), (-1, 0), BAND_GREY),
        ("BOX", (0, 0), (-1, -1), 0.75, MID_GREY),
        ("LINEAFTER", (0, 0), (-2, -1), 0.5, MID_GREY),
        *grouped,
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, DARK_GREY),
    ], header_rows=1))  # fmt: skip
    return story


def render_bcst_summary(
    *,
    establishment: str,
    person: SummaryPerson,
    screenings: Sequence[SummaryScreening],
    needs: Sequence[SummaryNeed],
    generated_at: datetime,
    generated_by: str,
) -> bytes:
    """The summary as PDF bytes."""
    story: list[Flowable] = [
        Paragraph(TITLE, STYLES["title"]),
        Paragraph(
            "Answers to the basic custody screening (BCST) and the support needs that follow "
            "from them. Check the record in Resettle for later changes.",
            STYLES["intro"],
        ),
        _identity(person),
    ]
    for screening in screenings:
        story += _screening(screening)
    if not screenings:
        story += [Spacer(1, 4 * mm), Paragraph("No screenings are recorded.", STYLES["note"])]
    story += _needs(needs)
    return house_pdf(story, pagesize=A4, title=TITLE, establishment=establishment,
                     reference_label="Prison number ", reference=person.prison_number,
                     generated_at=generated_at, generated_by=generated_by)  # fmt: skip
