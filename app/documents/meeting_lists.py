"""Printable lists for the weekly resettlement meetings: EDIC and MAPPA releases.

EDIC (Early Days in Community) lists the women due out in one week, one block each, with what
could go wrong on the day (risks, printed in bold dark red *and* prefixed "RISK:", so they read
the same in black and white), what is still open and where referrals stand. The MAPPA list is a
table of MAPPA cases due for release in a period. Both are landscape A4 in the house style of
app.documents._common: OFFICIAL-SENSITIVE, establishment and "Page n of m" on every page,
times in Europe/London; the renderers return the PDF's bytes and the caller saves them.

Both lists, and the meetings dialog on screen, show the same `MeetingRow` (app.domain.meetings,
filled by app.services.meetings): one shape, so a column added for one is there for the others.
The caller passes plain, human-readable values, already in the order to print.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from app.documents._common import (
    BAND_GREY,
    DARK_GREY,
    EM_DASH,
    MID_GREY,
    NOT_ANSWERED,
    STYLES,
    content_width,
    day,
    frame_height,
    grouped_rows,
    house_pdf,
    long_day,
    markup,
    para,
    table,
)
from app.domain.meetings import MeetingRow

__all__ = ["render_edic", "render_mappa"]

EDIC_TITLE = f"EDIC {EM_DASH} Early Days in Community"
MAPPA_TITLE = "MAPPA cases due for release"
PAGE = landscape(A4)
WIDTH = content_width(PAGE)
FRAME = frame_height(PAGE)
RISK_RED = colors.HexColor("#942514")  # dark enough to read when printed in grey
RISK_HEX = "#942514"


_LIST_STYLES = {
    "subtitle": ParagraphStyle("subtitle", STYLES["cell"], fontSize=11, leading=14,
                               spaceAfter=1 * mm),
    "count": ParagraphStyle("count", STYLES["intro"], spaceAfter=3 * mm),
    "who": ParagraphStyle("who", STYLES["cell"], fontSize=10.5, leading=13),
    "colhead": ParagraphStyle("colhead", STYLES["cell"], fontName="NotoSans-Bold", fontSize=8,
                              leading=10, textColor=DARK_GREY, spaceAfter=1),
    "risk": ParagraphStyle("risk", STYLES["cell"], fontName="NotoSans-Bold", textColor=RISK_RED,
                           spaceAfter=1.5),
    "bullet": ParagraphStyle("bullet", STYLES["cell"], leftIndent=10, bulletIndent=1,
                             spaceAfter=1.5),
    "line": ParagraphStyle("line", STYLES["cell"], spaceAfter=1.5),
    "empty": ParagraphStyle("empty_note", STYLES["empty"], fontSize=10.5, leading=13,
                            spaceBefore=2 * mm),
}  # fmt: skip
BULLET = "\u2022"


def _text(value: str) -> str:
    """Markup for a value, or an en dash when it is blank."""
    return markup(value) if value.strip() else NOT_ANSWERED


def _week(start: date, end: date) -> str:
    first = start.isocalendar()
    last = end.isocalendar()
    if (first.year, first.week) == (last.year, last.week):
        return f"{first.year}-W{first.week:02d}"
    return f"{first.year}-W{first.week:02d} to {last.year}-W{last.week:02d}"


def _release(row: MeetingRow) -> str:
    when = day(row.release_date)
    if row.release_time is None:
        return f"{when}, time not set"
    return f"{when} {row.release_time.strftime('%H:%M')}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# --- EDIC ---------------------------------------------------------------------------------------


def _edic_block(row: MeetingRow) -> list[Flowable]:
    """Her heading band, the column headings, then one table row per line of each column (see
    _common.spread_row): a woman with 200 open tasks runs over pages, the band and the column
    headings repeated at the top of each."""
    who = (f"<b>{markup(row.name) or NOT_ANSWERED}</b>&nbsp;&nbsp;&nbsp; Prison number "
           f"<b>{_text(row.prison_number)}</b>&nbsp;&nbsp;&nbsp; Release "
           f"<b>{markup(_release(row))}</b>&nbsp;&nbsp;&nbsp; {_text(row.release_type)}")
    details: list[Flowable] = [
        Paragraph(f"<b>{label}:</b> {_text(value)}", _LIST_STYLES["line"])
        for label, value in (
            ("Home council", row.home_council),
            ("Plan", row.plan_status),
            ("Accommodation", row.accommodation_status),
            ("Referrals", row.referrals),
        )
    ]

    flagged = [r for r in row.risks if r.strip()]
    risks: list[Flowable] = [Paragraph(f"RISK: {markup(r)}", _LIST_STYLES["risk"]) for r in flagged]
    if not flagged:
        risks.append(Paragraph("No risks flagged.", STYLES["empty"]))

    open_tasks = [t for t in row.open_tasks if t.strip()]
    tasks: list[Flowable] = [Paragraph(markup(t), _LIST_STYLES["bullet"], bulletText=BULLET)
                             for t in open_tasks]  # fmt: skip
    if not open_tasks:
        tasks.append(Paragraph("No open tasks.", STYLES["empty"]))

    widths = [100 * mm, 62 * mm]
    widths.append(WIDTH - sum(widths))
    heads = ("Plan and referrals", "Risks", f"Open tasks ({len(open_tasks)})")
    rows: list[list[Any]] = [
        [Paragraph(who, _LIST_STYLES["who"]), "", ""],
        [Paragraph(markup(h), _LIST_STYLES["colhead"]) for h in heads],
    ]
    body, grouped = grouped_rows([[details, risks, tasks]], widths, start=len(rows))
    block = table(rows + body, widths, [
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), BAND_GREY),
        ("BOX", (0, 0), (-1, -1), 0.75, MID_GREY),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, MID_GREY),
        ("LINEAFTER", (0, 1), (-2, -1), 0.5, MID_GREY),
        ("TOPPADDING", (0, 0), (-1, 0), 4),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 0),
        *grouped[1:],  # no rule between the column headings and the first line
    ], header_rows=2)  # fmt: skip
    if block.wrap(WIDTH, FRAME)[1] <= FRAME:  # fits on a page: never split
        return [KeepTogether([block, Spacer(1, 3.5 * mm)])]
    return [CondPageBreak(60 * mm), block, Spacer(1, 3.5 * mm)]  # runs over: start it anywhere


def _edic_story(week_start: date, week_end: date, rows: Sequence[MeetingRow]) -> list[Flowable]:
    subtitle = (f"Releases {long_day(week_start)} to {long_day(week_end)} "
                f"(week {_week(week_start, week_end)})")  # fmt: skip
    story: list[Flowable] = [
        Paragraph(markup(EDIC_TITLE), STYLES["title"]),
        Paragraph(markup(subtitle), _LIST_STYLES["subtitle"]),
    ]
    if not rows:
        return story + [Paragraph("No releases in this week.", _LIST_STYLES["empty"])]
    count = _count(len(rows), "woman", "women") + " due for release."
    story.append(Paragraph(markup(count), _LIST_STYLES["count"]))
    for row in rows:
        story += _edic_block(row)
    return story


def render_edic(
    *,
    establishment: str,
    week_start: date,
    week_end: date,
    rows: Sequence[MeetingRow],
    generated_at: datetime,
    generated_by: str,
) -> bytes:
    """The EDIC list for one week, as PDF bytes."""
    return house_pdf(_edic_story(week_start, week_end, rows), pagesize=PAGE, title=EDIC_TITLE,
                     reference=f"EDIC week {_week(week_start, week_end)}",
                     establishment=establishment, generated_at=generated_at,
                     generated_by=generated_by)  # fmt: skip


# --- MAPPA --------------------------------------------------------------------------------------

_LEVEL = re.compile(r"(?:MAPPA[\s_-]*)?(?:LEVEL[\s_-]*)?([1-3])", re.IGNORECASE)


def mappa_level(value: str) -> str:
    """ "2", "LEVEL_2", "level 2" -> "Level 2"; anything else as it is."""
    match = _LEVEL.fullmatch(value.strip())
    return f"Level {match[1]}" if match else value.strip()


def _mappa_story(start: date, end: date, rows: Sequence[MeetingRow]) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(markup(MAPPA_TITLE), STYLES["title"]),
        Paragraph(markup(f"Releases due {long_day(start)} to {long_day(end)}"),
                  _LIST_STYLES["subtitle"]),
    ]  # fmt: skip
    if not rows:
        return story + [Paragraph("No MAPPA cases are due for release in this period.",
                                  _LIST_STYLES["empty"])]  # fmt: skip
    story.append(Paragraph(_count(len(rows), "case", "cases") + ".", _LIST_STYLES["count"]))
    headings = ["Name", "Prison number", "MAPPA level", "Release date", "Release type",
                "Home council", "Community probation practitioner", "Prison offender manager",
                "Plan", "Accommodation"]  # fmt: skip
    widths = [a * mm for a in (36, 22, 17, 20, 26, 28, 29, 29, 21)]
    widths.append(WIDTH - sum(widths))
    body: list[list[Any]] = [[Paragraph(h, STYLES["th"]) for h in headings]]
    for row in rows:
        body.append([
            [Paragraph(f"<b>{_text(row.name)}</b>", STYLES["small"])],
            para(row.prison_number, "small"),
            [Paragraph(f"<b>{_text(mappa_level(row.mappa_level))}</b>", STYLES["small"])],
            para(day(row.release_date), "small"),
            para(row.release_type, "small"),
            para(row.home_council, "small"),
            para(row.cpp_name, "small"),
            para(row.pom_name, "small"),
            para(row.plan_status, "small"),
            para(row.accommodation_status, "small"),
        ])  # fmt: skip
    story.append(table(body, widths, [
        ("BACKGROUND", (0, 0), (-1, 0), BAND_GREY),
        ("BOX", (0, 0), (-1, -1), 0.75, MID_GREY),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, MID_GREY),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, DARK_GREY),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
    ], header_rows=1))  # fmt: skip
    return story


def render_mappa(
    *,
    establishment: str,
    start: date,
    end: date,
    rows: Sequence[MeetingRow],
    generated_at: datetime,
    generated_by: str,
) -> bytes:
    """The MAPPA release list, as PDF bytes."""
    return house_pdf(_mappa_story(start, end, rows), pagesize=PAGE, title=MAPPA_TITLE,
                     reference=f"MAPPA {day(start)} to {day(end)}", establishment=establishment,
                     generated_at=generated_at, generated_by=generated_by)  # fmt: skip
