"""The accommodation-on-release monitoring report: where women went on release, and if it lasted.

Landscape A4 in the house style of app.documents._common (OFFICIAL-SENSITIVE top and
bottom, establishment and "Page n of m" on every page, Noto Sans); the renderer returns the
PDF's bytes and the caller saves them. A stacked bar chart by month, then tables by month, by
quarter, remand against sentenced and foreign national against British.

Small numbers could identify a woman, so every count in a table goes through
app.domain.release_day.suppressed() ("<5" for 1 to 4), and a percentage of a total under 5 is
shown as a dash. The chart draws the real counts (a bar has no printed number). "Unknown" is a
failure to follow up, and says so: it is always counted, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.documents._common import (
    BAND_GREY,
    BLACK,
    DARK_GREY,
    LIGHT_GREY,
    MID_GREY,
    NOT_ANSWERED,
    STYLES,
    content_width,
    day,
    house_pdf,
    long_day,
    markup,
    table,
)
from app.domain.release_day import SUPPRESS_BELOW, OutcomeCounts, OutcomeReport, suppressed

__all__ = ["render_outcomes_report"]

TITLE = "Accommodation on release"
PAGE = landscape(A4)
WIDTH = content_width(PAGE)
UNKNOWN_HEADING = "Unknown (a failure to follow up)"
SMALL_NOTE = "Counts under 5 are shown as <5 in tables."
FOOTNOTE = ("Settled and transient follow nDelius accommodation codes; sustained = accommodation "
            "lasting more than 12 weeks.")  # fmt: skip
# Colours that still tell apart when printed in grey: dark, middle, darkest red, light.
SERIES = (
    ("Settled", colors.HexColor("#00703C")),
    ("Transient", colors.HexColor("#F47738")),
    ("Homeless", colors.HexColor("#6E1B0F")),
    ("Unknown", colors.HexColor("#B1B4B6")),
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_LABEL = re.compile(r"(\d{4})-(\d{2})")

_REPORT_STYLES = {
    "subtitle": ParagraphStyle("subtitle", STYLES["cell"], fontSize=11, leading=14,
                               spaceAfter=1 * mm),
    "headline": ParagraphStyle("headline", STYLES["cell"], fontSize=10.5, leading=13.5,
                               spaceAfter=2 * mm),
    "h2": ParagraphStyle("h2", STYLES["h2"], spaceBefore=5 * mm),
    "num": ParagraphStyle("num", STYLES["small"], alignment=2),
    "num_bold": ParagraphStyle("num_bold", STYLES["small"], alignment=2, fontName="NotoSans-Bold"),
    "th_num": ParagraphStyle("th_num", STYLES["th"], alignment=2),
}  # fmt: skip


def month_name(label: str) -> str:
    """ "2026-11" -> "Nov 2026"; any other label as it is."""
    match = _MONTH_LABEL.fullmatch(label.strip())
    if match and 1 <= int(match[2]) <= 12:
        return f"{MONTHS[int(match[2]) - 1]} {match[1]}"
    return label


def _date(value: date) -> str:
    """ "1 November 2026" (long_day without the weekday)."""
    return long_day(value).split(" ", 1)[1]


def _percent(part: int, total: int) -> str:
    """Of the real counts, as a whole percentage; a dash when the total is under 5."""
    if total < SUPPRESS_BELOW:
        return NOT_ANSWERED
    return f"{round(100 * part / total)}%"


def _sustained(counts: OutcomeCounts) -> str:
    """ "12 of 30": releases whose accommodation lasted over 12 weeks, of all in the row."""
    tracked = counts.sustained + counts.not_sustained + counts.sustained_unknown
    if not tracked:
        return NOT_ANSWERED
    return f"{suppressed(counts.sustained)} of {suppressed(tracked)}"


# --- the chart ----------------------------------------------------------------------------------


def _step(peak: int) -> int:
    """A round step (1, 2, 5, 10, 20, 50...) giving at most about six lines up to `peak`."""
    base = 1
    while True:
        for step in (base, 2 * base, 5 * base):
            if peak <= 6 * step:
                return step
        base *= 10


def _chart(months: Sequence[OutcomeCounts]) -> Drawing:
    tilted = len(months) > 12  # a long period: tilt the month names so they do not run together
    height = 95 * mm
    legend_width = 34 * mm
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 10 * mm, (13 if tilted else 8) * mm
    chart.width = WIDTH - legend_width - chart.x - 6 * mm
    chart.height = height - chart.y - 4 * mm
    chart.data = [
        [c.settled for c in months],
        [c.transient for c in months],
        [c.homeless for c in months],
        [c.unknown for c in months],
    ]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [month_name(c.label) for c in months]
    labels = chart.categoryAxis.labels
    labels.fontName, labels.fontSize, labels.fillColor = "NotoSans-Regular", 7.5, BLACK
    if tilted:
        labels.angle, labels.boxAnchor, labels.dx, labels.dy = 30, "ne", 2, -2
    else:
        labels.boxAnchor, labels.dy = "n", -2
    chart.categoryAxis.strokeColor = DARK_GREY
    chart.valueAxis.strokeColor = DARK_GREY
    chart.valueAxis.labels.fontName = "NotoSans-Regular"
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    peak = max((c.total for c in months), default=0)
    step = _step(peak)
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = max(step * -(-peak // step), 4)  # the top line labelled
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = LIGHT_GREY
    chart.barSpacing = 0
    chart.groupSpacing = 6 if tilted else 10
    chart.bars.strokeColor = colors.white
    chart.bars.strokeWidth = 0.4
    for index, (_name, colour) in enumerate(SERIES):
        chart.bars[index].fillColor = colour
    drawing.add(chart)

    legend = Legend()
    legend.x, legend.y = WIDTH - legend_width + 2 * mm, height - 6 * mm
    legend.alignment = "right"
    legend.fontName, legend.fontSize = "NotoSans-Regular", 8.5
    legend.boxAnchor = "nw"
    legend.columnMaximum = 4
    legend.deltay = 12
    legend.dxTextSpace = 5
    legend.colorNamePairs = [(colour, name) for name, colour in reversed(SERIES)]  # top = top
    legend.strokeColor = colors.white
    drawing.add(legend)
    return drawing


# --- the tables ---------------------------------------------------------------------------------

HEADINGS = ("Settled", "Transient", "Homeless", UNKNOWN_HEADING, "Total", "% settled",
            "% unknown", "Sustained at 12 weeks")  # fmt: skip


def _row(counts: OutcomeCounts, label: str, bold: bool = False) -> list[Any]:
    style = _REPORT_STYLES["num_bold" if bold else "num"]
    values = [
        suppressed(counts.settled),
        suppressed(counts.transient),
        suppressed(counts.homeless),
        suppressed(counts.unknown),
        suppressed(counts.total),
        _percent(counts.settled, counts.total),
        _percent(counts.unknown, counts.total),
        _sustained(counts),
    ]
    first = f"<b>{markup(label)}</b>" if bold else markup(label)
    return [Paragraph(first or NOT_ANSWERED, STYLES["small"])] + [
        Paragraph(markup(v), style) for v in values
    ]


def _label(counts: OutcomeCounts) -> str:
    return counts.label


def _counts_table(first_heading: str, rows: Sequence[OutcomeCounts], overall: OutcomeCounts | None,
                  name: Callable[[OutcomeCounts], str] = _label) -> Flowable:  # fmt: skip
    """One row per group, and an "All releases" row when `overall` is given."""
    widths = [a * mm for a in (20, 20, 20, 34, 18, 20, 20, 30)]
    widths.insert(0, WIDTH - sum(widths))
    heads = [Paragraph(markup(h), _REPORT_STYLES["th_num"]) for h in HEADINGS]
    body: list[list[Any]] = [[Paragraph(markup(first_heading), STYLES["th"]), *heads]]
    body += [_row(c, name(c)) for c in rows]
    style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), BAND_GREY),
        ("BACKGROUND", (4, 1), (4, -1), LIGHT_GREY),  # unknown: the column to look at
        ("BOX", (0, 0), (-1, -1), 0.75, MID_GREY),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, MID_GREY),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, DARK_GREY),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
    ]
    if overall is not None:
        body.append(_row(overall, "All releases", bold=True))
        style.append(("LINEABOVE", (0, -1), (-1, -1), 0.9, DARK_GREY))
    return table(body, widths, style, header_rows=1)


def _section(heading: str, flowable: Flowable) -> list[Flowable]:
    return [Paragraph(markup(heading), _REPORT_STYLES["h2"]), flowable]


def _story(report: OutcomeReport) -> list[Flowable]:
    overall = report.overall
    period = f"Releases from {_date(report.start)} to {_date(report.end)}"
    story: list[Flowable] = [
        Paragraph(markup(TITLE), STYLES["title"]),
        Paragraph(markup(period), _REPORT_STYLES["subtitle"]),
    ]
    if overall.total == 0:
        story.append(Paragraph("No releases are recorded in this period.",
                               _REPORT_STYLES["headline"]))  # fmt: skip
    else:
        headline = (
            f"<b>{markup(suppressed(overall.total))}</b> releases: "
            f"<b>{markup(_percent(overall.settled, overall.total))}</b> to settled "
            f"accommodation, <b>{markup(_percent(overall.unknown, overall.total))}</b> "
            "not known (a failure to follow up)."
        )
        story.append(Paragraph(headline, _REPORT_STYLES["headline"]))
    if report.by_month:
        story += [
            KeepTogether([
                Paragraph("Where women went on release, by month", _REPORT_STYLES["h2"]),
                _chart(report.by_month),
                Paragraph(markup(SMALL_NOTE), STYLES["note"]),
            ]),
        ]  # fmt: skip
        story += _section("By month", _counts_table(
            "Month", report.by_month, overall, name=lambda c: month_name(c.label)))  # fmt: skip
    if report.by_quarter:
        story += _section("By quarter", _counts_table("Quarter", report.by_quarter, overall))
    if report.by_custody:
        story += _section("Remand and sentenced",
                          _counts_table("Custody status", report.by_custody, None))  # fmt: skip
    if report.by_nationality:
        story += _section("Foreign national and British",
                          _counts_table("Nationality", report.by_nationality, None))  # fmt: skip
    story += [
        Spacer(1, 4 * mm),
        Paragraph(markup(FOOTNOTE), STYLES["note"]),
        Paragraph(markup(f"{UNKNOWN_HEADING}: no accommodation outcome was recorded after "
                         "release. " + SMALL_NOTE + " Percentages are of the real counts, and "
                         "shown as \u2013 when the total is under 5."), STYLES["note"]),
    ]  # fmt: skip
    return story


def render_outcomes_report(
    *,
    establishment: str,
    report: OutcomeReport,
    generated_at: datetime,
    generated_by: str,
) -> bytes:
    """The outcomes report, as PDF bytes."""
    return house_pdf(_story(report), pagesize=PAGE, title=TITLE, establishment=establishment,
                     reference=f"Outcomes {day(report.start)} to {day(report.end)}",
                     generated_at=generated_at, generated_by=generated_by)  # fmt: skip
