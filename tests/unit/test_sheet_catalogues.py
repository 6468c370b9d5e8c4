"""The sheet catalogues: complete, valid, compiled, and every character drawable.

A missing translation, a fuzzy entry, a lost placeholder or a character no bundled font has
would put English, a crash or a box on a woman's sheet; these tests refuse the build instead.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, time

import pytest
from babel.dates import format_date, format_time
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from app.domain.reference import languages as record_languages
from app.sheets import fonts
from app.sheets.catalogues import mo_path, po_path, review, translator
from app.sheets.languages import LANGUAGES, TRANSLATED, default_language
from app.sheets.library import SHEETS
from tests.paths import ROOT

REQUIRED = {"sq", "pl", "ro", "lt", "lv", "bg", "ru", "pt", "es", "fr", "tr", "vi", "zh", "ar",
            "fa", "ckb", "ur", "pa", "bn", "so", "ti", "cy"}  # fmt: skip
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")


def _catalogue(code: str):
    with po_path(code).open("rb") as handle:
        return read_po(handle)


def _source_ids() -> set[str]:
    found = extract_from_file("python", str(ROOT / "app" / "sheets" / "library.py"),
                              keywords={"N_": None})  # fmt: skip
    return {message for _line, message, _comments, _context in found}


def test_every_language_the_issue_names_is_offered():
    assert REQUIRED <= set(TRANSLATED)
    assert "en" in LANGUAGES
    assert set(LANGUAGES) <= set(record_languages()), "codes must match her record's codes"


def test_the_template_matches_the_library():
    with (ROOT / "translations" / "sheets.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert template == _source_ids(), "run `make catalogues` after changing app/sheets/library.py"


@pytest.mark.parametrize("code", sorted(REQUIRED))
def test_catalogue_is_complete_with_no_fuzzy_entries(code):
    catalogue = _catalogue(code)
    ids = _source_ids()
    messages = {m.id: m for m in catalogue if m.id}
    assert set(messages) == ids, f"{code}: catalogue out of step with the template"
    for message_id, message in messages.items():
        assert not message.fuzzy, f"{code}: fuzzy {message_id!r}"
        assert message.string and message.string.strip(), f"{code}: untranslated {message_id!r}"
        assert message.string.strip() != message_id.strip() or len(message_id) < 12, \
            f"{code}: left in English: {message_id!r}"
        assert sorted(PLACEHOLDER.findall(message_id)) == sorted(
            PLACEHOLDER.findall(message.string)), f"{code}: placeholders differ in {message_id!r}"
        assert "999" not in message_id or "999" in message.string, f"{code}: 999 must stay"


@pytest.mark.parametrize("code", sorted(REQUIRED))
def test_babel_checks_pass(code):
    catalogue = _catalogue(code)
    problems = [(m.id, errors) for m, errors in catalogue.check() if errors]
    assert problems == []


def test_msgfmt_check_passes_on_every_catalogue():
    assert shutil.which("msgfmt"), "gettext's msgfmt is needed (.ci/run installs it)"
    for code in sorted(REQUIRED):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path(code))],
                                capture_output=True, text=True, check=False)  # fmt: skip
        assert result.returncode == 0, f"{code}: {result.stderr}"


@pytest.mark.parametrize("code", sorted(REQUIRED))
def test_compiled_catalogue_matches_its_source(code):
    """What the sheets use (a built .mo, or the .po compiled in memory) says what the .po says."""
    translate = translator(code)
    for message in _catalogue(code):
        if message.id:
            assert translate(message.id) == message.string, \
                f"{code}: {mo_path(code).name} is stale; run `make catalogues`"


def test_a_missing_catalogue_is_a_plain_error_not_english(monkeypatch, tmp_path):
    from app.errors import UserError
    from app.sheets import catalogues

    monkeypatch.setattr(catalogues, "TRANSLATIONS_DIR", tmp_path)
    catalogues.translator.cache_clear()
    try:
        with pytest.raises(UserError, match="Polish translation is missing"):
            catalogues.translator("pl")
        (tmp_path / "pl" / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / "pl" / "LC_MESSAGES" / "sheets.mo").write_bytes(b"not a catalogue")
        with pytest.raises(UserError, match="cannot be read"):
            catalogues.translator("pl")
    finally:
        catalogues.translator.cache_clear()


def _texts(code: str) -> list[str]:
    """Every text a sheet in this language can draw in its own script."""
    lang = LANGUAGES[code]
    texts = [m.string for m in _catalogue(code) if m.id] if code != "en" else list(_source_ids())
    for month in range(1, 13):
        for day in range(1, 8):
            texts.append(format_date(date(2026, month, day), "full", locale=lang.locale))
    texts.append(format_time(time(17, 45), "short", locale=lang.locale))
    texts.append(lang.native_name)
    return texts


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_character_is_covered_by_the_font_chosen_for_it(code):
    script = LANGUAGES[code].script
    for bold in (False, True):
        chain = fonts.chain(script, bold)
        for text in _texts(code):
            missing = fonts.uncovered(text, chain)
            assert not missing, f"{code}: no glyph for {sorted(missing)!r} in {text[:40]!r}"
            for font, run in fonts.font_runs(text, chain):
                points = fonts.charmap(font)
                boxes = {c for c in run if ord(c) not in points and not c.isspace()
                         and c not in "\u200c\u200d"}  # fmt: skip
                assert not boxes, f"{code}: {font} drawn for {sorted(boxes)!r}"


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_script_specific_text_is_drawn_by_the_script_font(code):
    """Fallback is for names and digits: her language itself must come from its own font."""
    lang = LANGUAGES[code]
    primary = fonts.FAMILIES[lang.script].regular
    title = SHEETS["release-day"].title
    text = _catalogue(code).get(title).string if code != "en" else title
    runs = fonts.font_runs(text, fonts.chain(lang.script, False))
    letters = sum(len(run) for font, run in runs if font == primary)
    assert letters >= len(text.replace(" ", "")) * 0.8


def test_every_translation_is_marked_draft_until_a_reviewer_is_recorded():
    for code in REQUIRED:
        status = review(code)
        assert status.status in {"draft", "reviewed"}
        if status.status == "reviewed":
            assert status.reviewed_by and status.reviewed_on


def test_her_first_language_is_the_default_and_unknown_ones_fall_back_to_english():
    assert default_language("ar").code == "ar"
    assert default_language("zh").code == "zh"
    assert default_language("pa").script == "gurmukhi"
    assert default_language("yo").code == "en"
    assert default_language("").code == "en"
