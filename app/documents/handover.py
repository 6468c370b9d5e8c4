"""The transfer handover summary: what was open for a woman when she moved to another prison.

It travels with her (printed, or inside her transfer bundle), so it is in the house style of
app.documents._common: portrait A4, OFFICIAL-SENSITIVE, the establishment, her prison number
and "Page n of m" on every page, times in Europe/London. `render_handover` returns the PDF's
bytes: a transfer bundle carries them without a file, and transfer_out saves them. The caller
passes the sections already in plain words; a section with nothing in it says "Nothing open."
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from app.documents._common import (
    STYLES,
    content_width,
    day,
    house_pdf,
    identity_table,
    markup,
)

__all__ = ["HandoverItem", "render_handover"]

TITLE = "Transfer handover summary"
WIDTH = content_width(A4)
BULLET = "\u2022"
_BULLET_STYLE = ParagraphStyle("handover_bullet", STYLES["cell"], fontSize=9.5, leading=12,
                               leftIndent=12, bulletIndent=2, spaceAfter=2)  # fmt: skip
_TRANSFER_STYLE = ParagraphStyle("transfer", STYLES["cell"], fontSize=11, leading=14,
                                 spaceBefore=4 * mm)  # fmt: skip
_NOTHING_STYLE = ParagraphStyle("nothing", STYLES["note"], fontSize=9.5, leading=12)


@dataclass(frozen=True)
class HandoverItem:
    heading: str
    lines: tuple[str, ...]


def _identity(name: str, prison_number: str, date_of_birth: date, destination: str,
              transferred_on: date) -> Flowable:  # fmt: skip
    return identity_table([
        ("Name", name, "Prison number", prison_number),
        ("Date of birth", day(date_of_birth), "Transferred on", day(transferred_on)),
        ("Transferred to", destination, "", ""),
    ], WIDTH)  # fmt: skip


def _section(item: HandoverItem) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(markup(item.heading) or "&nbsp;", STYLES["h2"])]
    lines = [line for line in item.lines if line.strip()]
    if not lines:
        return story + [Paragraph("Nothing open.", _NOTHING_STYLE)]
    return story + [Paragraph(markup(line), _BULLET_STYLE, bulletText=BULLET) for line in lines]


def render_handover(
    *,
    establishment: str,
    prison_number: str,
    name: str,
    date_of_birth: date,
    destination: str,
    transferred_on: date,
    sections: Sequence[HandoverItem],
    generated_at: datetime,
    generated_by: str,
) -> bytes:
    """The handover summary as PDF bytes."""
    story: list[Flowable] = [
        Paragraph(TITLE, STYLES["title"]),
        Paragraph(
            markup(f"What was open for her at {establishment} when she was transferred. "
                   "Check the record in Resettle for later changes."),
            STYLES["intro"],
        ),  # fmt: skip
        _identity(name, prison_number, date_of_birth, destination, transferred_on),
        Paragraph(f"Transferred to <b>{markup(destination)}</b> on "
                  f"<b>{day(transferred_on)}</b>", _TRANSFER_STYLE),  # fmt: skip
    ]
    for item in sections:
        story += _section(item)
    return house_pdf(story, pagesize=A4, title=TITLE, establishment=establishment,
                     reference_label="Prison number ", reference=prison_number,
                     generated_at=generated_at, generated_by=generated_by)  # fmt: skip

