"""The BCST summary PDF, read back as text with pdftotext (poppler-utils).

The example is fictional: prison number Z1234AB and made-up names and places only.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.documents.bcst_summary import (
    SummaryAction,
    SummaryNeed,
    SummaryPerson,
    SummaryQuestion,
    SummaryScreening,
    SummarySection,
    render_bcst_summary,
)
from app.errors import UserError
from app.store import atomic
from app.store.atomic import write_atomic

ESTABLISHMENT = "HMP & YOI Testfield"


def save_summary(out: Path, **details: object) -> None:
    """Render the summary and save it the one way every PDF is saved."""
    write_atomic(out, render_bcst_summary(**details))  # type: ignore[arg-type]
SPECIAL = "Owes < £500 rent & > £200 council tax; wrote <b>not bold</b> & \"quoted\""
DECLINED_REASON = "She has a bank account with Fictional Building Society & does not want another"
# 2,000 characters, each word distinct so that order and completeness can be checked.
LONG_ANSWER = " ".join(f"word{i:04d}" for i in range(1, 222)) + " final-word."
assert len(LONG_ANSWER) == 2000


def q(text: str, answer: str) -> SummaryQuestion:
    return SummaryQuestion(text, answer)


def example(long_answer: str = LONG_ANSWER) -> dict[str, object]:
    """A realistic, fictional summary: BCST1 done, BCST2 a draft, needs of every kind."""
    person = SummaryPerson(
        prison_number="Z1234AB",
        name="TESTPERSON, Fictiona",
        date_of_birth=date(1990, 5, 17),
        custody_status="Sentenced",
        reception_at=datetime(2026, 6, 8, 14, 20, tzinfo=UTC),  # 15:20 BST
        release="03/02/2027",
        nationality="United Kingdom",
        language="English",
        home_council="Exampleton District Council",
    )
    bcst1 = SummaryScreening(
        kind="BCST1",
        title="Initial resettlement-needs screening (BCST1)",
        version=1,
        status="COMPLETED",
        completed_at=datetime(2026, 6, 9, 9, 5, tzinfo=UTC),  # 10:05 BST
        completed_by="Alex Officerton",
        due=datetime(2026, 6, 10, 14, 20, tzinfo=UTC),
        skip_reason="",
        sections=(
            SummarySection("Language and communication", (
                q("Does she need an interpreter to understand and take part in meetings?", "No"),
            )),
            SummarySection("Housing", (
                q("Where was she living before custody?", "Private rented housing"),
                q("What was the address?", "Flat 2, 10 Imaginary Road\nExampleton\nEX1 2MP"),
                q("Does she want to keep her tenancy or home, or end it?", "Keep it"),
                q("Does she already owe rent or mortgage payments?", SPECIAL),
                q("Where does she expect to live when she is released?", "Her own home"),
            )),
            SummarySection("Children and safety", (
                q("Does she have parental responsibility for any children under 16?", "Yes"),
                q("Was she their main carer before custody?", "Yes"),
                q("Who is looking after her children now?", "Grandparent, Other family member"),
                q("Has she experienced domestic abuse?", "Prefers not to say"),
            )),
            SummarySection("Money, ID and immigration", (
                q("Which ID documents does she have?", "Passport, Birth certificate"),
                q("Does she have a bank or building society account?", "Yes"),
                q("Does 'no recourse to public funds' (NRPF) apply to her?", ""),
            )),
        ),
    )  # fmt: skip
    bcst2 = SummaryScreening(
        kind="BCST2",
        title="Immediate needs (BCST2)",
        version=1,
        status="DRAFT",
        completed_at=None,
        completed_by=None,
        due=datetime(2026, 6, 16, 14, 20, tzinfo=UTC),
        skip_reason="",
        sections=(
            SummarySection("Accommodation", (
                q("Does she need women-only accommodation?", "Yes"),
                q("Notes for the community probation practitioner", long_answer),
            )),
            SummarySection("Education, skills and work", (
                q("Did she have a job before custody?", "Yes"),
                q("Does she have a job arranged for release?", ""),
                q("When did her last job end?", "12/03/2026"),
            )),
            SummarySection("Health", (
                q("Is she registered with a GP outside prison?", "Yes"),
                q("Does she take prescribed medication that must continue without a break?",
                  "Yes"),
            )),
        ),
    )  # fmt: skip
    needs = [
        SummaryNeed(
            title="Protect or end the tenancy to stop arrears",
            pathway="ACCOMMODATION", owner="PRISON", status="IN_PROGRESS", review="accepted",
            decline_reason="",
            actions=(
                SummaryAction("With her consent, tell the landlord she is in custody",
                              date(2026, 6, 11), True),
                SummaryAction("Check whether Universal Credit housing costs can continue",
                              date(2026, 6, 12), False),
            ),
        ),
        SummaryNeed(
            title="Get ID documents before release",
            pathway="FINANCE_AND_ID", owner="CRS_PROVIDER", status="NOT_STARTED",
            review="proposed", decline_reason="",
            actions=(SummaryAction("Apply for a birth certificate", date(2026, 6, 22), False),),
        ),
        SummaryNeed(
            title="Open a bank account",
            pathway="FINANCE_AND_ID", owner="PROBATION", status="DECLINED", review="declined",
            decline_reason=DECLINED_REASON, actions=(),
        ),
        SummaryNeed(
            title="Continue prescribed medication on release",
            pathway="HEALTH", owner="PRISON", status="MET", review="accepted",
            decline_reason="",
            actions=(SummaryAction("Book a GP appointment for the day after release", None,
                                   True),),
        ),
    ]  # fmt: skip
    return dict(
        establishment=ESTABLISHMENT,
        person=person,
        screenings=[bcst1, bcst2],
        needs=needs,
        generated_at=datetime(2026, 6, 15, 8, 30, tzinfo=UTC),  # 09:30 BST
        generated_by="Sam Printwell",
    )


@pytest.fixture(scope="module")
def pdftotext() -> str:
    tool = shutil.which("pdftotext")
    # .ci/run installs poppler-utils: a missing tool is a broken set-up, not a reason to skip.
    assert tool is not None, "pdftotext is not installed (Debian: apt-get install poppler-utils)"
    return tool


def pages_of(tool: str, pdf: Path) -> list[str]:
    """The text of each page, whitespace collapsed (so wrapped lines read as one)."""
    result = subprocess.run([tool, "-enc", "UTF-8", str(pdf), "-"], check=True,
                            capture_output=True, text=True)  # fmt: skip
    pages = result.stdout.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [" ".join(page.split()) for page in pages]


def words_outside_the_margins(tool: str, pdf: Path) -> list[str]:
    """Words printed outside the 18 mm side margins or off the page (text that overflowed)."""
    result = subprocess.run([tool, "-bbox", str(pdf), "-"], check=True, capture_output=True,
                            text=True)  # fmt: skip
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', result.stdout)
    assert page
    width, height = float(page[1]), float(page[2])
    margin = 18 / 25.4 * 72 - 0.5
    outside = []
    for x0, y0, x1, y1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        result.stdout,
    ):
        if float(x0) < margin or float(x1) > width - margin or float(y0) < 0 \
                or float(y1) > height:  # fmt: skip
            outside.append(word)
    return outside


def words_in_order(text: str, words: list[str]) -> bool:
    position = 0
    for word in words:
        position = text.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("summary") / "bcst_summary.pdf"
    save_summary(out, **example())
    assert out.read_bytes().startswith(b"%PDF-")
    return out


@pytest.fixture(scope="module")
def rendered(example_pdf: Path, pdftotext: str) -> list[str]:
    return pages_of(pdftotext, example_pdf)


def test_nothing_is_printed_outside_the_margins(example_pdf, pdftotext):
    assert words_outside_the_margins(pdftotext, example_pdf) == []


def test_title_marking_and_identity(rendered):
    text = " ".join(rendered)
    assert "Induction screening summary" in rendered[0]
    assert "TESTPERSON, Fictiona" in rendered[0]
    assert "17/05/1990" in rendered[0]
    assert "08/06/2026 15:20" in rendered[0]  # reception, 14:20 UTC shown as BST
    assert "Exampleton District Council" in rendered[0]
    assert ESTABLISHMENT in text
    assert "Printed 15/06/2026 09:30 by Sam Printwell from Resettle" in text


def test_every_page_has_the_marking_prison_number_and_page_n_of_m(rendered):
    assert len(rendered) >= 2
    for number, page in enumerate(rendered, start=1):
        assert "OFFICIAL-SENSITIVE" in page
        assert "Z1234AB" in page
        assert ESTABLISHMENT in page
        assert f"Page {number} of {len(rendered)}" in page
        assert "from Resettle" in page


def test_every_question_and_answer_is_printed(rendered):
    text = " ".join(rendered)
    assert "BCST1 \u2014 Initial resettlement-needs screening (version 1)" in text
    assert "BCST2 \u2014 Immediate needs (version 1)" in text  # "(BCST2)" not said twice
    for screening in example()["screenings"]:  # type: ignore[attr-defined]
        for section in screening.sections:
            assert section.title in text
            for question in section.questions:
                assert " ".join(question.text.split()) in text
                if question.answer and question.answer is not LONG_ANSWER:
                    assert " ".join(question.answer.split()) in text, question.text


def test_status_lines_use_london_time(rendered):
    text = " ".join(rendered)
    assert "Completed 09/06/2026 10:05 by Alex Officerton" in text
    assert "Draft \u2014 not completed (due 16/06/2026 15:20)" in text


def test_unanswered_questions_show_an_en_dash(rendered):
    text = " ".join(rendered)
    assert "\u2013" in text.split("(NRPF) apply to her?")[1][:40]


def test_support_needs_with_labels_decisions_and_actions(rendered):
    text = " ".join(rendered)
    assert "Support needs" in text
    for title in ("Protect or end the tenancy to stop arrears", "Get ID documents before release",
                  "Open a bank account", "Continue prescribed medication on release"):
        assert title in text
    for label in ("Accommodation", "Finance and ID", "Health", "Prison", "Probation",
                  "CRS provider", "In progress", "Not started", "Met", "Accepted", "Proposed"):
        assert label in text
    assert f"Declined: {DECLINED_REASON}" in text
    assert words_in_order(text, "Apply for a birth certificate".split())
    assert "due 11/06/2026, done" in text
    assert "due 12/06/2026, not done" in text
    assert "\u2714" in text  # the tick, drawn in ZapfDingbats


def test_long_answer_wraps_and_is_complete(rendered):
    text = " ".join(rendered)
    assert words_in_order(text, LONG_ANSWER.split())


def test_special_characters_survive(rendered):
    text = " ".join(rendered)
    assert SPECIAL in text  # & < > and markup-like text printed as typed


def test_an_answer_taller_than_a_page_splits_across_pages(tmp_path, pdftotext):
    words = [f"part{i:05d}" for i in range(1, 1601)]  # about 16,000 characters
    out = tmp_path / "long.pdf"
    save_summary(out, **example(long_answer=" ".join(words)))
    pages = pages_of(pdftotext, out)
    assert len(pages) >= 4
    assert words_in_order(" ".join(pages), words)
    assert all("Z1234AB" in page for page in pages)


def test_long_unbroken_text_wraps_inside_the_margins(tmp_path, pdftotext):
    link = "https://example.invalid/" + "x" * 2000  # a pasted link: one 2,024-character word
    data = example(long_answer=link)
    data["establishment"] = "HMP & YOI " + "Very Long Establishment Name " * 8
    data["generated_by"] = "Sam " + "Printwell" * 40
    out = tmp_path / "unbroken.pdf"
    save_summary(out, **data)
    assert words_outside_the_margins(pdftotext, out) == []
    assert link in "".join(" ".join(pages_of(pdftotext, out)).split())


def test_names_keep_their_accents_and_other_scripts_do_not_break_the_pdf(tmp_path, pdftotext):
    data = example()
    data["person"] = SummaryPerson(**{**data["person"].__dict__,  # type: ignore[attr-defined]
                                      "name": "TESTOWA, \u0141ucja Zo\u00eb \u011e\u00fcl \u6f22"})
    out = tmp_path / "names.pdf"
    save_summary(out, **data)
    assert "TESTOWA, \u0141ucja Zo\u00eb \u011e\u00fcl ?" in pages_of(pdftotext, out)[0]


def test_nothing_recorded_still_prints(tmp_path, pdftotext):
    data = example()
    data["screenings"] = [SummaryScreening(
        "BCST1", "Initial resettlement-needs screening", 1, "NOT_STARTED", None, None,
        datetime(2026, 6, 10, 14, 20, tzinfo=UTC), "", (),
    ), SummaryScreening(
        "BCST2", "Immediate needs", 1, "SKIPPED", None, None, None, "Completed in OASys", (),
    )]  # fmt: skip
    data["needs"] = []
    out = tmp_path / "empty.pdf"
    save_summary(out, **data)
    text = " ".join(pages_of(pdftotext, out))
    assert "Not started \u2014 due 10/06/2026 15:20" in text
    assert "Not needed: Completed in OASys" in text
    assert "No support needs are recorded." in text


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root can write into a read-only folder; the simulated refusal test covers it",
)
def test_read_only_folder_raises_user_error_and_leaves_nothing(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(UserError, match="not allowed to save"):
            save_summary(folder / "summary.pdf", **example())
        assert leftovers(folder) == []
    finally:
        folder.chmod(0o755)


def test_folder_refusing_new_files_raises_user_error(tmp_path, monkeypatch):
    """What a read-only folder does for a user who is not root: the temporary file is refused."""
    out = tmp_path / "summary.pdf"

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    with pytest.raises(UserError, match=f"not allowed to save in {re.escape(str(tmp_path))}"):
        save_summary(out, **example())
    assert leftovers(tmp_path) == []


def test_refused_rename_raises_user_error_and_keeps_the_old_file(tmp_path, monkeypatch):
    """As if the folder were read-only (or the old PDF open in a viewer on Windows)."""
    out = tmp_path / "summary.pdf"
    out.write_bytes(b"old")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(UserError, match="cannot replace") as caught:
        save_summary(out, **example())
    assert "Traceback" not in str(caught.value)
    assert leftovers(tmp_path) == ["summary.pdf"]
    assert out.read_bytes() == b"old"


def test_full_disk_raises_user_error_and_leaves_no_temp_file(tmp_path, monkeypatch):
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(UserError, match="not enough space"):
        save_summary(tmp_path / "summary.pdf", **example())
    assert leftovers(tmp_path) == []


def test_missing_folder_raises_user_error(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        save_summary(tmp_path / "nowhere" / "summary.pdf", **example())
