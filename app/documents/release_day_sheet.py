"""The release-day sheet: one page, in plain words, for the woman herself to keep.

It says when she leaves, what is arranged for the day (where she sleeps tonight, her probation
appointment, money, medication...) and who to call. It is hers, so it carries no
OFFICIAL-SENSITIVE marking: only a small "Printed ... from Resettle" line at the foot.

It is always one A4 page: with many items the type and spacing shrink a step at a time, and if
even the smallest step does not fit, the last items are left off with "...and N more - ask staff".
Noto Sans (characters it lacks are transliterated); `render_release_day_sheet` returns the PDF's
bytes and the caller saves them.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from app.documents._common import (
    BLACK,
    DARK_GREY,
    EM_DASH,
    FRAME_PADDING,
    MID_GREY,
    SIDE_MARGIN,
    fit,
    long_day,
    markup,
    printable,
    printed_line,
)

__all__ = ["render_release_day_sheet"]

TITLE = "Your release day"
KEEP = "Keep this sheet with you."
PAGE = A4
TOP = 16 * mm
BOTTOM = 18 * mm  # the printed line sits in the bottom 12 mm
MIN_SCALE = 0.58  # of the type and spacing: about 8 pt text, still readable
LONGEST = {"title": 120, "details": 400, "label": 80, "value": 160}  # characters, then "..."


def _clip(text: str, limit: int) -> str:
    text = " ".join(printable(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _styles(scale: float) -> dict[str, ParagraphStyle]:
    def style(name: str, size: float, lead: float, font: str = "NotoSans-Regular",
              color: Any = BLACK, **kw: Any) -> ParagraphStyle:  # fmt: skip
        return ParagraphStyle(name, fontName=font, bulletFontName=font, fontSize=size * scale,
                              leading=lead * scale,
                              textColor=color, **kw)  # fmt: skip

    return {
        "title": style("title", 30, 36, font="NotoSans-Bold", spaceAfter=3 * mm * scale),
        "name": style("name", 20, 25, font="NotoSans-Bold", spaceAfter=2 * mm * scale),
        "number": style("number", 13, 17, color=DARK_GREY, spaceAfter=2 * mm * scale),
        "leaving": style("leaving", 16, 21, spaceAfter=2 * mm * scale),
        "h2": style("h2", 20, 25, font="NotoSans-Bold", spaceBefore=6 * mm * scale,
                    spaceAfter=2 * mm * scale, keepWithNext=1),
        "item": style("item", 14, 18, leftIndent=14 * scale, bulletIndent=0,
                      spaceAfter=2.5 * mm * scale),
        "more": style("more", 14, 18, font="NotoSans-Italic", color=DARK_GREY,
                      spaceBefore=1 * mm * scale),
        "keep": style("keep", 16, 21, font="NotoSans-Bold", spaceBefore=7 * mm * scale),
        "empty": style("empty", 14, 18, color=DARK_GREY),
    }  # fmt: skip


def _leaving(establishment: str, release_date: date, release_time: time | None) -> str:
    where = " ".join(printable(establishment).split()) or "prison"
    when = f"at {release_time.strftime('%H:%M')}" if release_time else "time to be confirmed"
    joiner = " " if release_time else ", "
    return f"Leaving {where} on {long_day(release_date)}{joiner}{when}"


def _more(n: int) -> str:
    return f"\u2026and {n} more {EM_DASH} ask staff"


@dataclass(frozen=True)
class _Sheet:
    name: str
    prison_number: str
    leaving: str
    items: tuple[tuple[str, str], ...]
    contacts: tuple[tuple[str, str], ...]
    printed: str
    author: str


def _lines(pairs: Sequence[tuple[str, str]], shown: int, longest: tuple[int, int],
           style: ParagraphStyle) -> list[Flowable]:  # fmt: skip
    out: list[Flowable] = []
    for first, second in pairs[:shown]:
        first, second = _clip(first, longest[0]), _clip(second, longest[1])
        text = f"<b>{markup(first)}</b>" if first else ""
        if second:
            text += (": " if first else "") + markup(second)
        out.append(Paragraph(text, style, bulletText="\u2022"))
    return out


def _story(sheet: _Sheet, scale: float, shown_items: int, shown_contacts: int) -> list[Flowable]:
    s = _styles(scale)
    story: list[Flowable] = [
        Paragraph(TITLE, s["title"]),
        Paragraph(markup(sheet.name), s["name"]),
    ]
    if sheet.prison_number:
        story.append(Paragraph(f"Your prison number: <b>{markup(sheet.prison_number)}</b>",
                               s["number"]))  # fmt: skip
    story += [Paragraph(markup(sheet.leaving), s["leaving"]), Paragraph("Your day", s["h2"])]
    story += _lines(sheet.items, shown_items, (LONGEST["title"], LONGEST["details"]), s["item"])
    if not sheet.items:
        story.append(Paragraph("Staff will go through your day with you.", s["empty"]))
    if len(sheet.items) > shown_items:
        story.append(Paragraph(markup(_more(len(sheet.items) - shown_items)), s["more"]))

    story.append(Paragraph("Who to call", s["h2"]))
    story += _lines(sheet.contacts, shown_contacts, (LONGEST["label"], LONGEST["value"]),
                    s["item"])  # fmt: skip
    if not sheet.contacts:
        story.append(Paragraph("Ask staff for the numbers you need.", s["empty"]))
    if len(sheet.contacts) > shown_contacts:
        story.append(Paragraph(markup(_more(len(sheet.contacts) - shown_contacts)), s["more"]))

    story.append(Paragraph(KEEP, s["keep"]))
    return story


def _build(story: list[Flowable], printed: str, author: str) -> tuple[bytes, int]:
    """The PDF's bytes and how many pages it took."""
    width, _height = PAGE

    def footer(canvas: Canvas, _doc: object) -> None:
        canvas.saveState()
        canvas.setStrokeColor(MID_GREY)
        canvas.setLineWidth(0.75)
        canvas.line(SIDE_MARGIN, 15 * mm, width - SIDE_MARGIN, 15 * mm)
        canvas.setFillColor(DARK_GREY)
        canvas.setFont("NotoSans-Regular", 8)
        room = width - 2 * SIDE_MARGIN
        canvas.drawString(SIDE_MARGIN, 11 * mm, fit(printed, "NotoSans-Regular", 8, room))
        canvas.restoreState()

    buffer = io.BytesIO()
    inset = SIDE_MARGIN - FRAME_PADDING
    doc = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=inset, rightMargin=inset,
        topMargin=TOP - FRAME_PADDING, bottomMargin=BOTTOM - FRAME_PADDING,
        title=TITLE, author=author, creator="Resettle", lang="en-GB",
    )  # fmt: skip
    doc.initialFontName = "NotoSans-Regular"  # no stray, unembedded Helvetica
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue(), doc.page


def _largest(fits: Callable[[float], bytes | None], low: float, high: float,
             steps: int) -> bytes | None:  # fmt: skip
    """The PDF for the largest x in [low, high] that `fits` (None if not even `low` does),
    assuming that what fits at x fits at anything smaller: a bisection of `steps` rounds."""
    best = fits(low)
    if best is None:
        return None
    for _ in range(steps):
        if high - low < 1e-9:
            break
        middle = (low + high) / 2
        data = fits(middle)
        if data is not None:
            best, low = data, middle
        else:
            high = middle
    return best


def _one_page(sheet: _Sheet) -> bytes:
    """The largest type that fits on one page; failing that, as many items as fit."""

    def attempt(scale: float, n_items: int, n_contacts: int) -> bytes | None:
        data, pages = _build(_story(sheet, scale, n_items, n_contacts), sheet.printed,
                             sheet.author)  # fmt: skip
        return data if pages == 1 else None

    n_items, n_contacts = len(sheet.items), len(sheet.contacts)
    whole = attempt(1.0, n_items, n_contacts)
    if whole is not None:
        return whole
    shrunk = _largest(lambda x: attempt(x, n_items, n_contacts), MIN_SCALE, 1.0, 6)
    if shrunk is not None:
        return shrunk
    # Even the smallest type overflows: leave off items (staff can tell her the rest), keeping
    # at least one, then, if that is still too much, contacts.
    items = _largest(lambda x: attempt(MIN_SCALE, round(x), n_contacts), min(1, n_items),
                     n_items, 12)  # fmt: skip
    if items is not None:
        return items
    contacts = _largest(lambda x: attempt(MIN_SCALE, min(1, n_items), round(x)), 0, n_contacts,
                        12)  # fmt: skip
    if contacts is not None:
        return contacts
    data, _pages = _build(_story(sheet, MIN_SCALE, 0, 0), sheet.printed, sheet.author)
    return data  # a name, a date and two "ask staff" lines always fit


def render_release_day_sheet(
    *,
    establishment: str,
    name: str,
    prison_number: str,
    release_date: date,
    release_time: time | None,
    items: Sequence[tuple[str, str]],
    contacts: Sequence[tuple[str, str]],
    generated_at: datetime,
    generated_by: str,
) -> bytes:
    """Her one-page release-day sheet, as PDF bytes.

    `items` are (title, details) in the order to print, e.g. ("Where you will sleep tonight",
    "12 Fictional Road, Testtown"); `contacts` are (label, value), e.g. ("Probation", "0000 ...").
    Her prison number is printed under her name: she will be asked for it after release.
    """
    sheet = _Sheet(
        name=_clip(name, 80) or "Your release",
        prison_number=_clip(prison_number, 20),
        leaving=_leaving(establishment, release_date, release_time),
        items=tuple((t, d) for t, d in items if t.strip() or d.strip()),
        contacts=tuple((label, v) for label, v in contacts if label.strip() or v.strip()),
        printed=printed_line(generated_at, generated_by),
        author=generated_by,
    )
    return _one_page(sheet)
