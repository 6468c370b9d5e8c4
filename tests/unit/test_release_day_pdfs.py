"""Her release-day sheet and the accommodation-outcomes report, read back with poppler.

Every example is fictional: prison numbers starting with Z and made-up names and places only.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from app.documents.outcomes_report import month_name, render_outcomes_report
from app.documents.release_day_sheet import render_release_day_sheet
from app.domain.release_day import OutcomeCounts, OutcomeReport
from app.errors import UserError
from app.store.atomic import write_atomic

ESTABLISHMENT = "HMP & YOI Testfield"
GENERATED = {
    "generated_at": datetime(2026, 11, 20, 9, 30, tzinfo=UTC),  # GMT: 09:30 in London
    "generated_by": "Sam Printwell",
}
ITEMS = [
    ("Where you will sleep tonight", "12 Fictional Road, Testtown TT1 2AB"),
    ("Probation appointment", "2pm at Testtown Probation Office, 3 Example Street"),
    ("Your money", "Discharge grant paid at the gate; Universal Credit appointment on Monday"),
    ("Medication", "7 days of tablets in your bag"),
    ("Travel", "Train warrant to Testtown"),
]
CONTACTS = [("Probation (Jo Sample)", "01234 000 000"), ("Samaritans", "116 123")]


def _tool(name: str) -> str:
    tool = shutil.which(name)
    # .ci/run installs poppler-utils: a missing tool is a broken set-up, not a reason to skip.
    assert tool is not None, f"{name} is not installed (Debian: apt-get install poppler-utils)"
    return tool


def text_of(pdf: Path) -> str:
    """The whole text (-raw, drawing order), whitespace collapsed so wrapped lines read as one."""
    result = subprocess.run([_tool("pdftotext"), "-raw", "-enc", "UTF-8", str(pdf), "-"],
                            check=True, capture_output=True, text=True)  # fmt: skip
    return " ".join(result.stdout.split())


def page_count(pdf: Path) -> int:
    result = subprocess.run([_tool("pdfinfo"), str(pdf)], check=True, capture_output=True,
                            text=True)  # fmt: skip
    match = re.search(r"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
    assert match, result.stdout
    return int(match[1])


def sheet(out: Path, **changes: object) -> Path:
    arguments: dict[str, object] = {
        "establishment": ESTABLISHMENT,
        "name": "Zara Example",
        "prison_number": "Z1001AA",
        "release_date": date(2026, 11, 27),
        "release_time": time(10, 0),
        "items": ITEMS,
        "contacts": CONTACTS,
        **GENERATED,
    }
    arguments.update(changes)
    write_atomic(out, render_release_day_sheet(**arguments))  # type: ignore[arg-type]
    return out


def counts(label: str, settled: int, transient: int, homeless: int, unknown: int,
           sustained: int = 0) -> OutcomeCounts:  # fmt: skip
    total = settled + transient + homeless + unknown
    return OutcomeCounts(label, settled, transient, homeless, unknown, sustained,
                         0, total - sustained)  # fmt: skip


def outcome_report() -> OutcomeReport:
    november = counts("2026-11", 12, 6, 2, 3, sustained=10)
    december = counts("2026-12", 9, 3, 0, 4, sustained=1)
    overall = counts("All", 21, 9, 2, 7, sustained=11)
    return OutcomeReport(
        start=date(2026, 11, 1),
        end=date(2026, 12, 31),
        overall=overall,
        by_month=(november, december),
        by_quarter=(counts("2026 Q4", 21, 9, 2, 7, sustained=11),),
        by_custody=(
            counts("Remand / unsentenced", 3, 1, 0, 0),
            counts("Sentenced / recall", 18, 8, 2, 7, sustained=11),
        ),  # fmt: skip
        by_nationality=(
            counts("Foreign national", 2, 2, 1, 1),
            counts("British", 19, 7, 1, 6, sustained=11),
        ),  # fmt: skip
    )


# --- her sheet ----------------------------------------------------------------------------------


def test_sheet_is_one_page_with_her_name_and_release(tmp_path: Path) -> None:
    pdf = sheet(tmp_path / "sheet.pdf")
    text = text_of(pdf)
    assert page_count(pdf) == 1
    for expected in ("Your release day", "Zara Example", "Z1001AA",
                     "Leaving HMP & YOI Testfield on Friday 27 November 2026 at 10:00",
                     "Your day", "Where you will sleep tonight", "12 Fictional Road",
                     "Who to call", "Samaritans", "116 123", "Keep this sheet with you.",
                     "Printed 20/11/2026 09:30 by Sam Printwell from Resettle"):  # fmt: skip
        assert expected in text, expected
    assert "OFFICIAL-SENSITIVE" not in text  # her own copy


def test_sheet_says_when_the_time_is_not_known(tmp_path: Path) -> None:
    text = text_of(sheet(tmp_path / "sheet.pdf", release_time=None))
    assert "Friday 27 November 2026, time to be confirmed" in text


def test_sheet_with_25_items_still_fits_one_page(tmp_path: Path) -> None:
    items = [(f"Thing {n} to know", f"Details of thing {n}, at 12 Fictional Road, Testtown")
             for n in range(1, 26)]  # fmt: skip
    pdf = sheet(tmp_path / "sheet.pdf", items=items)
    text = text_of(pdf)
    assert page_count(pdf) == 1
    assert "Zara Example" in text and "10:00" in text
    assert "Thing 25 to know" in text  # shrunk, not cut
    assert "ask staff" not in text


def test_sheet_with_far_too_many_items_leaves_some_off_and_says_so(tmp_path: Path) -> None:
    items = [(f"Thing {n}", "A long explanation of what to do. " * 8) for n in range(1, 81)]
    pdf = sheet(tmp_path / "sheet.pdf", items=items)
    text = text_of(pdf)
    assert page_count(pdf) == 1
    match = re.search(r"and (\d+) more \u2014 ask staff", text)
    assert match, text[-400:]
    shown = len(re.findall(r"Thing \d+:", text))
    assert shown + int(match[1]) == 80
    assert "Who to call" in text and "Keep this sheet with you." in text


def test_sheet_prints_her_name_with_every_accent(tmp_path: Path) -> None:
    text = text_of(sheet(tmp_path / "sheet.pdf", name="Zoë Łukasz-Ex\u0101mple \u4e2d"))
    assert "Zoë Łukasz-Ex\u0101mple ?" in text


def test_sheet_into_a_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "sheet.pdf"
    with pytest.raises(UserError, match="does not exist"):
        sheet(out)
    assert not out.parent.exists()


# --- the outcomes report ------------------------------------------------------------------------


def test_report_has_title_months_and_suppressed_small_counts(tmp_path: Path) -> None:
    pdf = tmp_path / "outcomes.pdf"
    write_atomic(pdf, render_outcomes_report(establishment=ESTABLISHMENT, report=outcome_report(),
                                             **GENERATED))  # type: ignore[arg-type]  # fmt: skip
    text = text_of(pdf)
    pages = page_count(pdf)
    for expected in ("Accommodation on release", "Releases from 1 November 2026 to 31 December "
                     "2026", "Nov 2026", "Dec 2026", "2026 Q4", "Unknown (a failure to follow "
                     "up)", "Sustained at 12 weeks", "Remand / unsentenced", "Foreign national",
                     "Counts under 5 are shown as <5 in tables",
                     "Settled and transient follow nDelius accommodation codes; sustained = "
                     "accommodation lasting more than 12 weeks.", "OFFICIAL-SENSITIVE",
                     f"Page 1 of {pages}", "All releases"):  # fmt: skip
        assert expected in text, expected
    # November: 12 settled, 6 transient, 2 homeless, 3 unknown = 23; 52% settled, 13% unknown.
    assert "Nov 2026 12 6 <5 <5 23 52% 13% 10 of 23" in text
    # Remand: 4 in all, so every count is <5 and no percentage is given.
    assert "Remand / unsentenced <5 <5 0 0 <5 \u2013 \u2013" in text
    for bare in (" 3 ", " 2 ", " 4 ", " 1 "):  # no count from 1 to 4 printed as itself
        row_text = " ".join(re.findall(r"(?:Nov|Dec) 2026 [^A-Z]*", text))
        assert bare not in f" {row_text} ", (bare, row_text)


def test_report_with_no_releases(tmp_path: Path) -> None:
    empty = counts("All", 0, 0, 0, 0)
    report = OutcomeReport(date(2026, 11, 1), date(2026, 11, 30), empty,
                           (counts("2026-11", 0, 0, 0, 0),), (counts("2026 Q4", 0, 0, 0, 0),),
                           (), ())  # fmt: skip
    pdf = tmp_path / "outcomes.pdf"
    write_atomic(pdf, render_outcomes_report(establishment=ESTABLISHMENT, report=report,
                                             **GENERATED))  # type: ignore[arg-type]  # fmt: skip
    text = text_of(pdf)
    assert "No releases are recorded in this period." in text
    assert "Nov 2026 0 0 0 0 0 \u2013 \u2013 \u2013" in text


def test_report_into_a_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        write_atomic(tmp_path / "missing" / "outcomes.pdf", render_outcomes_report(
            establishment=ESTABLISHMENT, report=outcome_report(),
            **GENERATED))  # type: ignore[arg-type]  # fmt: skip


def test_month_names() -> None:
    assert month_name("2026-11") == "Nov 2026"
    assert month_name("2027-01") == "Jan 2027"
    assert month_name("2026 Q4") == "2026 Q4"
    assert month_name("2026-13") == "2026-13"
