"""A one-page guide for whoever receives a Resettle bundle: how to check who sent it and that
nothing in it changed, with tools they already have (OpenSSL, sha256sum, PowerShell, certutil).

A probation CPP or a council housing officer does not have Resettle, so the guide gives the
exact commands (each one checked against a real bundle from app.bundles). Its most important
line is the sending team's certificate fingerprint, printed large: a signature only proves the
bundle came from whoever holds signer.pem's key, and this page, which reaches the recipient by
another route (post, a meeting, a known e-mail), is how they know that key is the team's.
docs/verifying-bundles.md says the same for the README.

It carries no personal data, so it has no OFFICIAL-SENSITIVE marking, but it uses the house
fonts, colours and margins (app.documents._common). It must fit on one A4 page, because a guide
that runs over loses its second page on a noticeboard: when a long establishment name would
push it over, the type is set a little smaller until it fits.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, datetime

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from app.documents._common import (
    BLACK,
    DARK_GREY,
    EM_DASH,
    FRAME_PADDING,
    LIGHT_GREY,
    MID_GREY,
    SIDE_MARGIN,
    STYLES,
    content_width,
    day,
    fit,
    markup,
    printable,
    table,
)
from app.domain.timezone import to_london

__all__ = ["format_fingerprint", "render_recipient_guide"]

TITLE = "Checking a Resettle bundle"
WIDTH = content_width(A4)
WARN_RED = colors.HexColor("#D4351C")
_TOP_MARGIN = 20 * mm  # the header sits in the top 16 mm (no marking line above it)
_BOTTOM_MARGIN = 17 * mm
_HEX = re.compile(r"[0-9A-Fa-f]{64}")
_SCALES = (1.0, 0.95, 0.9, 0.85, 0.8)  # type sizes tried, largest first, until the page fits
_MAX_NAME = 90  # characters of the establishment's name in the body (the header fits its own)
_NBSP = "\u00a0"

Styles = dict[str, ParagraphStyle]


def _styles(scale: float) -> Styles:
    """The guide's styles with every size and gap multiplied by `scale`."""

    def s(value: float) -> float:
        return round(value * scale, 2)

    body = ParagraphStyle("guide_body", STYLES["cell"], fontSize=s(9), leading=s(11.2))
    return {
        "body": body,
        "title": ParagraphStyle("guide_title", STYLES["title"], fontSize=s(18), leading=s(22)),
        "intro": ParagraphStyle("guide_intro", body, fontSize=s(9.5), leading=s(12),
                                spaceAfter=s(2.5 * mm)),
        "h2": ParagraphStyle("guide_h2", STYLES["h2"], fontSize=s(11.5), leading=s(14),
                             spaceBefore=s(3.2 * mm), spaceAfter=s(1 * mm)),
        "step": ParagraphStyle("guide_step", body, leftIndent=13, bulletIndent=0,
                               bulletFontName="NotoSans-Bold", bulletFontSize=s(9),
                               spaceBefore=s(1.2 * mm)),
        "code": ParagraphStyle("guide_code", body, fontName="NotoSansMono-Regular", fontSize=s(8.6),
                               leading=s(10.2), textColor=BLACK),
        "fp_label": ParagraphStyle("guide_fp_label", body, fontName="NotoSans-Bold",
                                   fontSize=s(9.5), leading=s(12)),
        "fp": ParagraphStyle("guide_fp", body, fontName="NotoSansMono-Bold", fontSize=s(13.5),
                             leading=s(17)),
        "fp_note": ParagraphStyle("guide_fp_note", body, textColor=DARK_GREY),
        "warn": ParagraphStyle("guide_warn", body, fontSize=s(9.5), leading=s(12)),
    }  # fmt: skip


_CODE_INDENT = 13  # points: code blocks line up with the steps' text, not their numbers


def format_fingerprint(fingerprint: str) -> str:
    """ "AB:CD:...": the SHA-256 as `openssl x509 -fingerprint -sha256` prints it.

    Accepts hex with or without colons or spaces, in either case. Anything but 64 hex digits
    is refused (ValueError): a wrong or cut fingerprint on this page would teach the reader
    to trust the wrong certificate.
    """
    digits = re.sub(r"[\s:]", "", fingerprint)
    if not _HEX.fullmatch(digits):
        raise ValueError("A SHA-256 fingerprint is 64 hexadecimal digits.")
    digits = digits.upper()
    return ":".join(digits[i : i + 2] for i in range(0, 64, 2))


def _printed_on(generated_at: datetime) -> str:
    if generated_at.tzinfo is None:  # all instants are UTC; a naive one is read as UTC
        generated_at = generated_at.replace(tzinfo=UTC)
    return day(to_london(generated_at).date())


def _short(text: str) -> str:
    """The establishment for the body: one line of spaces, at most _MAX_NAME characters."""
    text = " ".join(text.split())
    return text if len(text) <= _MAX_NAME else text[: _MAX_NAME - 1].rstrip() + "\u2026"


class _Story:
    """The page's flowables in one set of styles (rebuilt smaller if the page overflows)."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles

    def tt(self, text: str, *, keep: bool = False) -> str:
        """Command words in a monospaced face inside running text; `keep` stops them breaking."""
        shown = markup(text)
        if keep:
            shown = shown.replace(" ", _NBSP)
        return f'<font face="NotoSansMono-Regular">{shown}</font>'

    def step(self, number: str, text: str) -> Paragraph:
        """A numbered step; `text` is markup (callers escape what they did not write)."""
        return Paragraph(text, self.styles["step"], bulletText=number)

    def code(self, *lines: str) -> Flowable:
        """Commands in a monospaced face on a grey band, one line each; leading spaces kept."""
        cells = []
        for line in lines:
            indent = len(line) - len(line.lstrip(" "))
            cells.append([Paragraph("&nbsp;" * indent + markup(line), self.styles["code"])])
        band = table(cells, [WIDTH - _CODE_INDENT], [
            ("BACKGROUND", (0, 0), (-1, -1), LIGHT_GREY),
            ("LINEBEFORE", (0, 0), (0, -1), 1.5, MID_GREY),
            ("TOPPADDING", (0, 0), (-1, -1), 0.6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
            ("TOPPADDING", (0, 0), (-1, 0), 2.5),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 2.8),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ])  # fmt: skip
        band.hAlign = "RIGHT"
        return band

    def fingerprint_box(self, establishment: str, fingerprint: str, printed_on: str) -> Flowable:
        half = len(fingerprint) // 2 + 1  # after the 16th pair, keeping its colon
        rows = [
            [Paragraph(f"{markup(establishment)} {EM_DASH} signing certificate, SHA-256 "
                       "fingerprint", self.styles["fp_label"])],
            [Paragraph(f"{fingerprint[:half]}<br/>{fingerprint[half:]}", self.styles["fp"])],
            [Paragraph(
                f"Printed {printed_on}. Compare it, pair by pair, with the fingerprint that "
                f"{self.tt('openssl x509')} prints for the bundle's {self.tt('signer.pem')} "
                f"(step 3) or {self.tt('certutil')} shows (Windows). Keep this page: it is how "
                "you know the team's certificate.",
                self.styles["fp_note"],
            )],
        ]  # fmt: skip
        return table(rows, [WIDTH], [
            ("BOX", (0, 0), (-1, -1), 1.5, BLACK),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, 0), 6),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
            ("TOPPADDING", (0, 1), (-1, 1), 3),
        ])  # fmt: skip

    def warning(self) -> Flowable:
        text = (
            "<b>If any check fails, or a fingerprint does not match:</b> do not open "
            "referral.pdf and do not act on the referral. Phone the sending team on a number "
            "you already know (not one given in the bundle or the message it came with) and "
            "tell them."
        )
        return table([[Paragraph(text, self.styles["warn"])]], [WIDTH], [
            ("BOX", (0, 0), (-1, -1), 1.5, WARN_RED),
            ("LINEBEFORE", (0, 0), (0, -1), 5, WARN_RED),
            ("LEFTPADDING", (0, 0), (-1, -1), 9),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ])  # fmt: skip

    def build(self, establishment: str, fingerprint: str, printed_on: str) -> list[Flowable]:
        st, tt, step, code = self.styles, self.tt, self.step, self.code
        return [
            Paragraph(TITLE, st["title"]),
            Paragraph(
                f"{markup(establishment)} sends referrals as Resettle bundles: zip files named "
                f"{tt('<prison number>-<type>-<date>-<short id>.rsb', keep=True)} holding "
                f"{tt('referral.pdf')} (to read), {tt('referral.json')} (the same data, to "
                f"import), {tt('manifest.json')} (each file's size and SHA-256), "
                f"{tt('manifest.json.p7s')} (the team's signature over the manifest), "
                f"{tt('signer.pem')} (the team's certificate) and {tt('SHA256SUMS')}. These "
                "steps prove, with tools you already have, who sent it and that nothing in it "
                "changed. This page has no personal data.",
                st["intro"],
            ),
            self.fingerprint_box(establishment, fingerprint, printed_on),
            Paragraph("Linux or macOS (Terminal)", st["h2"]),
            step("0.", f"If the file ends {tt('.rsb.p7m')} it is encrypted to your certificate "
                       "(CMS, AES-256): decrypt it first."),
            code("openssl cms -decrypt -binary -inform DER -in FILE.rsb.p7m \\",
                 "    -recip your-cert.pem -inkey your-key.pem -out FILE.rsb"),
            step("1.", "Unzip it into a folder of its own."),
            code("unzip FILE.rsb -d bundle && cd bundle"),
            step("2.", "Check the signature. <b>CMS Verification successful</b> means "
                       "manifest.json is exactly what the holder of signer.pem signed. Better: "
                       "use the team's certificate obtained separately, "
                       f"{tt('-CAfile team.pem', keep=True)}."),
            code("openssl cms -verify -binary -inform DER -in manifest.json.p7s \\",
                 "    -content manifest.json -CAfile signer.pem -out /dev/null"),
            step("3.", "Check the signer is this team: the fingerprint printed must match the "
                       "box above."),
            code("openssl x509 -in signer.pem -noout -fingerprint -sha256"),
            step("4.", "Check the files. Every line must say <b>OK</b> (macOS without "
                       f"sha256sum: {tt('shasum -a 256 -c SHA256SUMS', keep=True)})."),
            code("sha256sum -c SHA256SUMS"),
            step("5.", "Compare each file's SHA-256 with its <b>sha256</b> in manifest.json (open "
                       "it in any text editor); manifest.json and manifest.json.p7s are not "
                       "listed."),
            code("sha256sum referral.json referral.pdf signer.pem SHA256SUMS"),
            Paragraph("Windows (PowerShell)", st["h2"]),
            step("1.", "Unzip it. If Expand-Archive refuses the .rsb extension, copy it to a "
                       f".zip first ({tt('Copy-Item FILE.rsb FILE.zip', keep=True)}) and expand "
                       "FILE.zip."),
            code("Expand-Archive FILE.rsb -DestinationPath bundle; cd bundle"),
            step("2.", "Hash each file (referral.json, referral.pdf, signer.pem, SHA256SUMS) "
                       "and compare with SHA256SUMS and manifest.json; upper or lower case does "
                       "not matter. certutil gives the same answer."),
            code("Get-FileHash referral.json -Algorithm SHA256",
                 "certutil -hashfile referral.pdf SHA256"),
            step("3.", "Certificate fingerprint: look for <b>Cert Hash(sha256)</b>; it is shown "
                       "without colons."),
            code("certutil -dump signer.pem"),
            step("4.", "Signature (and decrypting a .p7m): OpenSSL for Windows. Git for Windows "
                       f"ships it as {tt('openssl')}: in Git Bash, steps 0 to 5 above work as "
                       "written."),
            Paragraph("Teams that have Resettle", st["h2"]),
            Paragraph("One command does all the checks and prints the signer's fingerprint, "
                      "which must match the box above; with the team's certificate it also "
                      "checks the signer is that team.", st["body"]),
            code("resettle verify FILE.rsb --trust team.pem"),
            Spacer(1, 3.5 * mm),
            self.warning(),
        ]  # fmt: skip


def _furniture(establishment: str, printed_on: str) -> Callable[[Canvas, object], None]:
    """Header and footer in the house style, without the OFFICIAL-SENSITIVE marking."""

    def draw(canvas: Canvas, _doc: object) -> None:
        width, height = A4
        left, right = SIDE_MARGIN, width - SIDE_MARGIN
        canvas.saveState()
        y = height - 12 * mm
        canvas.setFillColor(BLACK)
        canvas.setFont("NotoSans-Regular", 9)
        label = "Guide for recipients of Resettle bundles"
        canvas.drawRightString(right, y, label)
        room = right - left - stringWidth(label, "NotoSans-Regular", 9) - 6 * mm
        canvas.drawString(left, y, fit(establishment, "NotoSans-Regular", 9, room))
        canvas.setStrokeColor(MID_GREY)
        canvas.setLineWidth(0.75)
        canvas.line(left, y - 2.5 * mm, right, y - 2.5 * mm)
        y = 9 * mm
        canvas.line(left, y + 4 * mm, right, y + 4 * mm)
        canvas.setFillColor(DARK_GREY)
        canvas.setFont("NotoSans-Regular", 8)
        canvas.drawString(left, y, f"Printed {printed_on} from Resettle")
        canvas.drawRightString(right, y, "No personal data: copy and share freely")
        canvas.restoreState()

    return draw


def _render(story: list[Flowable], establishment: str, printed_on: str) -> tuple[bytes, int]:
    """The PDF's bytes and its number of pages."""
    buffer = io.BytesIO()
    inset = SIDE_MARGIN - FRAME_PADDING  # so the text lines up with the header's rule
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=inset, rightMargin=inset,
        topMargin=_TOP_MARGIN - FRAME_PADDING, bottomMargin=_BOTTOM_MARGIN - FRAME_PADDING,
        title=TITLE, author=printable(establishment), subject="How to check a Resettle bundle",
        creator="Resettle", lang="en-GB",
    )  # fmt: skip
    on_page = _furniture(establishment, printed_on)
    doc.initialFontName = "NotoSans-Regular"  # no stray, unembedded Helvetica
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue(), doc.page


def render_recipient_guide(*, establishment: str, fingerprint: str,
                           generated_at: datetime) -> bytes:  # fmt: skip
    """The guide's one A4 page as PDF bytes, naming `establishment` and its certificate.

    `fingerprint` is the SHA-256 of the team's signing certificate (hex, colons optional);
    ValueError if it is not one. `generated_at` (UTC; naive is read as UTC) gives the
    "Printed" date in Europe/London.
    """
    printed_on = _printed_on(generated_at)
    shown = format_fingerprint(fingerprint)
    name = _short(establishment) or "The sending team"
    data = b""
    for scale in _SCALES:
        story = _Story(_styles(scale)).build(name, shown, printed_on)
        data, pages = _render(story, establishment, printed_on)
        if pages == 1:
            break
    return data
