"""The translations of the sheets (gettext catalogues) and the review status of each.

Catalogues are the `.po` files in translations/<code>/LC_MESSAGES/, used compiled: the `.mo`
beside it when there is one (`make catalogues` and the packaged build make them; a test checks
each matches its .po), else compiled in memory. English is the source text itself. A missing or
broken catalogue is an error the user sees, never a silent fallback to English: a woman must
not be handed an English sheet that says it is in her language.

Review status lives in translations/review.json, one entry per language:
`{"status": "draft" | "reviewed", "reviewed_by": ..., "reviewed_on": "YYYY-MM-DD",
"po_sha256": ...}`. A review counts only while the .po is byte-for-byte the one reviewed: any
later edit turns the sheet back into a draft, which the sheet then says in small print.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from app.domain.codes import TranslationStatus
from app.errors import UserError
from app.paths import translations_dir
from app.sheets.languages import ENGLISH, LANGUAGES

TRANSLATIONS_DIR = translations_dir()
DOMAIN = "sheets"
# Stored in sheets_given.review_status: the values are TranslationStatus's.
DRAFT, REVIEWED, SOURCE = (TranslationStatus.DRAFT, TranslationStatus.REVIEWED,
                           TranslationStatus.SOURCE)


def po_path(code: str) -> Path:
    return TRANSLATIONS_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(code: str) -> Path:
    return TRANSLATIONS_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _compiled(code: str) -> bytes:
    """The catalogue as .mo bytes: the compiled file when it is there (installed builds), else
    the .po compiled in memory (a source checkout; .mo files are build output, not in git)."""
    compiled = mo_path(code)
    if compiled.is_file():
        return compiled.read_bytes()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(code).open("rb") as handle:
        catalogue = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    return buffer.getvalue()


@cache
def translator(code: str) -> Callable[[str], str]:
    """gettext for a language; English returns the message ids unchanged."""
    if code == ENGLISH:
        return lambda message: message
    if code not in LANGUAGES:
        raise UserError(f"There are no sheets in the language '{code}'.")
    name = LANGUAGES[code].english_name
    try:
        catalogue = gettext.GNUTranslations(io.BytesIO(_compiled(code)))
    except FileNotFoundError:
        raise UserError(f"The {name} translation is missing from {po_path(code).parent}. "
                        "Reinstall Resettle.") from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"The {name} translation cannot be read ({type(exc).__name__}). "
                        "Reinstall Resettle.") from None
    return catalogue.gettext


@dataclass(frozen=True)
class Review:
    status: str  # source, draft or reviewed
    reviewed_by: str = ""
    reviewed_on: date | None = None
    note: str = ""  # why a recorded review no longer counts

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT


@cache
def _review_file() -> dict[str, dict]:
    try:
        return json.loads((TRANSLATIONS_DIR / "review.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def po_sha256(code: str) -> str:
    return hashlib.sha256(po_path(code).read_bytes()).hexdigest()


@cache
def review(code: str) -> Review:
    """The review status of a language's catalogue, as printed on its sheets."""
    if code == ENGLISH:
        return Review(SOURCE)
    entry = _review_file().get(code, {})
    if entry.get("status") != REVIEWED:
        return Review(DRAFT)
    by, on = str(entry.get("reviewed_by", "")).strip(), entry.get("reviewed_on")
    if not by or not on:
        return Review(DRAFT, note="the review record has no reviewer or date")
    if entry.get("po_sha256") != po_sha256(code):
        return Review(DRAFT, note="the translation changed after it was reviewed")
    return Review(REVIEWED, by, date.fromisoformat(on))
