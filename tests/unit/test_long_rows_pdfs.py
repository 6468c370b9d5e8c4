"""Rows of any length print: EDIC, MAPPA, BCST summary, handover and outcomes, read back.

A woman with 30 or 200 open tasks (or a need with 200 actions) makes a row taller than a page;
ReportLab splits a table row inside its cells only for some heights, and the EDIC list failed
with LayoutError on realistic demo data (20 or 40 tasks, not 25). Each document must print
every line, split across pages, with its heading repeated at the top of each page.
Fictional data only: prison numbers starting with Z and made-up names.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from app.documents.bcst_summary import (
    SummaryAction,
    SummaryNeed,
    SummaryPerson,
    render_bcst_summary,
)
from app.documents.handover import HandoverItem, render_handover
from app.documents.meeting_lists import render_edic, render_mappa
from app.documents.outcomes_report import render_outcomes_report
from app.domain.release_day import OutcomeCounts, OutcomeReport
from tests.unit import test_meeting_list_pdfs as meeting_tests
from tests.unit.test_meeting_list_pdfs import (
    edic_row,
    mappa_row,
    pages_of,
    words_outside_the_margins,
)

pdftotext = meeting_tests.pdftotext  # the fixture

ESTABLISHMENT = "HMP & YOI Testfield"
GENERATED = {"generated_at": datetime(2026, 12, 4, 9, 30, tzinfo=UTC),
             "generated_by": "Sam Printwell"}  # fmt: skip
WEEK_START, WEEK_END = date(2026, 12, 7), date(2026, 12, 13)
# Task titles as long as the plan's real ones (fictional people, generic wording).
TITLES = (
    "With her consent, tell the landlord or lender she is in custody and agree how the rent "
    "or mortgage will be handled",
    "Check whether Housing Benefit or Universal Credit housing costs can continue while she "
    "is in custody",
    "Offer a referral to a specialist domestic abuse service",
    "Explain the National Referral Mechanism to her and ask whether she consents",
    "Tell DWP and the council she is in custody, to avoid overpayments she would repay",
    "Agree where she will live on release",
)
COUNTS = (0, 1, 20, 30, 40, 200)  # 20 and 40 raised LayoutError before; 30 and 200 asked for


def tasks(n: int, who: str = "T") -> tuple[str, ...]:
    """`n` distinct task titles, each ending in its own marker, e.g. "(T017)"."""
    return tuple(f"{TITLES[i % len(TITLES)]} ({who}{i:03d})" for i in range(n))


def woman(index: int, n: int, **changes: object) -> object:
    fields: dict[str, object] = dict(
        prison_number=f"Z{3000 + index}QQ", name=f"LONGLISTER{index:02d}, Fictional",
        release_date=WEEK_START + timedelta(days=index % 5), release_time=time(9, 0),
        release_type="Conditional release (licence)", home_council="Exampleton District Council",
        plan_status="Started 01/10/2026", accommodation_status="Not identified",
        risks=("Friday release: council housing offices close for the weekend",
               "No accommodation identified", "MAPPA level 2"),
        open_tasks=tasks(n, f"W{index:02d}T"),
        referrals="Duty to refer: draft; CRS referral: draft",
        mappa_level="2", cpp_name="Chris Casemaker", pom_name="Pat Offenderly",
    )  # fmt: skip
    fields.update(changes)
    return edic_row(**fields)


def check_pages(tool: str, pdf: Path, reference: str) -> list[str]:
    pages = pages_of(tool, pdf)
    for number, page in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in page
        assert reference in page
        assert f"Page {number} of {len(pages)}" in page
    assert words_outside_the_margins(tool, pdf) == []
    return pages


def holding(pages: list[str], markers: tuple[str, ...]) -> list[str]:
    return [page for page in pages if any(m in page for m in markers)]


# --- EDIC ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", COUNTS)
def test_edic_prints_a_woman_with_any_number_of_open_tasks(tmp_path, pdftotext, n):
    row = woman(1, n)
    pdf = tmp_path / "edic.pdf"
    pdf.write_bytes(render_edic(establishment=ESTABLISHMENT, week_start=WEEK_START,
                                week_end=WEEK_END, rows=[row], **GENERATED))  # fmt: skip
    pages = check_pages(pdftotext, pdf, "EDIC week 2026-W50")
    text = " ".join(pages)
    for title in row.open_tasks:  # type: ignore[attr-defined]
        assert title in text
    if n == 0:
        assert "No open tasks." in text
    markers = tuple(f"(W01T{i:03d})" for i in range(n))
    for page in holding(pages, markers):  # her heading on every page her tasks are on
        assert "LONGLISTER01, Fictional" in page
        assert "Z3001QQ" in page
        assert f"Open tasks ({n})" in page
    if n == 200:
        assert len(holding(pages, markers)) >= 4


def test_edic_week_of_women_with_0_30_and_200_tasks(tmp_path, pdftotext):
    rows = [woman(i, n) for i, n in enumerate((0, 30, 200, 20, 40, 3))]
    pdf = tmp_path / "edic.pdf"
    pdf.write_bytes(render_edic(establishment=ESTABLISHMENT, week_start=WEEK_START,
                                week_end=WEEK_END, rows=rows, **GENERATED))  # fmt: skip
    pages = check_pages(pdftotext, pdf, "EDIC week 2026-W50")
    text = " ".join(pages)
    assert "6 women due for release." in text
    for index, row in enumerate(rows):
        for title in row.open_tasks:  # type: ignore[attr-defined]
            assert title in text
        count = len(row.open_tasks)  # type: ignore[attr-defined]
        markers = tuple(f"(W{index:02d}T{i:03d})" for i in range(count))
        for page in holding(pages, markers):
            assert row.prison_number in page  # type: ignore[attr-defined]


def test_edic_long_texts_in_every_field(tmp_path, pdftotext):
    long = " ".join(f"Fictional words {i:03d}" for i in range(250))
    row = woman(1, 30, accommodation_status=long, referrals=long,
                risks=tuple(f"Risk number {i} for a fictional woman" for i in range(40)))
    pdf = tmp_path / "edic.pdf"
    pdf.write_bytes(render_edic(establishment=ESTABLISHMENT, week_start=WEEK_START,
                                week_end=WEEK_END, rows=[row], **GENERATED))  # fmt: skip
    text = " ".join(check_pages(pdftotext, pdf, "EDIC week 2026-W50"))
    assert "Fictional words 249" in text
    assert "RISK: Risk number 39 for a fictional woman" in text
    for title in row.open_tasks:  # type: ignore[attr-defined]
        assert title in text


# --- MAPPA --------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", (1, 30, 200))
def test_mappa_prints_any_number_of_cases_and_long_texts(tmp_path, pdftotext, n):
    long = " ".join(f"Fictional note {i:03d}" for i in range(300))
    rows = [mappa_row(f"Z{4000 + i}MM", f"MAPPALISTER{i:03d}, Fictional", "2",
                      date(2026, 12, 7) + timedelta(days=i % 80), "Parole",
                      long if i == 0 else "Exampleton District Council", "Chris Casemaker",
                      "Pat Offenderly", "Agreed", long if i == n - 1 else "Not identified")
            for i in range(n)]  # fmt: skip
    pdf = tmp_path / "mappa.pdf"
    pdf.write_bytes(render_mappa(establishment=ESTABLISHMENT, start=date(2026, 12, 1),
                                 end=date(2027, 3, 31), rows=rows, **GENERATED))  # fmt: skip
    pages = check_pages(pdftotext, pdf, "MAPPA 01/12/2026 to 31/03/2027")
    text = " ".join(pages)
    for row in rows:
        assert row.name in text and row.prison_number in text
    assert "Fictional note 299" in text
    for page in pages:  # the column headings repeat on every page
        assert "Prison number" in page and "MAPPA level" in page and "Accommodation" in page


# --- BCST summary -------------------------------------------------------------------------------


@pytest.mark.parametrize("n", (0, 30, 200))
def test_bcst_summary_prints_a_need_with_any_number_of_actions(tmp_path, pdftotext, n):
    person = SummaryPerson(prison_number="Z5001SS", name="ACTIONSON, Fictional",
                           date_of_birth=date(1990, 1, 2), custody_status="SENTENCED",
                           reception_at=datetime(2026, 10, 1, 10, tzinfo=UTC),
                           release="21/12/2026", nationality="British", language="English",
                           home_council="Exampleton")  # fmt: skip
    actions = tuple(SummaryAction(title, date(2026, 12, 1) + timedelta(days=i % 20), i % 3 == 0)
                    for i, title in enumerate(tasks(n, "A")))  # fmt: skip
    needs = [SummaryNeed(f"Fictional need {k}", "ACCOMMODATION", "PRISON", "IN_PROGRESS",
                         "accepted", "", actions if k == 1 else actions[:2])
             for k in range(3)]  # fmt: skip
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(render_bcst_summary(establishment=ESTABLISHMENT, person=person,
                                        screenings=[], needs=needs, **GENERATED))  # fmt: skip
    pages = check_pages(pdftotext, pdf, "Z5001SS")
    text = " ".join(pages)
    for action in actions:
        assert action.title in text
    for page in holding(pages, tuple(f"(A{i:03d})" for i in range(n))):
        assert "Need Pathway Owner Status Decision Actions" in page  # the heading repeats
    assert "Fictional need 2" in text


# --- handover -----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", (0, 30, 200))
def test_handover_prints_any_number_of_open_items(tmp_path, pdftotext, n):
    lines = tasks(n, "H")
    pdf = tmp_path / "handover.pdf"
    pdf.write_bytes(render_handover(
        establishment=ESTABLISHMENT, prison_number="Z6001HH", name="HANDOVERLY, Fictional",
        date_of_birth=date(1985, 5, 5), destination="HMP Notarealplace",
        transferred_on=date(2026, 12, 3),
        sections=[HandoverItem("Open actions", lines), HandoverItem("Referrals", ())],
        **GENERATED))  # fmt: skip
    text = " ".join(check_pages(pdftotext, pdf, "Z6001HH"))
    for line in lines:
        assert line in text
    assert "Nothing open." in text


# --- outcomes -----------------------------------------------------------------------------------


def test_outcomes_report_with_many_rows_repeats_its_headings(tmp_path, pdftotext):
    def counts(label: str, i: int) -> OutcomeCounts:
        return OutcomeCounts(label=label, settled=i % 9, transient=i % 4, homeless=i % 3,
                             unknown=i % 5, sustained=i % 2, not_sustained=1,
                             sustained_unknown=0)  # fmt: skip

    months = [counts(f"{2010 + i // 12}-{i % 12 + 1:02d}", i) for i in range(200)]
    overall = counts("All", 7)
    report = OutcomeReport(start=date(2010, 1, 1), end=date(2026, 8, 31), overall=overall,
                           by_month=tuple(months), by_quarter=(), by_custody=(),
                           by_nationality=())  # fmt: skip
    pdf = tmp_path / "outcomes.pdf"
    pdf.write_bytes(render_outcomes_report(establishment=ESTABLISHMENT, report=report,
                                           **GENERATED))  # fmt: skip
    pages = check_pages(pdftotext, pdf, "Outcomes 01/01/2010 to 31/08/2026")
    text = " ".join(pages)
    assert "Jan 2010" in text and "Aug 2026" in text
    month_pages = [p for p in pages if "% settled" in p]
    assert len(month_pages) >= 3  # the column headings repeat on each page of the table
