"""The BCST summary: a printable English PDF of a woman's induction screenings and support needs.

It goes in her paper file, so it is marked OFFICIAL-SENSITIVE and every page carries the
establishment, her prison number and "Page n of m" (a loose page can be put back). The caller
passes plain values (answers already human-readable); this module only lays them out, with
the bundled Noto Sans (app.documents.fonts), embedded, so names keep every accent; characters
Noto Sans lacks are written without their accents, or as "?".

Times are stored in UTC and printed in Europe/London time (GMT or BST), as DD/MM/YYYY HH:MM.
The file is written whole or not at all: to a temporary file in the same folder, then renamed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.documents import fonts as doc_fonts
from app.domain.codes import NeedReview, ScreeningStatus
from app.domain.needs_rules import NEED_REVIEW_LABELS, NEED_STATUS_LABELS, OWNER_LABELS
from app.domain.questionnaire import PATHWAY_LABELS, SKIP_REASONS
from app.domain.reference import CUSTODY_STATUSES
from app.domain.timezone import to_london
from app.errors import UserError

__all__ = [
    "SummaryAction",
    "SummaryNeed",
    "SummaryPerson",
    "SummaryQuestion",
    "SummaryScreening",
    "SummarySection",
    "render_bcst_summary",
]

MARKING = "OFFICIAL-SENSITIVE"
TITLE = "Induction screening summary"
NOT_ANSWERED = "\u2013"  # en dash
EM_DASH = "\u2014"


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


# --- text ---------------------------------------------------------------------------------------

# Letters Windows-1252 lacks and that have no decomposition to drop an accent from.
_NEAREST = str.maketrans({
    "\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0126": "H", "\u0127": "h",
    "\u0131": "i", "\u0166": "T", "\u0167": "t", "\u013f": "L", "\u0140": "l", "\u0138": "k",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2015": EM_DASH, "\u2212": "-",
    "\u2032": "'", "\u2033": '"', "\u2028": "\n", "\u2029": "\n",
})  # fmt: skip


def _printable(text: str) -> str:
    """Text Noto Sans can print, newlines kept, controls dropped; the rest without accents or
    as "?"."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    out = []
    for char in text:
        if char == "\n":
            out.append(char)
            continue
        if len(char) == 1 and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue  # control, zero-width and unassigned characters print nothing useful
        if not doc_fonts.covers(char):
            char = char.translate(_NEAREST)
            plain = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            char = plain if plain and all(doc_fonts.covers(c) for c in plain) else "?"
        out.append(char)
    return "".join(out)


def _markup(text: str) -> str:
    """Paragraph markup for plain text: &, < and > escaped, line breaks kept."""
    return escape(_printable(text).strip()).replace("\n", "<br/>")


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:  # all instants are UTC; a naive one is read as UTC, not local
        value = value.replace(tzinfo=UTC)
    return to_london(value).strftime("%d/%m/%Y %H:%M")


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


# --- styles -------------------------------------------------------------------------------------

BLACK = colors.HexColor("#0B0C0C")
DARK_GREY = colors.HexColor("#505A5F")
MID_GREY = colors.HexColor("#B1B4B6")
LIGHT_GREY = colors.HexColor("#F3F2F1")
BAND_GREY = colors.HexColor("#DEE0E2")

PAGE_WIDTH, PAGE_HEIGHT = A4
SIDE_MARGIN = 18 * mm
TOP_MARGIN = 25 * mm  # the header sits in the top 20 mm, then a gap
BOTTOM_MARGIN = 20 * mm  # the footer sits in the bottom 16 mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * SIDE_MARGIN
_FRAME_PADDING = 6  # points: SimpleDocTemplate's frame pads its content by this on each side
MIN_ROW_PART = 36  # points: a row split across pages leaves at least about three lines each side

doc_fonts.register()
_BASE = ParagraphStyle("base", fontName="NotoSans-Regular", fontSize=9, leading=11.5,
                       textColor=BLACK, alignment=TA_LEFT, splitLongWords=1,
                       bulletFontName="NotoSans-Regular")  # fmt: skip
STYLES = {
    "title": ParagraphStyle("title", _BASE, fontName="NotoSans-Bold", fontSize=18, leading=22,
                            spaceAfter=1.5 * mm),
    "intro": ParagraphStyle("intro", _BASE, textColor=DARK_GREY, spaceAfter=4 * mm),
    "h2": ParagraphStyle("h2", _BASE, fontName="NotoSans-Bold", fontSize=13, leading=16,
                         spaceBefore=7 * mm, spaceAfter=1.5 * mm, keepWithNext=1),
    "status": ParagraphStyle("status", _BASE, fontSize=9.5, leading=12, spaceAfter=3 * mm,
                             keepWithNext=1),
    "section": ParagraphStyle("section", _BASE, fontName="NotoSans-Bold", fontSize=9.5,
                              leading=12),
    "cell": _BASE,
    "label": ParagraphStyle("label", _BASE, fontName="NotoSans-Bold"),
    "question": ParagraphStyle("question", _BASE),
    "empty": ParagraphStyle("empty", _BASE, textColor=DARK_GREY),
    "th": ParagraphStyle("th", _BASE, fontName="NotoSans-Bold", fontSize=8.5, leading=10.5),
    "small": ParagraphStyle("small", _BASE, fontSize=8.5, leading=10.5),
    "action": ParagraphStyle("action", _BASE, fontSize=8.5, leading=10.5, leftIndent=10,
                             bulletIndent=0, bulletFontName="ZapfDingbats", bulletFontSize=8,
                             spaceAfter=2),
    "note": ParagraphStyle("note", _BASE, textColor=DARK_GREY),
}  # fmt: skip
TICK, BOX = "\u2714", "\u2751"  # drawn in ZapfDingbats, which every PDF reader has
_PADDING = [
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]


def _para(text: str, style: str = "cell") -> list[Flowable]:
    """A table cell: a list, so a row taller than a page can be split inside the cell."""
    if not text.strip():
        return [Paragraph(NOT_ANSWERED, STYLES["empty"])]
    return [Paragraph(_markup(text), STYLES[style])]


# A table's own cell font (used for plain-text cells) defaults to Helvetica.
_CELL_FONT = [("FONTNAME", (0, 0), (-1, -1), "NotoSans-Regular")]


def _table(rows: list[list[Any]], widths: list[float], style: list[tuple[Any, ...]],
           header_rows: int = 0) -> Table:  # fmt: skip
    return Table(rows, colWidths=widths, style=TableStyle(_CELL_FONT + _PADDING + style),
                 repeatRows=header_rows, splitInRow=MIN_ROW_PART, hAlign="LEFT")  # fmt: skip


# --- the document -------------------------------------------------------------------------------


def _identity(person: SummaryPerson) -> Table:
    custody = _label(person.custody_status, CUSTODY_STATUSES)
    pairs = [
        ("Name", person.name, "Prison number", person.prison_number),
        ("Date of birth", _day(person.date_of_birth), "Custody status", custody),
        ("Reception", _when(person.reception_at), "Release", person.release),
        ("Nationality", person.nationality, "Language", person.language),
        ("Home council", person.home_council, "", ""),
    ]
    rows = [
        [_para(a, "label"), _para(b), _para(c, "label") if c else "", _para(d) if c else ""]
        for a, b, c, d in pairs
    ]
    label_width = 29 * mm
    value_width = (CONTENT_WIDTH - 2 * label_width) / 2
    return _table(rows, [label_width, value_width, label_width, value_width], [
        ("BOX", (0, 0), (-1, -1), 0.75, MID_GREY),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, MID_GREY),
        ("BACKGROUND", (0, 0), (0, -1), LIGHT_GREY),
        ("BACKGROUND", (2, 0), (2, -2), LIGHT_GREY),
        ("SPAN", (1, -1), (3, -1)),
    ])  # fmt: skip


def _status_line(screening: SummaryScreening) -> str:
    status = screening.status.strip().upper()
    due = _when(screening.due)
    if status == ScreeningStatus.COMPLETED:
        text = "Completed"
        if screening.completed_at is not None:
            text += f" {_when(screening.completed_at)}"
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
    rows: list[list[Any]] = [[_para(section.title, "section"), ""]]
    rows += [[_para(q.text, "question"), _para(q.answer)] for q in section.questions]
    return _table(rows, [question_width, CONTENT_WIDTH - question_width], [
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
        Paragraph(_markup(heading), STYLES["h2"]),
        Paragraph(f"<b>Status:</b> {_markup(_status_line(screening))}", STYLES["status"]),
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
        details = [f"due {_day(action.due)}"] if action.due else []
        details.append("done" if action.done else "not done")
        text = f'{_markup(action.title)}<br/><font color="#505A5F">{", ".join(details)}</font>'
        cell.append(Paragraph(text, STYLES["action"], bulletText=TICK if action.done else BOX))
    return cell


def _decision(need: SummaryNeed) -> list[Flowable]:
    review = _label(need.review, REVIEWS)
    if need.review.strip().lower() == NeedReview.DECLINED and need.decline_reason.strip():
        return [Paragraph(f"<b>Declined:</b> {_markup(need.decline_reason)}", STYLES["small"])]
    return _para(review, "small")


def _needs(needs: Sequence[SummaryNeed]) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("Support needs", STYLES["h2"])]
    if not needs:
        return story + [Paragraph("No support needs are recorded.", STYLES["note"])]
    headings = ["Need", "Pathway", "Owner", "Status", "Decision", "Actions"]
    widths = [a * mm for a in (35, 26, 20, 19, 30)]
    widths.append(CONTENT_WIDTH - sum(widths))
    rows: list[list[Any]] = [[Paragraph(h, STYLES["th"]) for h in headings]]
    for need in needs:
        rows.append([
            [Paragraph(f"<b>{_markup(need.title)}</b>", STYLES["small"])],
            _para(_label(need.pathway, PATHWAYS), "small"),
            _para(_label(need.owner, OWNERS), "small"),
            _para(_label(need.status, NEED_STATUSES), "small"),
            _decision(need),
            _actions(need.actions),
        ])  # fmt: skip
    story.append(_table(rows, widths, [
        ("BACKGROUND", (0, 0), (-1, 0), BAND_GREY),
        ("BOX", (0, 0), (-1, -1), 0.75, MID_GREY),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, MID_GREY),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, DARK_GREY),
    ], header_rows=1))  # fmt: skip
    return story


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Text cut with an ellipsis to fit `width` points on one line."""
    text = " ".join(_printable(text).split())
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def _build(
    *,
    establishment: str,
    person: SummaryPerson,
    screenings: Sequence[SummaryScreening],
    needs: Sequence[SummaryNeed],
    generated_at: datetime,
    generated_by: str,
) -> bytes:
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

    # The page furniture is the one every Resettle PDF uses (imported here, not at the top,
    # because _common builds on this module's styles and text helpers).
    from app.documents._common import Furniture, build_pdf

    furniture = Furniture(
        establishment=establishment,
        reference_label="Prison number ",
        reference=person.prison_number,
        printed=f"Printed {_when(generated_at)} by {generated_by} from Resettle",
    )
    return build_pdf(story, pagesize=A4, title=TITLE, furniture=furniture, author=generated_by)


_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _write_failure(out: Path, err: OSError, replacing: bool) -> str:
    """A plain sentence for why `out` could not be written (`replacing`: the last step failed)."""
    folder = out.parent
    if isinstance(err, IsADirectoryError):
        return f"{out} is a folder. Choose a file name for the PDF."
    if isinstance(err, FileNotFoundError | NotADirectoryError):
        return f"The folder {folder} does not exist. Choose another folder."
    if err.errno in _DISK_FULL:
        return (f"There is not enough space to save {out.name} in {folder}. Free some space "
                "or choose another folder.")  # fmt: skip
    if replacing and isinstance(err, PermissionError):  # Windows: the old PDF is open
        return (f"Resettle cannot replace {out}. Close it if it is open in another program, "
                "or choose another folder.")  # fmt: skip
    if isinstance(err, PermissionError) or err.errno == errno.EROFS:
        return f"Resettle is not allowed to save in {folder}. Choose another folder."
    reason = err.strerror or str(err) or type(err).__name__
    return f"Resettle could not save {out.name} in {folder}: {reason}."


def _write_atomically(out: Path, data: bytes) -> None:
    """`out` gets all of `data` or stays as it was; no temporary file is left behind."""
    temp: Path | None = None
    replacing = False
    try:
        handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
        temp = Path(name)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        replacing = True
        os.replace(temp, out)
        temp = None
    except OSError as err:
        raise UserError(_write_failure(out, err, replacing)) from err
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()


def render_bcst_summary(
    out: Path,
    *,
    establishment: str,
    person: SummaryPerson,
    screenings: Sequence[SummaryScreening],
    needs: Sequence[SummaryNeed],
    generated_at: datetime,
    generated_by: str,
) -> None:
    """Write the summary PDF to `out`, replacing it whole; UserError if it cannot be saved."""
    data = _build(establishment=establishment, person=person, screenings=screenings,
                  needs=needs, generated_at=generated_at, generated_by=generated_by)  # fmt: skip
    _write_atomically(Path(out), data)
