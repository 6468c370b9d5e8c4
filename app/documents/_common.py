"""Page furniture and text helpers shared by Resettle's printable PDFs.

The house style is the BCST summary's (app.documents.bcst_summary): A4, Noto Sans, an
OFFICIAL-SENSITIVE marking top and bottom, the establishment and a reference (a prison number,
or a list's week) with "Page n of m" on every page, "Printed ... by ... from Resettle" in the
footer, and the file written whole or not at all. The text helpers and the atomic write are
imported from there unchanged; this module adds furniture that works on any page size (the
meeting lists are landscape) with any reference, and the date wording the lists use.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from app.documents.bcst_summary import (
    _FRAME_PADDING,
    BAND_GREY,
    BLACK,
    BOTTOM_MARGIN,
    DARK_GREY,
    EM_DASH,
    LIGHT_GREY,
    MARKING,
    MID_GREY,
    MIN_ROW_PART,
    NOT_ANSWERED,
    SIDE_MARGIN,
    STYLES,
    TOP_MARGIN,
    _day,
    _fit,
    _markup,
    _para,
    _printable,
    _table,
    _when,
    _write_atomically,
)

__all__ = [
    "BAND_GREY",
    "BLACK",
    "DARK_GREY",
    "EM_DASH",
    "LIGHT_GREY",
    "MARKING",
    "MID_GREY",
    "MIN_ROW_PART",
    "NOT_ANSWERED",
    "SIDE_MARGIN",
    "STYLES",
    "Furniture",
    "build_pdf",
    "content_width",
    "day",
    "long_day",
    "markup",
    "para",
    "printable",
    "printed_line",
    "table",
    "when",
    "write_atomically",
]

day = _day  # DD/MM/YYYY
when = _when  # an instant (UTC) as DD/MM/YYYY HH:MM in Europe/London time
markup = _markup  # plain text as Paragraph markup: & < > escaped, Windows-1252 only
printable = _printable
para = _para
table = _table
write_atomically = _write_atomically


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
    reference = _fit(furniture.reference, "NotoSans-Bold", 9, 70 * mm)
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
    canvas.drawString(left, y, _fit(furniture.establishment, "NotoSans-Regular", 9, room))
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
    canvas.drawString(left, y, _fit(furniture.printed, "NotoSans-Regular", 8, room))
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
    inset = SIDE_MARGIN - _FRAME_PADDING  # so the text lines up with the header's rule
    doc = SimpleDocTemplate(
        buffer, pagesize=pagesize, leftMargin=inset, rightMargin=inset,
        topMargin=TOP_MARGIN - _FRAME_PADDING, bottomMargin=BOTTOM_MARGIN - _FRAME_PADDING,
        title=title, author=author, subject=MARKING, creator="Resettle", lang="en-GB",
    )  # fmt: skip
    doc.initialFontName = "NotoSans-Regular"  # no stray, unembedded Helvetica
    doc.build(story, canvasmaker=_canvas_maker(furniture, pagesize))
    return buffer.getvalue()


def printed_line(generated_at: datetime, generated_by: str) -> str:
    return f"Printed {_when(generated_at)} by {generated_by} from Resettle"
