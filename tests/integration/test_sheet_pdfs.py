"""Sheets as real PDFs, parsed back: every sheet in every language, fonts embedded and subset,
her details in the text, right-to-left word order from positions on the page."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.sheets.catalogues import po_path
from app.sheets.compose import SheetPerson, compose
from app.sheets.languages import LANGUAGES
from app.sheets.library import SHEETS
from app.sheets.render import render_sheets
from app.sheets.sample import SAMPLE_DIRECTORY, SAMPLE_ESTABLISHMENT, SAMPLE_PERSON

PRINTED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
RTL = ("ar", "fa", "ckb", "ur")


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} (poppler-utils) is needed; .ci/run installs it"
    return path


def _render(tmp_path: Path, sheet_ids, code: str, *, bilingual: bool = False,
            person: SheetPerson = SAMPLE_PERSON) -> Path:  # fmt: skip
    sheets = [compose(s, LANGUAGES[code], person, SAMPLE_DIRECTORY,
                      establishment=SAMPLE_ESTABLISHMENT, printed_at=PRINTED,
                      bilingual=bilingual) for s in sheet_ids]  # fmt: skip
    out = tmp_path / f"{code}-{len(sheet_ids)}{'-bi' if bilingual else ''}.pdf"
    out.write_bytes(render_sheets(sheets))
    return out


def _text(pdf: Path) -> str:
    """The PDF's text, with typographic ligatures (fi, ff) read back as their letters."""
    out = subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return "".join(unicodedata.normalize("NFKC", c) if "\ufb00" <= c <= "\ufb06" else c
                   for c in out)  # fmt: skip


def _fonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]  # fmt: skip
    return [line.split() for line in out if line.strip()]


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_sheet_renders_with_embedded_subset_fonts_and_her_details(tmp_path, code):
    pdf = _render(tmp_path, list(SHEETS), code)
    assert pdf.stat().st_size < 500_000 * len(SHEETS)
    rows = _fonts(pdf)
    assert rows, "no fonts listed"
    for row in rows:
        name, emb, sub = row[0], row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), f"{code}: {name} not embedded and subset"
        assert "+" in name
    text = _text(pdf)
    assert text.count("Z1234AB") >= len(SHEETS)
    assert "Resettle" in text
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        [_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout)[1])
    assert len(SHEETS) <= pages <= 3 * len(SHEETS)


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_one_sheet_is_small(tmp_path, code):
    pdf = _render(tmp_path, ["release-day"], code, bilingual=code != "en")
    assert pdf.stat().st_size < 500_000


@pytest.mark.parametrize("code", ["en", "pl", "ro", "vi", "ru", "tr"])
def test_her_name_number_date_and_arrangements_are_on_the_release_day_sheet(tmp_path, code):
    from babel.dates import format_date

    text = " ".join(_text(_render(tmp_path, ["release-day"], code)).split())
    assert "Maria Ionescu-Kowalska" in text
    assert "Z1234AB" in text
    day = format_date(SAMPLE_PERSON.release_date, "full", locale=LANGUAGES[code].locale)
    assert " ".join(day.split()) in text
    assert "Sample House hostel, 12 Example Road" in text


def test_phone_numbers_come_only_from_the_directory_and_never_break(tmp_path):
    text = _text(_render(tmp_path, list(SHEETS), "pl"))
    numbers = set(re.findall(r"\b0\d{2,4}[\s\u00a0]\d{3,4}[\s\u00a0]?\d{0,4}\b", text))
    allowed = {"020 7946 0123", "01632 960 111"}
    assert {" ".join(n.replace("\u00a0", " ").split()) for n in numbers} <= allowed
    for line in text.splitlines():
        assert not line.rstrip().endswith(("020", "01632", "020 7946", "01632 960"))


def test_a_prelisted_service_without_details_says_ask_staff(tmp_path):
    text = " ".join(_text(_render(tmp_path, ["immigration-nrpf"], "en")).split())
    assert "Hibiscus Initiatives" in text
    assert "Ask staff for their contact details." in text


def test_bilingual_sheet_has_her_language_and_english(tmp_path):
    text = " ".join(_text(_render(tmp_path, ["housing-before-release"], "ro",
                                  bilingual=True)).split())  # fmt: skip
    assert "The duty to refer" in text
    with po_path("ro").open("rb") as handle:
        catalogue = read_po(handle)
    assert catalogue.get("The duty to refer").string in text


def test_draft_notice_is_printed_in_english_and_in_her_language(tmp_path):
    text = " ".join(_text(_render(tmp_path, ["money-id-benefits"], "pl")).split())
    assert "This translation is a draft." in text
    with po_path("pl").open("rb") as handle:
        notice = read_po(handle).get(
            "This translation is a draft. A qualified translator has not checked it yet.").string
    assert " ".join(notice.split()) in text


def test_english_sheet_has_no_draft_notice(tmp_path):
    assert "draft" not in _text(_render(tmp_path, ["money-id-benefits"], "en"))


def _letters(word: str) -> str:
    """A word's letters and marks, punctuation dropped (each drawn word carries its logical
    text as /ActualText, which pdftotext reads)."""
    plain = unicodedata.normalize("NFKC", word)
    return "".join(c for c in plain if unicodedata.category(c)[0] in "LM")


def _words(pdf: Path) -> list[tuple[float, float, str]]:
    xml = subprocess.run([_tool("pdftotext"), "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>'
    return [(float(x), float(y), w) for x, y, w in re.findall(pattern, xml)]


SENTENCES = (
    "This sheet is for women who are not British citizens.",
    "Talking to an adviser will not make your case worse.",
    "If you do not know your immigration status, ask an adviser. Do not guess.",
    "Tell staff early if you have NRPF. Some housing is not open to you, so staff need time "
    "to find other help.",
)


@pytest.mark.parametrize("code", RTL)
def test_right_to_left_words_run_from_right_to_left(tmp_path, code):
    """Each word read back from the page (where its glyphs can be mapped back to letters) must
    sit to the left of the word before it on the same line."""
    with po_path(code).open("rb") as handle:
        catalogue = read_po(handle)
    words = _words(_render(tmp_path, ["immigration-nrpf"], code))
    read = [(x, round(y), _letters(w)) for x, y, w in words]
    once_on_page = {w for _x, _y, w in read if sum(1 for r in read if r[2] == w) == 1}
    where = {w: (x, y) for x, y, w in read if w in once_on_page}
    checked = 0
    for source in SENTENCES:
        logical = [_letters(w) for w in catalogue.get(source).string.split()]
        usable = [w for w in logical if len(w) >= 2 and logical.count(w) == 1 and w in where]
        for line in sorted({where[w][1] for w in usable}):
            positions = [where[w][0] for w in usable if where[w][1] == line]
            if len(positions) >= 2:
                assert positions == sorted(positions, reverse=True), \
                    f"{code}: words not right to left on the line at y={line}: {positions}"
                checked += 1
    assert checked >= 2, f"{code}: fewer than two lines could be checked"


@pytest.mark.parametrize("code", RTL)
def test_right_to_left_sheets_are_right_aligned_and_latin_names_stay_in_order(tmp_path, code):
    pdf = _render(tmp_path, ["release-day"], code)
    words = _words(pdf)
    maria = next((x, y) for x, y, w in words if w == "Maria")
    surname = next((x, y) for x, y, w in words if w == "Ionescu-Kowalska")
    assert maria[0] < surname[0], "a Latin name inside Arabic script keeps its own order"
    right_edges = [float(m) for m in re.findall(r'xMax="([\d.]+)"', subprocess.run(
        [_tool("pdftotext"), "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True, text=True, check=True).stdout)]  # fmt: skip
    assert max(right_edges) > 530, "text starts at the right margin"


@pytest.mark.parametrize("code", ["ur", "ar", "zh", "bn", "ti", "pl"])
def test_nothing_is_drawn_off_the_page_or_into_the_footer(tmp_path, code):
    pdf = _render(tmp_path, list(SHEETS), code, bilingual=True)
    xml = subprocess.run([_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    for page in xml.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page)[1])
        boxes = [(float(a), float(b)) for a, b in
                 re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)]
        assert boxes
        assert min(top for top, _bottom in boxes) > 10
        assert max(bottom for _top, bottom in boxes) < height - 10
