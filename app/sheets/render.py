"""Draw composed sheets onto A4 pages: large plain type, her language first, English beside it
when asked, right-aligned for right-to-left languages.

Layout is done in two passes (place every line, then draw with "Page n of m" known). Each page
has a footer with the print date and page number in her language, and, for a draft
translation, the draft notice in small print in her language and in English. Several sheets
can go into one PDF (one print job); each starts on a new page with its own page numbers.
The PDF embeds a subset of each font it uses; nothing is written until the whole PDF is built.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.sheets import fonts as F
from app.sheets.compose import ComposedSheet, Element
from app.sheets.typeset import Line, TextStyle, draw_lines, layout

PAGE_W, PAGE_H = A4
SIDE = 20 * mm
TOP = 16 * mm
BOTTOM = 8 * mm  # below the footer
FOOT_GAP = 6 * mm  # between the text and the footer's rule
WIDTH = PAGE_W - 2 * SIDE
GREY = (0.33, 0.33, 0.33)
LIGHT = (0.45, 0.45, 0.45)
RULE = (0.7, 0.7, 0.7)
KEEP_WHOLE = 200.0  # points: a paragraph shorter than this is never split across pages

# type size, bold, colour, space before, space after, indent
_KINDS: dict[str, tuple[float, bool, tuple[float, float, float], float, float, float]] = {
    "title": (23, True, (0, 0, 0), 0, 4, 0),
    "heading": (15.5, True, (0, 0, 0), 9, 3, 0),
    "para": (12.5, False, (0, 0, 0), 0, 5, 0),
    "strong": (12.5, True, (0, 0, 0), 0, 5, 0),
    "bullet": (12.5, False, (0, 0, 0), 0, 3, 16),
    "label": (11, True, GREY, 2, 0, 0),
    "value": (12.5, False, (0, 0, 0), 0, 4, 10),
    "service": (13, True, (0, 0, 0), 6, 1, 0),
    "note": (11, False, GREY, 0, 4, 10),
}
_SCRIPT_SCALE = {"nastaliq": 1.05, "han": 1.0}


@dataclass
class _Placed:
    lines: list[Line]
    style: TextStyle
    indent: float
    align: str
    top: float  # y of the top of the first line
    bullet: bool = False


def _style(kind: str, script: str, rtl: bool | None, *, english: bool = False) -> TextStyle:
    size, bold, colour, _before, _after, _indent = _KINDS[kind]
    if english:
        return TextStyle("latin", max(8.5, size * 0.78), bold and kind in ("heading", "title"),
                         LIGHT, rtl=False)  # fmt: skip
    return TextStyle(script, size * _SCRIPT_SCALE.get(script, 1.0), bold, colour, rtl=rtl)


class _Pages:
    """Places elements top to bottom, starting a new page when one is full."""

    def __init__(self, sheet: ComposedSheet) -> None:
        self.sheet = sheet
        self.rtl = sheet.language.rtl
        self.align = "right" if self.rtl else "left"
        self.pages: list[list[_Placed]] = []
        self.footer = footer_height(sheet)
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        self.pages.append([])
        self.y = PAGE_H - TOP
        if len(self.pages) > 1:
            self._running_header()

    def _running_header(self) -> None:
        s = self.sheet
        text = f"{s.title} \u2014 {s.person.name} \u2014 {s.person.prison_number}"
        style = TextStyle(s.language.script, 9, False, GREY, rtl=None)
        self.place(layout(text, style, WIDTH), style, 0, after=6)

    def room(self) -> float:
        return self.y - self.footer

    def place(self, lines: list[Line], style: TextStyle, indent: float, *, before: float = 0,
              after: float = 0, bullet: bool = False, keep: float = 0.0) -> None:  # fmt: skip
        """Add lines (splitting across pages if needed); keep: height that must follow them."""
        if not lines:
            return
        height = len(lines) * style.line_height
        kept_whole = height < KEEP_WHOLE  # short blocks move to the next page rather than split
        first = (height if kept_whole else style.line_height) + before + keep
        if self.pages[-1] and first > self.room():
            self.new_page()
        self.y -= before
        while lines:
            fit = max(1, int(self.room() // style.line_height))
            chunk, lines = lines[:fit], lines[fit:]
            self.pages[-1].append(_Placed(chunk, style, indent, self.align, self.y, bullet))
            self.y -= len(chunk) * style.line_height
            bullet = False
            if lines:
                self.new_page()
        self.y -= after

    def element(self, element: Element, keep: float = 0.0) -> None:
        script = self.sheet.language.script
        _size, _bold, _colour, before, after, indent = _KINDS[element.kind]
        rtl: bool | None = None if element.verbatim else self.rtl
        style = _style(element.kind, script if not element.verbatim else _verbatim_script(
            element.text, script), rtl)  # fmt: skip
        width = WIDTH - indent
        lines = layout(element.text, style, width)
        twin_after = 0.0
        if element.english:
            twin_after, after = after, 1.0
        self.place(lines, style, indent, before=before, after=after,
                   bullet=element.kind == "bullet", keep=keep)  # fmt: skip
        if element.english:
            english_style = _style(element.kind, "latin", False, english=True)
            english_lines = layout(element.english, english_style, width)
            self.place(english_lines, english_style, indent, after=twin_after)


def _verbatim_script(text: str, script: str) -> str:
    """Staff's words are usually English: draw them with the sheet's script family (whose chain
    falls back to Latin) unless that family's leading would waste space on plain Latin."""
    return script if any(ord(c) > 0x24F for c in text) else "latin"


def _header(pages: _Pages) -> None:
    s = pages.sheet
    script, rtl = s.language.script, s.language.rtl
    small = TextStyle(script, 10, False, GREY, rtl=rtl)
    if s.establishment:
        pages.place(layout(s.establishment, TextStyle("latin", 10, False, GREY, rtl=None), WIDTH),
                    TextStyle("latin", 10, False, GREY, rtl=None), 0, after=3)  # fmt: skip
    pages.element(Element("title", s.title, s.english_title if s.bilingual else ""))
    pairs = [(s.labels["name"], s.person.name), (s.labels["number"], s.person.prison_number),
             (s.labels["language"], s.language.native_name)]  # fmt: skip
    for label, value in pairs:
        text = f"{label}: {value}"
        style = TextStyle(script, 12.5, False, (0, 0, 0), rtl=rtl)
        pages.place(layout(text, style, WIDTH), style, 0, after=1)
    if s.bilingual:
        english = (f"{s.english_labels['name']}: {s.person.name}   "
                   f"{s.english_labels['number']}: {s.person.prison_number}   "
                   f"{s.english_labels['language']}: {s.language.english_name}")  # fmt: skip
        style = _style("para", "latin", False, english=True)
        pages.place(layout(english, style, WIDTH), style, 0)
    if s.language.code != "en":
        pages.place(layout(s.ask, small, WIDTH), small, 0, before=4, after=2)
    pages.y -= 4
    pages.pages[-1].append(_Placed([], small, 0, "rule", pages.y))
    pages.y -= 8


def _footer_blocks(sheet: ComposedSheet, page: int, pages: int) -> list[tuple[list[Line],
                                                                             TextStyle]]:
    """The footer's lines: print date and page in her language (and English when bilingual),
    the draft notice in her language and in English, and the sheet's id."""
    script, rtl = sheet.language.script, sheet.language.rtl
    english = TextStyle("latin", 7.5, False, GREY, rtl=False)
    texts: list[tuple[str, TextStyle]] = [
        (f"{sheet.printed} \u2014 {sheet.page_label(page, pages)}",
         TextStyle(script, 9, False, GREY, rtl=rtl))]  # fmt: skip
    if sheet.bilingual:
        texts.append((f"{sheet.printed_english} \u2014 {sheet.page_label_english(page, pages)}",
                      english))  # fmt: skip
    if sheet.draft_notice:
        texts.append((sheet.draft_notice, TextStyle(script, 7.5, False, GREY, rtl=rtl)))
        texts.append((sheet.draft_notice_english, english))
    texts.append((f"Resettle \u2014 {sheet.sheet_id} \u2014 {sheet.language.code}"
                  f"{' + en' if sheet.bilingual else ''}", english))  # fmt: skip
    return [(layout(text, style, WIDTH), style) for text, style in texts]


def footer_height(sheet: ComposedSheet) -> float:
    """Room the footer needs (the same on every page: "Page 10 of 10" is the longest)."""
    blocks = _footer_blocks(sheet, 10, 10)
    return sum(len(lines) * style.line_height for lines, style in blocks) + FOOT_GAP + BOTTOM


def _footer(canvas: Canvas, sheet: ComposedSheet, page: int, pages: int) -> None:
    blocks = _footer_blocks(sheet, page, pages)
    y = footer_height(sheet) - FOOT_GAP / 2
    canvas.setStrokeColorRGB(*RULE)
    canvas.setLineWidth(0.5)
    canvas.line(SIDE, y + 2, PAGE_W - SIDE, y + 2)
    for lines, style in blocks:
        y = draw_lines(canvas, lines, SIDE, y, WIDTH, style)


def _draw_page(canvas: Canvas, placed: Sequence[_Placed]) -> None:
    for item in placed:
        if item.align == "rule":
            canvas.setStrokeColorRGB(*RULE)
            canvas.setLineWidth(0.8)
            canvas.line(SIDE, item.top, PAGE_W - SIDE, item.top)
            continue
        rtl = item.align == "right"
        left = SIDE if rtl else SIDE + item.indent
        width = WIDTH - item.indent
        if item.bullet and item.lines:
            y = item.top - item.style.line_height / 2 - item.style.size * 0.32
            bullet_x = PAGE_W - SIDE - 6 if rtl else SIDE + 4
            canvas.setFillColorRGB(0, 0, 0)
            canvas.circle(bullet_x, y + item.style.size * 0.33, item.style.size * 0.16,
                          stroke=0, fill=1)  # fmt: skip
        draw_lines(canvas, item.lines, left, item.top, width, item.style, item.align)


def _layout(sheet: ComposedSheet) -> list[list[_Placed]]:
    pages = _Pages(sheet)
    _header(pages)
    elements = sheet.elements
    for i, element in enumerate(elements):
        keep = 0.0
        if element.kind in ("heading", "label", "service") and i + 1 < len(elements):
            nxt = elements[i + 1]
            keep = _style(nxt.kind, sheet.language.script, sheet.language.rtl).line_height * 2
        pages.element(element, keep)
    return pages.pages


def render_sheets(sheets: Sequence[ComposedSheet]) -> bytes:
    """One PDF with every sheet, each starting on a new page."""
    buffer = io.BytesIO()
    first = sheets[0]
    canvas = Canvas(buffer, pagesize=A4, initialFontName=F.register(F.LATIN), initialFontSize=10,
                    invariant=False)  # fmt: skip
    canvas.setTitle(" / ".join(s.title for s in sheets))
    canvas.setAuthor(first.establishment or "Resettle")
    canvas.setCreator("Resettle")
    canvas.setSubject("Information sheet")
    for sheet in sheets:
        for name in {*F.chain(sheet.language.script, False), *F.chain(sheet.language.script, True)}:
            F.register(name)
        laid_out = _layout(sheet)
        for number, placed in enumerate(laid_out, start=1):
            _draw_page(canvas, placed)
            _footer(canvas, sheet, number, len(laid_out))
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()

