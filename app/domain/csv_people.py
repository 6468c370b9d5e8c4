"""Reading the team's caseload spreadsheet (CSV) into drafts, line by line, with reasons.

Pure: takes the text, returns drafts and problems. Line numbers are the spreadsheet's own (the
header is line 1), so a worker can find the row in Excel.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from app.domain import reference
from app.domain.person import FIELD_LABELS, PersonDraft, validate
from app.domain.timezone import london_to_utc
from app.errors import UserError

COLUMNS = (
    "prison_number",
    "family_name",
    "given_names",
    "date_of_birth",
    "nationality",
    "first_language",
    "custody_status",
    "reception_date",
    "release_date",
    "home_local_authority",
)
REQUIRED = COLUMNS[:8]


@dataclass(frozen=True)
class LineProblem:
    line: int
    prison_number: str
    message: str


@dataclass
class ParsedCsv:
    drafts: list[tuple[int, PersonDraft]] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)


# A well-formed UTF-8 sequence of two to four bytes (RFC 3629): in a file that is not UTF-8
# throughout, one of these means the file was UTF-8 once and something else was pasted in.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xC2-\xDF][\x80-\xBF]|\xE0[\xA0-\xBF][\x80-\xBF]|[\xE1-\xEC\xEE\xEF][\x80-\xBF]{2}"
    rb"|\xED[\x80-\x9F][\x80-\xBF]|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}"
    rb"|\xF4[\x80-\x8F][\x80-\xBF]{2}"
)


def decode(raw: bytes, name: str) -> str:
    """The file's text in the one encoding the whole file is in; UserError when there is none.

    UTF-8 (with or without a byte order mark) when every byte of the file is UTF-8. Otherwise
    Windows-1252 (Excel's "CSV" on an English Windows), but only when nothing in the file is
    UTF-8 beyond ASCII: a file with both is a UTF-8 file with something pasted in from
    elsewhere, and reading either way would spoil names (Zoë as ZoÃ«), so it is refused with
    the first line that is not UTF-8.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
    if _UTF8_MULTIBYTE.search(raw):
        raise UserError(
            f"{name} mixes two text encodings: it is UTF-8, but line {bad_line} is not (was it "
            "pasted in from another file?). Nothing was imported. Retype the accented letters "
            "on that line, or save the file again as \"CSV UTF-8\", and import it again."
        )
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise UserError(f"{name} is not a text (CSV) file.") from None


def _date(text: str, label: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{label} '{text}' is not a date like 2026-03-31") from None


def _reception(text: str) -> datetime:
    cleaned = text.strip().replace("T", " ")
    try:
        if " " in cleaned:
            day_text, time_text = cleaned.split(" ", 1)
            return london_to_utc(date.fromisoformat(day_text), time.fromisoformat(time_text))
        return london_to_utc(date.fromisoformat(cleaned), time(0, 0))
    except ValueError:
        raise ValueError(
            f"reception_date '{text}' is not a date like 2026-03-31 or 2026-03-31 14:05"
        ) from None


def _draft_from(row: dict[str, str]) -> tuple[PersonDraft, dict[str, str]]:
    """The draft, and the fields that could not be read with why (keyed by draft field)."""
    reasons: dict[str, str] = {}
    draft = PersonDraft(
        prison_number=row.get("prison_number", ""),
        family_name=row.get("family_name", ""),
        given_names=row.get("given_names", ""),
    )
    for name, parse in (
        ("date_of_birth", lambda t: _date(t, "date_of_birth")),
        ("reception_at", _reception),
    ):
        source = "reception_date" if name == "reception_at" else name
        text = row.get(source, "").strip()
        if text:
            try:
                setattr(draft, name, parse(text))
            except ValueError as exc:
                reasons[name] = str(exc)
    release_text = row.get("release_date", "").strip()
    if release_text:
        try:
            draft.release_date = _date(release_text, "release_date")
        except ValueError as exc:
            reasons["release_date"] = str(exc)
    lookups = (
        ("nationality", reference.country_code, "nationality"),
        ("first_language", reference.language_code, "first_language"),
        ("custody_status", reference.custody_code, "custody_status"),
        ("home_local_authority", reference.local_authority_code, "home_local_authority"),
    )
    for name, lookup, column in lookups:
        text = row.get(column, "").strip()
        if text:
            code = lookup(text)
            if code is None:
                reasons[name] = f"{column} '{text}' is not one we know"
            else:
                setattr(draft, name, code)
        elif name == "home_local_authority":
            draft.home_local_authority = ""
    return draft, reasons


def _unreadable(reader: csv.DictReader, exc: csv.Error) -> UserError:
    """The csv module's complaint as a sentence naming the spreadsheet line it met it on."""
    line = reader.line_num + 1  # the line it was reading when it gave up
    if "field limit" in str(exc):
        why = (f"one of its cells is too long (over {csv.field_size_limit():,} characters). "
               "Is this the caseload spreadsheet?")
    else:
        why = f"it is not CSV as a spreadsheet saves it ({exc})."
    return UserError(f"Nothing was imported: line {line} cannot be read: {why}")


def parse(text: str, now: datetime) -> ParsedCsv:
    """Drafts and line problems; UserError when the text cannot be read as CSV at all."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        return _parse(reader, now)
    except csv.Error as exc:
        raise _unreadable(reader, exc) from None


def _parse(reader: csv.DictReader, now: datetime) -> ParsedCsv:
    result = ParsedCsv()
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.problems.append(
            LineProblem(1, "", "The header row lacks the column(s): " + ", ".join(missing))
        )
        return result
    reader.fieldnames = header
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        row = {k: (v or "") for k, v in row.items() if k is not None}
        if not any(v.strip() for v in row.values()):
            continue
        draft, unreadable = _draft_from(row)
        clean = draft.normalised()
        errors = validate(clean, now)
        reasons = list(unreadable.values()) + [
            f"{FIELD_LABELS[f]}: {msg}" for f, msg in errors.items() if f not in unreadable
        ]
        if clean.prison_number in seen and "prison_number" not in errors:
            reasons.append(f"prison number repeats line {seen[clean.prison_number]}")
        else:
            seen.setdefault(clean.prison_number, line)
        if reasons:
            result.problems.extend(LineProblem(line, clean.prison_number, r) for r in reasons)
        else:
            result.drafts.append((line, clean))
    return result
