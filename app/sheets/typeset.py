"""Line layout and drawing for text in any script: shaping, font fallback, bidi, wrapping.

Why not ReportLab's Paragraph: with shaping on, it lays right-to-left words out in the wrong
order, shapes a word that mixes two fonts with the first font only (boxes), has no font fallback,
and can crash in setRise when a line starts with a vertically offset glyph (Farsi, Urdu). So:

1. each character gets a bidi level (app.sheets.bidi_levels) and a font (app.sheets.fonts);
2. the text is cut into break opportunities: after spaces (never at a no-break space, so phone
   numbers stay whole), and between Chinese characters except before closing or after opening
   punctuation;
3. lines are filled greedily in logical order, measuring each piece as HarfBuzz shapes it;
4. each line is cut into runs of one font and one level, reordered by rule L2, and each word of
   a run is shaped by ReportLab's HarfBuzz binding and drawn in its own text object, so it never
   starts in the middle of another's state (the setRise crash needs an empty text object);
5. each word is wrapped in a marked-content span whose /ActualText is the word in logical order,
   because shaped Arabic-script glyphs (Nastaliq above all) have no Unicode of their own: with
   it, copying, searching and screen readers get the real words.

Shaped runs are cached per (font, text): shaping is independent of the type size.
This module relies on ReportLab 5.1's ShapedStr drawing; pyproject pins the version.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from bidi.mirror import MIRRORED
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.pdfgen.canvas import Canvas

from app.sheets import fonts as F
from app.sheets.bidi_levels import base_is_rtl, levels, visual_order

NBSP = "\u00a0"
_BREAKING_SPACES = frozenset(" \t\u2002\u2003\u2009")
_NO_BREAK_BEFORE = frozenset("，。、：；！？）」』》〉】”’,.:;!?)%·…")
_NO_BREAK_AFTER = frozenset("（「『《〈【“‘(")
_RTL_TYPES = frozenset({"R", "AL"})
_WORDS = re.compile(r"[ \t]+|[^ \t]+")
_ARABIC_DIGITS = frozenset("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")


@dataclass(frozen=True)
class TextStyle:
    script: str = "latin"
    size: float = 12.0
    bold: bool = False
    color: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rtl: bool | None = False  # None: from the text's first strong character (staff's own words)
    leading: float | None = None  # multiple of size; None: the script family's

    @property
    def line_height(self) -> float:
        return self.size * (self.leading or F.FAMILIES[self.script].leading)


@dataclass(frozen=True)
class Piece:
    x: float  # from the line's left edge
    width: float
    font: str
    text: str  # a ShapedStr when shaping changed anything
    actual: str = ""  # the word in logical order, for copying, searching and screen readers


@dataclass
class Line:
    pieces: list[Piece] = field(default_factory=list)
    width: float = 0.0
    rtl: bool = False


def _is_cjk(char: str) -> bool:
    point = ord(char)
    return (0x2E80 <= point <= 0x9FFF or 0xF900 <= point <= 0xFAFF or 0xFF00 <= point <= 0xFFEF
            or 0x3000 <= point <= 0x303F)  # fmt: skip


@lru_cache(maxsize=65536)
def _shape(font: str, text: str) -> tuple[str, float]:
    """The text as ReportLab draws it after HarfBuzz, and its advance for a 1 pt type size."""
    shaped = shapeStr(text, font, 1000)
    if isinstance(shaped, ShapedStr):
        advance = sum(d.x_advance for d in shaped.__shapeData__) / 1000
    else:
        advance = pdfmetrics.stringWidth(shaped, font, 1000) / 1000
    return shaped, advance


def _for_drawing(text: str, level: int) -> str:
    """The run as HarfBuzz must see it to come out in the right visual order.

    ReportLab lets HarfBuzz guess each run's direction from its script. So a right-to-left run
    with no right-to-left letter (spaces, brackets, dots) is reversed and mirrored here, and a
    left-to-right number written in Arabic-script digits is reversed (HarfBuzz guesses right to
    left for it). Neither has joining or ligatures, so reversing is exact."""
    if level % 2 and not any(unicodedata.bidirectional(c) in _RTL_TYPES for c in text):
        return "".join(MIRRORED.get(c, c) for c in reversed(text))
    if not level % 2 and any(c in _ARABIC_DIGITS for c in text) \
            and not any(unicodedata.bidirectional(c) == "L" for c in text):
        return text[::-1]  # HarfBuzz takes Arabic-script digits for right to left
    return text


def _runs(text: str, char_levels: list[int], start: int, end: int,
          chain: tuple[str, ...]) -> Iterator[tuple[str, int, str]]:  # fmt: skip
    """(font, level, text) runs of text[start:end] in logical order."""
    for font, chunk in F.font_runs(text[start:end], chain):
        position = start
        pending, level = "", None
        for i, char in enumerate(chunk):
            char_level = char_levels[position + i]
            if level is not None and char_level != level:
                yield font, level, pending
                pending = ""
            pending += char
            level = char_level
        if pending:
            yield font, level or 0, pending
        start += len(chunk)


def _measure(text: str, char_levels: list[int], start: int, end: int,
             chain: tuple[str, ...], size: float) -> float:  # fmt: skip
    return sum(_shape(font, _for_drawing(chunk, level))[1] * size
               for font, level, chunk in _runs(text, char_levels, start, end, chain))  # fmt: skip


def _segments(text: str) -> list[tuple[int, int, int]]:
    """Break opportunities as (start, end of content, end with trailing spaces)."""
    result: list[tuple[int, int, int]] = []
    start, i, n = 0, 0, len(text)
    while i < n:
        char = text[i]
        if char in _BREAKING_SPACES:
            content_end = i
            while i < n and text[i] in _BREAKING_SPACES:
                i += 1
            if content_end > start:
                result.append((start, content_end, i))
            elif result:
                result[-1] = (result[-1][0], result[-1][1], i)
            start = i
            continue
        nxt = text[i + 1] if i + 1 < n else ""
        if nxt and (_is_cjk(char) or _is_cjk(nxt)) and nxt not in _BREAKING_SPACES \
                and char not in _NO_BREAK_AFTER and nxt not in _NO_BREAK_BEFORE \
                and not unicodedata.category(nxt).startswith("M") \
                and not (char.isascii() and char.isalnum() and nxt.isascii() and nxt.isalnum()) \
                and NBSP not in (char, nxt):  # fmt: skip
            result.append((start, i + 1, i + 1))
            start = i + 1
        i += 1
    if start < n:
        result.append((start, n, n))
    return result


def _split_long(text: str, char_levels: list[int], segment: tuple[int, int, int],
                chain: tuple[str, ...], size: float, width: float) -> list[tuple[int, int, int]]:
    """A piece wider than the line (a long reference) is cut between characters."""
    start, content_end, end = segment
    pieces: list[tuple[int, int, int]] = []
    piece_start = start
    for i in range(start + 1, content_end + 1):
        if i < content_end and unicodedata.category(text[i]).startswith("M"):
            continue
        if _measure(text, char_levels, piece_start, i, chain, size) > width and i - 1 > piece_start:
            pieces.append((piece_start, i - 1, i - 1))
            piece_start = i - 1
    pieces.append((piece_start, content_end, end))
    return pieces


def layout(text: str, style: TextStyle, width: float) -> list[Line]:
    """The text broken into lines no wider than width, each with its pieces placed."""
    text = " ".join(part for part in text.replace("\r", "").split("\n"))
    rtl = base_is_rtl(text) if style.rtl is None else style.rtl
    chain = F.chain(style.script, style.bold)
    char_levels = levels(text, rtl)
    segments: list[tuple[int, int, int]] = []
    for segment in _segments(text):
        if _measure(text, char_levels, segment[0], segment[1], chain, style.size) > width:
            segments.extend(_split_long(text, char_levels, segment, chain, style.size, width))
        else:
            segments.append(segment)
    lines: list[tuple[int, int]] = []
    line_start, line_end, used = None, 0, 0.0
    for start, content_end, _end in segments:
        if line_start is None:
            line_start, line_end = start, content_end
            used = _measure(text, char_levels, start, content_end, chain, style.size)
            continue
        gap = _measure(text, char_levels, line_end, start, chain, style.size)
        piece = _measure(text, char_levels, start, content_end, chain, style.size)
        if used + gap + piece <= width + 0.01:
            used += gap + piece
            line_end = content_end
        else:
            lines.append((line_start, line_end))
            line_start, line_end, used = start, content_end, piece
    if line_start is not None:
        lines.append((line_start, line_end))
    return [_place(text, char_levels, a, b, chain, style.size, rtl) for a, b in lines]


def _place(text: str, char_levels: list[int], start: int, end: int, chain: tuple[str, ...],
           size: float, rtl: bool) -> Line:  # fmt: skip
    runs = list(_runs(text, char_levels, start, end, chain))
    order = visual_order([level for _font, level, _chunk in runs])
    line = Line(rtl=rtl)
    x = 0.0
    for index in order:
        font, level, chunk = runs[index]
        words = _WORDS.findall(chunk)
        for word in reversed(words) if level % 2 else words:
            shaped, advance = _shape(font, _for_drawing(word, level))
            actual = "" if word.isspace() else word
            line.pieces.append(Piece(x, advance * size, font, shaped, actual))
            x += advance * size
    line.width = x
    return line


def draw_line(canvas: Canvas, line: Line, left: float, baseline: float, width: float,
              style: TextStyle, align: str | None = None) -> None:  # fmt: skip
    """Draw one laid-out line; right-aligned when its paragraph runs right to left."""
    align = align or ("right" if line.rtl else "left")
    offset = {"left": 0.0, "right": width - line.width,
              "centre": (width - line.width) / 2}[align]  # fmt: skip
    for piece in line.pieces:
        fake_bold = style.bold and piece.font in F.FAKE_BOLD
        if fake_bold:  # the text render mode outlives the text object: keep it in a q/Q pair
            canvas.saveState()
        text_object = canvas.beginText(left + offset + piece.x, baseline)
        text_object.setFont(piece.font, style.size)
        text_object.setFillColorRGB(*style.color)
        if fake_bold:
            text_object.setTextRenderMode(2)
            canvas.setLineWidth(style.size * 0.035)
            canvas.setStrokeColorRGB(*style.color)
        text_object.textOut(piece.text)
        if piece.actual:
            canvas._code.append(f"/Span <</ActualText {_pdf_text(piece.actual)}>> BDC")
        canvas.drawText(text_object)
        if piece.actual:
            canvas._code.append("EMC")
        if fake_bold:
            canvas.restoreState()


def _pdf_text(text: str) -> str:
    """A PDF text string in UTF-16 (hex), which holds any script."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def draw_lines(canvas: Canvas, lines: list[Line], left: float, top: float, width: float,
               style: TextStyle, align: str | None = None) -> float:  # fmt: skip
    """Draw lines from top down; returns the y below the last line."""
    y = top
    for line in lines:
        baseline = y - style.line_height / 2 - style.size * 0.32
        draw_line(canvas, line, left, baseline, width, style, align)
        y -= style.line_height
    return y
