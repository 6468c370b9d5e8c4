"""A sheet's words for one woman, in her language: the list of elements the page draws.

Everything here is already translated and personalised; app.sheets.render only lays it out.
Staff's own words (addresses, times, names typed on her checklist) are printed as typed and
marked `verbatim`, so their direction comes from their own text, not from the sheet's. In a
bilingual sheet every element carries its English next to it, so staff can see what she has.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from app.domain.directory import DirectoryEntry, phone_unbroken
from app.sheets import library as L
from app.sheets.catalogues import Review, review, translator
from app.sheets.languages import ENGLISH, SheetLanguage


@dataclass(frozen=True)
class SheetPerson:
    """What a sheet may say about her; nothing else leaves her record."""

    name: str
    prison_number: str
    release_date: date | None = None
    release_time: time | None = None
    council: str = ""
    warnings: tuple[str, ...] = ()  # WEEKEND, LATE
    arrangements: tuple[tuple[str, str], ...] = ()  # (checklist code, what staff wrote)
    contacts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Element:
    kind: str  # title, heading, para, strong, bullet, label, value, service, note
    text: str
    english: str = ""  # the same element in English, for bilingual sheets
    verbatim: bool = False  # staff's words: printed as typed, direction from the text


@dataclass(frozen=True)
class ComposedSheet:
    sheet_id: str
    language: SheetLanguage
    title: str
    english_title: str
    person: SheetPerson
    establishment: str
    printed: str  # "Printed on ..." in her language
    printed_english: str
    page_label: Callable[[int, int], str]
    page_label_english: Callable[[int, int], str]
    labels: dict[str, str]  # Name, Prison number, Language (hers)
    english_labels: dict[str, str]
    ask: str
    draft_notice: str  # in her language; empty when reviewed or English
    draft_notice_english: str
    review: Review
    bilingual: bool
    elements: list[Element] = field(default_factory=list)


# CLDR's full date for Sorani is "2026 کانونی یەکەم 4, ھەینی" (year first, a Latin comma);
# Sorani readers and leaflets write weekday, day, month, year.
_DATE_PATTERNS = {"ckb": "EEEE d MMMM y"}


def _date(value: date, locale: str) -> str:
    return format_date(value, _DATE_PATTERNS.get(locale, "full"), locale=locale)


def _time(value: time, locale: str) -> str:
    """24-hour, as prisons and probation write times: no a.m./p.m. to misread or reorder."""
    return format_time(value, "HH:mm", locale=locale)


def _language_names(codes: Sequence[str], locale: str) -> str:
    names = Locale.parse(locale).languages
    english = Locale.parse("en_GB").languages
    return ", ".join(names.get(code) or english.get(code) or code for code in codes)


class _Writer:
    """Adds elements in her language with their English twins."""

    def __init__(self, language: SheetLanguage, bilingual: bool) -> None:
        self.language = language
        self.t = translator(language.code)
        self.bilingual = bilingual and language.code != ENGLISH
        self.elements: list[Element] = []

    def add(self, kind: str, message: str, **values: str) -> None:
        text = self.t(message) % values if values else self.t(message)
        english = (message % values if values else message) if self.bilingual else ""
        self.elements.append(Element(kind, text, english))

    def add_dated(self, kind: str, message: str, key: str, value: date | time) -> None:
        """A message with a date or time in it, each formatted for its own language."""
        fmt = _date if isinstance(value, date) else _time
        text = self.t(message) % {key: fmt(value, self.language.locale)}  # type: ignore[arg-type]
        english = message % {key: fmt(value, "en_GB")} if self.bilingual else ""  # type: ignore[arg-type]
        self.elements.append(Element(kind, text, english))

    def verbatim(self, kind: str, text: str) -> None:
        self.elements.append(Element(kind, text, "", verbatim=True))


def _personal(w: _Writer, kind: str, person: SheetPerson) -> None:
    if kind == "COUNCIL":
        if person.council:
            w.add("strong", L.COUNCIL_IS, council=person.council)
        else:
            w.add("para", L.COUNCIL_UNKNOWN)
    elif kind == "RELEASE_WHEN":
        if person.release_date is None:
            w.add("strong", L.DATE_NOT_KNOWN)
            return
        w.add_dated("strong", L.LEAVE_ON, "date", person.release_date)
        if person.release_time is not None:
            w.add_dated("strong", L.LEAVE_AT, "time", person.release_time)
    elif kind == "RELEASE_WARNING":
        if "WEEKEND" in person.warnings:
            w.add("para", L.WARNING_WEEKEND)
        if "LATE" in person.warnings:
            w.add("para", L.WARNING_LATE)
    elif kind == "ARRANGEMENTS":
        shown = [(c, d) for c, d in person.arrangements if c in L.ARRANGEMENT_LABELS and d.strip()]
        if not shown:
            w.add("para", L.NOTHING_ARRANGED)
        for code, details in shown:
            w.add("label", L.ARRANGEMENT_LABELS[code])
            w.verbatim("value", details.strip())
    elif kind == "CONTACTS":
        for code, details in person.contacts:
            if code in L.CONTACT_LABELS and details.strip():
                w.add("label", L.CONTACT_LABELS[code])
                w.verbatim("value", details.strip())
        if person.council:
            w.add("label", L.YOUR_COUNCIL_HOUSING)
            w.verbatim("value", person.council)


def _services(w: _Writer, topic: str, directory: Sequence[DirectoryEntry]) -> None:
    entries = [e for e in directory if e.active and topic in e.topics]
    if not entries:
        w.add("para", L.NO_SERVICES)
        return
    for entry in entries:
        w.verbatim("service", entry.organisation)
        if entry.service:
            w.verbatim("value", entry.service)
        if not entry.has_contact:
            w.add("note", L.ASK_STAFF_CONTACT)
        if entry.phone:
            w.add("label", L.PHONE)
            w.verbatim("value", phone_unbroken(entry.phone))
        if entry.address:
            w.add("label", L.ADDRESS)
            w.verbatim("value", entry.address)
        if entry.hours:
            w.add("label", L.HOURS)
            w.verbatim("value", entry.hours)
        if entry.languages:
            w.add("label", L.LANGUAGES_SPOKEN)
            names = _language_names(entry.languages, w.language.locale)
            english = _language_names(entry.languages, "en_GB") if w.bilingual else ""
            w.elements.append(Element("value", names, english))


def compose(sheet_id: str, language: SheetLanguage, person: SheetPerson,
            directory: Sequence[DirectoryEntry], *, establishment: str, printed_at: datetime,
            bilingual: bool = False) -> ComposedSheet:  # fmt: skip
    """The sheet's elements for her, in her language (and English, when bilingual)."""
    sheet = L.SHEETS[sheet_id]
    w = _Writer(language, bilingual)
    t = w.t
    for block in sheet.blocks:
        if isinstance(block, L.Heading):
            w.add("heading", block.text)
        elif isinstance(block, L.Para):
            w.add("strong" if block.strong else "para", block.text)
        elif isinstance(block, L.Bullets):
            for item in block.items:
                w.add("bullet", item)
        elif isinstance(block, L.Services):
            _services(w, block.topic, directory)
        elif isinstance(block, L.Personal):
            _personal(w, block.kind, person)
    status = review(language.code)
    day = printed_at.date()
    if status.is_draft:
        draft, draft_english = t(L.DRAFT), L.DRAFT
    elif status.reviewed_on is not None:
        reviewed_on = _date(status.reviewed_on, language.locale)
        draft = t(L.REVIEWED) % {"name": status.reviewed_by, "date": reviewed_on}
        draft_english = L.REVIEWED % {"name": status.reviewed_by,
                                      "date": _date(status.reviewed_on, "en_GB")}
    else:
        draft = draft_english = ""
    return ComposedSheet(
        sheet_id=sheet_id,
        language=language,
        title=t(sheet.title),
        english_title=sheet.title,
        person=person,
        establishment=establishment,
        printed=t(L.PRINTED) % {"date": _date(day, language.locale)},
        printed_english=L.PRINTED % {"date": _date(day, "en_GB")},
        page_label=lambda page, pages: t(L.PAGE) % {
            "page": format_decimal(page, locale=language.locale),
            "pages": format_decimal(pages, locale=language.locale)},
        page_label_english=lambda page, pages: L.PAGE % {"page": page, "pages": pages},
        labels={"name": t(L.NAME), "number": t(L.PRISON_NUMBER), "language": t(L.LANGUAGE)},
        english_labels={"name": L.NAME, "number": L.PRISON_NUMBER, "language": L.LANGUAGE},
        ask=t(L.ASK),
        draft_notice=draft if language.code != ENGLISH else "",
        draft_notice_english=draft_english if language.code != ENGLISH else "",
        review=status,
        bilingual=w.bilingual,
        elements=w.elements,
    )

