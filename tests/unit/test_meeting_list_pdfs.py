"""The EDIC and MAPPA meeting lists and the transfer handover summary, read back with pdftotext.

Every example is fictional: prison numbers starting with Z and made-up names and places only.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from app.documents.handover import HandoverItem, render_handover
from app.documents.meeting_lists import mappa_level, render_edic, render_mappa
from app.domain.meetings import MeetingRow
from app.errors import UserError
from app.store import atomic
from app.store.atomic import write_atomic

ESTABLISHMENT = "HMP & YOI Testfield"
SPECIAL = 'Rent arrears < £500 & > £200 owed; wrote <b>not bold</b> & "quoted"'
GENERATED = {
    "generated_at": datetime(2026, 12, 4, 9, 30, tzinfo=UTC),  # GMT: 09:30 in London
    "generated_by": "Sam Printwell",
}
SUMMER = datetime(2026, 7, 3, 8, 15, tzinfo=UTC)  # BST: 09:15 in London
WEEK_START, WEEK_END = date(2026, 12, 7), date(2026, 12, 13)


@pytest.fixture(scope="module")
def pdftotext() -> str:
    tool = shutil.which("pdftotext")
    # .ci/run installs poppler-utils: a missing tool is a broken set-up, not a reason to skip.
    assert tool is not None, "pdftotext is not installed (Debian: apt-get install poppler-utils)"
    return tool


def pages_of(tool: str, pdf: Path) -> list[str]:
    """The text of each page in drawing order (-raw: a cell's wrapped lines stay together, not
    interleaved with the next column's), whitespace collapsed so wrapped lines read as one."""
    result = subprocess.run([tool, "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True,
                            capture_output=True, text=True)  # fmt: skip
    pages = result.stdout.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [" ".join(page.split()) for page in pages]


def words_outside_the_margins(tool: str, pdf: Path) -> list[str]:
    result = subprocess.run([tool, "-bbox", str(pdf), "-"], check=True, capture_output=True,
                            text=True)  # fmt: skip
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', result.stdout)
    assert page
    width, height = float(page[1]), float(page[2])
    margin = 18 / 25.4 * 72 - 0.5
    return [
        word
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            result.stdout,
        )
        if float(x0) < margin or float(x1) > width - margin or float(y0) < 0
        or float(y1) > height
    ]  # fmt: skip


def edic_row(**fields: object) -> MeetingRow:
    """A row as the EDIC list uses it (the MAPPA-only columns left blank)."""
    blank = {"person_id": 0, "mappa_level": "", "cpp_name": "", "pom_name": ""}
    return MeetingRow(**{**blank, **fields})  # type: ignore[arg-type]


def mappa_row(prison_number: str, name: str, level: str, release_date: date, release_type: str,
              home_council: str, cpp_name: str, pom_name: str, plan_status: str,
              accommodation_status: str) -> MeetingRow:  # fmt: skip
    """A row as the MAPPA list uses it (the EDIC-only columns left blank)."""
    return MeetingRow(0, prison_number, name, release_date, None, release_type, home_council,
                      level, cpp_name, pom_name, plan_status, accommodation_status, (), (), "")


def edic_rows() -> list[MeetingRow]:
    return [
        edic_row(
            prison_number="Z1001AA",
            name="EXAMPLEFORD, Alpha",
            release_date=date(2026, 12, 7),
            release_time=time(9, 0),
            release_type="Conditional release (CRD)",
            home_council="Exampleton District Council",
            plan_status="Agreed",
            accommodation_status="Approved premises",
            risks=("MAPPA level 2",),
            open_tasks=("Book first probation appointment", "Collect ID from reception"),
            referrals="Duty to refer: submitted 02/12/2026; CRS: made 25/11/2026",
        ),
        edic_row(
            prison_number="Z1002BB",
            name="SAMPLEWORTH, Beta",
            release_date=date(2026, 12, 11),
            release_time=None,
            release_type="Home detention curfew (HDC)",
            home_council="Fictionshire County Council",
            plan_status="Draft",
            accommodation_status="No accommodation identified",
            risks=("Friday release", "No accommodation identified"),
            open_tasks=(SPECIAL,),
            referrals="Duty to refer: not made; CRS: not made",
        ),
        edic_row(
            prison_number="Z1003CC",
            name="TESTCASE, Gamma",
            release_date=date(2026, 12, 10),
            release_time=time(17, 30),
            release_type="Sentence expiry (SED)",
            home_council="Mockbury Borough Council",
            plan_status="Agreed",
            accommodation_status="Settled (own tenancy)",
            risks=("Release after 17:00",),
            open_tasks=(),
            referrals="",
        ),
    ]


def many_edic_rows(n: int = 40) -> list[MeetingRow]:
    base = edic_rows()
    rows = []
    for i in range(n):
        row = base[i % len(base)]
        rows.append(edic_row(
            prison_number=f"Z{2000 + i}ZZ",
            name=f"FICTIONAL{i:02d}, Person",
            release_date=WEEK_START + timedelta(days=i % 7),
            release_time=row.release_time,
            release_type=row.release_type,
            home_council=row.home_council,
            plan_status=row.plan_status,
            accommodation_status=row.accommodation_status,
            risks=row.risks,
            open_tasks=row.open_tasks + (f"Task for woman {i:02d}",),
            referrals=row.referrals,
        ))  # fmt: skip
    return rows


def mappa_rows() -> list[MeetingRow]:
    return [
        mappa_row("Z1001AA", "EXAMPLEFORD, Alpha", "2", date(2026, 12, 7),
                 "Conditional release (CRD)", "Exampleton District Council", "Chris Casemaker",
                 "Pat Offenderly", "Agreed", "Approved premises"),
        mappa_row("Z1004DD", "PRETENDSON, Delta", "LEVEL_3", date(2027, 1, 15),
                 "Parole", "Fictionshire County Council & Districts", "Jo Fieldworth",
                 "Lee Wingmanager", "Draft", "No accommodation identified"),
        mappa_row("Z1005EE", "MOCKLEY, Epsilon", "Level 1", date(2027, 2, 26),
                 "Sentence expiry (SED)", SPECIAL, "", "Kim Prisonwell", "Not started",
                 "Settled"),
    ]  # fmt: skip


def handover_kwargs() -> dict[str, object]:
    return {
        "establishment": ESTABLISHMENT,
        "prison_number": "Z1006FF",
        "name": "IMAGINARY, Zeta",
        "date_of_birth": date(1988, 3, 9),
        "destination": "HMP Notarealplace",
        "transferred_on": date(2026, 12, 3),
        "sections": [
            HandoverItem("Open support needs", ("Accommodation: duty to refer not yet made",
                                                "Finance and ID: bank account application")),
            HandoverItem("Open actions", (SPECIAL,)),
            HandoverItem("Referrals", ()),
        ],  # fmt: skip
        "generated_at": SUMMER,
        "generated_by": "Sam Printwell",
    }


def edic(out: Path, rows: list[MeetingRow]) -> Path:
    write_atomic(out, render_edic(establishment=ESTABLISHMENT, week_start=WEEK_START,
                                  week_end=WEEK_END, rows=rows,
                                  **GENERATED))  # type: ignore[arg-type]
    return out


def mappa(out: Path, rows: list[MeetingRow]) -> Path:
    write_atomic(out, render_mappa(establishment=ESTABLISHMENT, start=date(2026, 12, 1),
                                   end=date(2027, 3, 31), rows=rows,
                                   **GENERATED))  # type: ignore[arg-type]
    return out


# --- EDIC ---------------------------------------------------------------------------------------


def test_edic_lists_each_woman_with_release_risks_tasks_and_referrals(tmp_path, pdftotext):
    pdf = edic(tmp_path / "edic.pdf", edic_rows())
    pages = pages_of(pdftotext, pdf)
    text = " ".join(pages)
    assert "EDIC — Early Days in Community" in pages[0]
    assert ("Releases Monday 7 December 2026 to Sunday 13 December 2026 (week 2026-W50)"
            in pages[0])  # fmt: skip
    assert "3 women due for release." in pages[0]
    for row in edic_rows():
        assert row.name in text
        assert row.prison_number in text
        assert row.home_council in text
        for task in row.open_tasks:
            assert task in text
    assert "07/12/2026 09:00" in text
    assert "11/12/2026, time not set" in text
    assert "10/12/2026 17:30" in text
    for risk in ("RISK: MAPPA level 2", "RISK: Friday release",
                 "RISK: No accommodation identified", "RISK: Release after 17:00"):  # fmt: skip
        assert risk in text
    assert "Duty to refer: submitted 02/12/2026; CRS: made 25/11/2026" in text
    assert "No open tasks." in text
    assert SPECIAL in text  # & < > printed as text, not read as markup
    assert "Printed 04/12/2026 09:30 by Sam Printwell from Resettle" in text
    assert words_outside_the_margins(pdftotext, pdf) == []


def test_edic_order_is_as_given(tmp_path, pdftotext):
    text = " ".join(pages_of(pdftotext, edic(tmp_path / "edic.pdf", edic_rows())))
    positions = [text.index(row.prison_number) for row in edic_rows()]
    assert positions == sorted(positions)


def test_empty_week(tmp_path, pdftotext):
    pages = pages_of(pdftotext, edic(tmp_path / "edic.pdf", []))
    assert len(pages) == 1
    assert "No releases in this week." in pages[0]
    assert "Page 1 of 1" in pages[0]
    assert "OFFICIAL-SENSITIVE" in pages[0]


def test_forty_women_run_over_pages_with_the_header_on_each(tmp_path, pdftotext):
    rows = many_edic_rows(40)
    started = clock.perf_counter()
    pdf = edic(tmp_path / "edic.pdf", rows)
    took = clock.perf_counter() - started
    print(f"40-woman EDIC rendered in {took * 1000:.0f} ms")
    assert took < 5  # typically well under a second; generous for slow CI machines
    pages = pages_of(pdftotext, pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in page
        assert ESTABLISHMENT in page
        assert "EDIC week 2026-W50" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "from Resettle" in page
    text = " ".join(pages)
    assert "40 women due for release." in text
    for row in rows:
        assert row.prison_number in text
        assert f"Task for woman {row.name[9:11]}" in text
    # keep-together: a woman's block is on one page, name and referrals line together
    for row in rows:
        holding = [page for page in pages if row.prison_number in page]
        assert len(holding) == 1
        assert row.open_tasks[-1] in holding[0]
    assert words_outside_the_margins(pdftotext, pdf) == []


def test_one_woman_is_counted_in_the_singular(tmp_path, pdftotext):
    pages = pages_of(pdftotext, edic(tmp_path / "edic.pdf", edic_rows()[:1]))
    assert "1 woman due for release." in pages[0]


# --- MAPPA --------------------------------------------------------------------------------------


def test_mappa_table(tmp_path, pdftotext):
    pdf = mappa(tmp_path / "mappa.pdf", mappa_rows())
    pages = pages_of(pdftotext, pdf)
    text = " ".join(pages)
    assert "MAPPA cases due for release" in pages[0]
    assert "Releases due Tuesday 1 December 2026 to Wednesday 31 March 2027" in pages[0]
    assert "3 cases." in pages[0]
    for row in mappa_rows():
        assert row.name in text
        assert row.prison_number in text
        assert day(row.release_date) in text
    for level in ("Level 2", "Level 3", "Level 1"):
        assert level in text
    assert "LEVEL_3" not in text
    assert "Chris Casemaker" in text and "Kim Prisonwell" in text
    assert SPECIAL in text
    positions = [text.index(row.prison_number) for row in mappa_rows()]
    assert positions == sorted(positions)  # sorted as given
    assert "Page 1 of 1" in pages[0] and ESTABLISHMENT in pages[0]
    assert words_outside_the_margins(pdftotext, pdf) == []


def test_mappa_empty(tmp_path, pdftotext):
    pages = pages_of(pdftotext, mappa(tmp_path / "mappa.pdf", []))
    assert "No MAPPA cases are due for release in this period." in pages[0]


def test_mappa_level_labels():
    assert mappa_level("2") == "Level 2"
    assert mappa_level("LEVEL_3") == "Level 3"
    assert mappa_level(" level 1 ") == "Level 1"
    assert mappa_level("Level 2") == "Level 2"
    assert mappa_level("Not known") == "Not known"


# --- handover -----------------------------------------------------------------------------------


def test_handover(tmp_path, pdftotext):
    out = tmp_path / "handover.pdf"
    write_atomic(out, render_handover(**handover_kwargs()))  # type: ignore[arg-type]
    pages = pages_of(pdftotext, out)
    text = " ".join(pages)
    assert "Transfer handover summary" in pages[0]
    assert "IMAGINARY, Zeta" in pages[0]
    assert "09/03/1988" in pages[0]
    assert "Transferred to HMP Notarealplace on 03/12/2026" in pages[0]
    assert "Open support needs" in text
    assert "Accommodation: duty to refer not yet made" in text
    assert SPECIAL in text
    assert re.search(r"Referrals Nothing open\.", text)
    assert "Printed 03/07/2026 09:15 by Sam Printwell from Resettle" in text  # BST
    for number, page in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in page
        assert "Prison number Z1006FF" in page
        assert f"Page {number} of {len(pages)}" in page
    assert words_outside_the_margins(pdftotext, out) == []


# --- saving -------------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("document", ["edic", "mappa", "handover"])
def test_unwritable_folder_raises_user_error_and_leaves_nothing(tmp_path, monkeypatch, document):
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    out = tmp_path / f"{document}.pdf"
    with pytest.raises(UserError, match=f"not allowed to save in {re.escape(str(tmp_path))}"):
        if document == "edic":
            edic(out, edic_rows())
        elif document == "mappa":
            mappa(out, mappa_rows())
        else:
            write_atomic(out, render_handover(**handover_kwargs()))  # type: ignore[arg-type]
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root can write into a read-only folder; the simulated refusal test covers it",
)
def test_read_only_folder_raises_user_error(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(UserError, match="not allowed to save"):
            edic(folder / "edic.pdf", edic_rows())
        assert leftovers(folder) == []
    finally:
        folder.chmod(0o755)


def test_missing_folder_raises_user_error(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        mappa(tmp_path / "nowhere" / "mappa.pdf", mappa_rows())


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")
