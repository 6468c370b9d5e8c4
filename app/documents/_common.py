"""The house style of Resettle's printable PDFs: page furniture, styles and text helpers.

A4, Noto Sans (embedded, app.documents.fonts), an OFFICIAL-SENSITIVE marking top and bottom,
the establishment and a reference (a prison number, or a list's week) with "Page n of m" on
every page, "Printed ... by ... from Resettle" in the footer. Every document module builds on
this one and returns its PDF as bytes; saving is the caller's (app.store.atomic.write_atomic),
so no document knows about files and none imports another.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from app.documents import fonts as doc_fonts
from app.domain.timezone import to_london

MARKING = "OFFICIAL-SENSITIVE"
NOT_ANSWERED = "\u2013"  # en dash
EM_DASH = "\u2014"

# --- text ---------------------------------------------------------------------------------------

# Letters Windows-1252 lacks and that have no decomposition to drop an accent from.
_NEAREST = str.maketrans({
    "\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0126": "H", "\u0127": "h",
    "\u0131": "i", "\u0166": "T", "\u0167": "t", "\u013f": "L", "\u0140": "l", "\u0138": "k",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2015": EM_DASH, "\u2212": "-",
    "\u2032": "'", "\u2033": '"', "\u2028": "\n", "\u2029": "\n",
})  # fmt: skip


def printable(text: str) -> str:
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


def markup(text: str) -> str:
    """Paragraph markup for plain text: &, < and > escaped, line breaks kept."""
    return escape(printable(text).strip()).replace("\n", "<br/>")


def when(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:  # all instants are UTC; a naive one is read as UTC, not local
        value = value.replace(tzinfo=UTC)
    return to_london(value).strftime("%d/%m/%Y %H:%M")


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


# --- styles -------------------------------------------------------------------------------------

BLACK = colors.HexColor("#0B0C0C")
DARK_GREY = colors.HexColor("#505A5F")
MID_GREY = colors.HexColor("#B1B4B6")
LIGHT_GREY = colors.HexColor("#F3F2F1")
BAND_GREY = colors.HexColor("#DEE0E2")

SIDE_MARGIN = 18 * mm
TOP_MARGIN = 25 * mm  # the header sits in the top 20 mm, then a gap
BOTTOM_MARGIN = 20 * mm  # the footer sits in the bottom 16 mm
FRAME_PADDING = 6  # points: SimpleDocTemplate's frame pads its content by this on each side
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
_PADDING = [
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]


def para(text: str, style: str = "cell") -> list[Flowable]:
    """A table cell: a list, so a row taller than a page can be split inside the cell."""
    if not text.strip():
        return [Paragraph(NOT_ANSWERED, STYLES["empty"])]
    return [Paragraph(markup(text), STYLES[style])]


# A table's own cell font (used for plain-text cells) defaults to Helvetica.
_CELL_FONT = [("FONTNAME", (0, 0), (-1, -1), "NotoSans-Regular")]


def table(rows: list[list[Any]], widths: list[float], style: list[tuple[Any, ...]],
           header_rows: int = 0) -> Table:  # fmt: skip
    return Table(rows, colWidths=widths, style=TableStyle(_CELL_FONT + _PADDING + style),
                 repeatRows=header_rows, splitInRow=MIN_ROW_PART, hAlign="LEFT")  # fmt: skip


FIRST_ROW_LIMIT = 200  # points: cells taller than this are spread line by line, all of them


def _height(flowables: list[Any], width: float) -> float:
    total = 0.0
    for item in flowables:
        if isinstance(item, Flowable):
            total += item.wrap(width, 10_000)[1] + item.getSpaceBefore() + item.getSpaceAfter()
    return total


def spread_row(cells: list[Any], widths: list[float]) -> list[list[Any]]:
    """One row of a table as several rows, so no row is much taller than a paragraph or two.

    ReportLab splits a table between rows reliably, but inside a row (`splitInRow`) only for
    some heights: a cell of 20 or 40 open tasks raised LayoutError where 25 did not. So the
    tallest cell (a list of flowables: open tasks, actions) is spread one flowable a row, the
    first row taking as many as sit beside the other cells, which stay whole in it. If another
    cell is tall too, every cell is spread (the n-th flowable of each on the n-th row). The
    table then breaks between rows, its header rows repeated; `group_style` draws such rows as
    one. A single paragraph taller than a page is left to `splitInRow`."""
    columns = [cell if isinstance(cell, list) else [cell] for cell in cells]
    inner = [w - 8 for w in widths]  # the cell padding, as in _PADDING
    heights = [_height(column, w) for column, w in zip(columns, inner, strict=True)]
    tallest = max(range(len(columns)), key=lambda i: heights[i])
    beside = max((h for i, h in enumerate(heights) if i != tallest), default=0.0)
    if beside > FIRST_ROW_LIMIT:
        depth = max(len(column) for column in columns) or 1
        return [[column[i] if i < len(column) else "" for column in columns]
                for i in range(depth)]  # fmt: skip
    long = columns[tallest]
    taken, used = 1, _height(long[:1], inner[tallest])
    while taken < len(long) and used < beside:
        used += _height(long[taken:taken + 1], inner[tallest])
        taken += 1
    first = [long[:taken] if i == tallest else column for i, column in enumerate(columns)]
    rows = [first]
    for item in long[taken:]:
        rows.append([[item] if i == tallest else "" for i in range(len(columns))])
    return rows


def group_style(groups: list[tuple[int, int]]) -> list[tuple[Any, ...]]:
    """Style for rows made by `spread_row`: (first, last) table rows of each group read as one
    row, a rule above each group and none inside it. Use with vertical rules between columns
    ("LINEAFTER") instead of an INNERGRID."""
    style: list[tuple[Any, ...]] = []
    for first, last in groups:
        style.append(("LINEABOVE", (0, first), (-1, first), 0.5, MID_GREY))
        if last > first:
            style.append(("TOPPADDING", (0, first + 1), (-1, last), 0))
            style.append(("BOTTOMPADDING", (0, first), (-1, last - 1), 0))
    return style


def grouped_rows(logical: list[list[Any]], widths: list[float], start: int
                 ) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:  # fmt: skip
    """Table rows and their style for `logical` rows (cells a flowable, a string or a list of
    flowables) spread with `spread_row`, the first at table row `start`."""
    rows: list[list[Any]] = []
    groups: list[tuple[int, int]] = []
    for cells in logical:
        spread = spread_row(cells, widths)
        groups.append((start + len(rows), start + len(rows) + len(spread) - 1))
        rows += spread
    return rows, group_style(groups)


def frame_height(pagesize: tuple[float, float]) -> float:
    """The height a flowable has on a page of `pagesize` (as build_pdf lays it out)."""
    return pagesize[1] - TOP_MARGIN - BOTTOM_MARGIN


def fit(text: str, font: str, size: float, width: float) -> str:
    """Text cut with an ellipsis to fit `width` points on one line."""
    text = " ".join(printable(text).split())
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def identity_table(pairs: list[tuple[str, str, str, str]], width: float) -> Table:
    """Who the document is about, as label/value pairs two to a row; the last row's single
    pair spans the row. One shape for every document about one woman."""
    rows = [
        [para(a, "label"), para(b), para(c, "label") if c else "", para(d) if c else ""]
        for a, b, c, d in pairs
    ]
    label_width = 29 * mm
    value_width = (width - 2 * label_width) / 2
    return table(rows, [label_width, value_width, label_width, value_width], [
        ("BOX", (0, 0), (-1, -1), 0.75, MID_GREY),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, MID_GREY),
        ("BACKGROUND", (0, 0), (0, -1), LIGHT_GREY),
        ("BACKGROUND", (2, 0), (2, -2), LIGHT_GREY),
        ("SPAN", (1, -1), (3, -1)),
    ])  # fmt: skip


def long_day(value: date) -> str:
    """ "Monday 7 December 2026" (no leading zero, English names whatever the locale)."""
    weekdays = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    months = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")  # fmt: skip
    return f"{weekdays[value.weekday()]} {value.day} {months[value.month - 1]} {value.year}"


def content_width(pagesize: tuple[float, float]) -> float:
    return pagesize[0] - 2 * SIDE_MARGIN


@dataclass(frozen=True)
class Furniture:
    """What every page carries besides the marking: `reference_label` + bold `reference`."""

    establishment: str
    reference_label: str  # "Prison number " or "" (a list's reference speaks for itself)
    reference: str
    printed: str  # "Printed 07/12/2026 09:30 by Sam Printwell from Resettle"


def _draw(canvas: Canvas, furniture: Furniture, pagesize: tuple[float, float], page: int,
          pages: int) -> None:  # fmt: skip
    width, height = pagesize
    left, right = SIDE_MARGIN, width - SIDE_MARGIN
    canvas.saveState()
    canvas.setFillColor(BLACK)
    canvas.setFont("NotoSans-Bold", 10)
    canvas.drawCentredString(width / 2, height - 11 * mm, MARKING)

    y = height - 17 * mm
    reference = fit(furniture.reference, "NotoSans-Bold", 9, 70 * mm)
    page_text = f"Page {page} of {pages}"
    canvas.setFont("NotoSans-Regular", 9)
    canvas.drawRightString(right, y, page_text)
    reference_right = right - stringWidth(page_text, "NotoSans-Regular", 9) - 6 * mm
    canvas.setFont("NotoSans-Bold", 9)
    canvas.drawRightString(reference_right, y, reference)
    canvas.setFont("NotoSans-Regular", 9)
    prefix = furniture.reference_label
    prefix_right = reference_right - stringWidth(reference, "NotoSans-Bold", 9)
    if prefix:
        canvas.drawRightString(prefix_right, y, prefix)
    room = prefix_right - stringWidth(prefix, "NotoSans-Regular", 9) - 6 * mm - left
    canvas.drawString(left, y, fit(furniture.establishment, "NotoSans-Regular", 9, room))
    canvas.setStrokeColor(MID_GREY)
    canvas.setLineWidth(0.75)
    canvas.line(left, y - 2.5 * mm, right, y - 2.5 * mm)

    y = 11 * mm
    canvas.line(left, y + 4 * mm, right, y + 4 * mm)
    canvas.setFont("NotoSans-Bold", 8.5)
    canvas.drawRightString(right, y, MARKING)
    room = right - stringWidth(MARKING, "NotoSans-Bold", 8.5) - 6 * mm - left
    canvas.setFillColor(DARK_GREY)
    canvas.setFont("NotoSans-Regular", 8)
    canvas.drawString(left, y, fit(furniture.printed, "NotoSans-Regular", 8, room))
    canvas.restoreState()


def _canvas_maker(furniture: Furniture, pagesize: tuple[float, float]) -> type[Canvas]:
    """A canvas that holds its pages back until the end, so each can say "Page n of m"."""

    class _NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                _draw(self, furniture, pagesize, number, pages)
                super().showPage()
            super().save()

    return _NumberedCanvas


def build_pdf(story: list[Flowable], *, pagesize: tuple[float, float], title: str,
              furniture: Furniture, author: str) -> bytes:  # fmt: skip
    """The PDF's bytes: `story` in the house margins with the furniture on every page."""
    buffer = io.BytesIO()
    inset = SIDE_MARGIN - FRAME_PADDING  # so the text lines up with the header's rule
    doc = SimpleDocTemplate(
        buffer, pagesize=pagesize, leftMargin=inset, rightMargin=inset,
        topMargin=TOP_MARGIN - FRAME_PADDING, bottomMargin=BOTTOM_MARGIN - FRAME_PADDING,
        title=title, author=author, subject=MARKING, creator="Resettle", lang="en-GB",
    )  # fmt: skip
    doc.initialFontName = "NotoSans-Regular"  # no stray, unembedded Helvetica
    doc.build(story, canvasmaker=_canvas_maker(furniture, pagesize))
    return buffer.getvalue()


def house_pdf(story: list[Flowable], *, pagesize: tuple[float, float], title: str,
              establishment: str, reference: str, generated_at: datetime, generated_by: str,
              reference_label: str = "") -> bytes:  # fmt: skip
    """`build_pdf` with the usual furniture: the reference (after `reference_label`, e.g.
    "Prison number ") and "Printed <when> by <who> from Resettle" on every page."""
    furniture = Furniture(establishment=establishment, reference_label=reference_label,
                          reference=reference,
                          printed=printed_line(generated_at, generated_by))  # fmt: skip
    return build_pdf(story, pagesize=pagesize, title=title, furniture=furniture,
                     author=generated_by)  # fmt: skip


def printed_line(generated_at: datetime, generated_by: str) -> str:
    return f"Printed {when(generated_at)} by {generated_by} from Resettle"
