"""`resettle self-test`: prove this copy of Resettle works on this workstation, end to end.

Run by staff or IT after copying a build to a new machine. It makes a throw-away encrypted
database in a temporary folder, unlocks it, completes a screening through the services, renders
information sheets in Arabic, Chinese and Bengali (the hardest scripts: right to left, CJK, an
Indic script) and checks their text reads back, exports a signed bundle and verifies it, then
deletes everything. Only fictional data is used. One line per step, with its time and OK or
FAILED and the reason; the exit code is 0 only if every step passed.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from app.domain.codes import (  # standard library only: safe before anything else is checked
    ConsentMethod,
    ConsentScope,
    CouncilChoice,
    CustodyStatus,
    ReferralType,
    ScreeningKind,
    ScreeningStatus,
)

PASSPHRASE = "self-test passphrase, fictional 4821"
USER = "selftest"
PRISON_NUMBER = "Z9999ZZ"


@dataclass
class _Run:
    out: TextIO
    folder: Path
    state: dict[str, Any] = field(default_factory=dict)
    failures: int = 0
    number: int = 0

    def step(self, name: str, action: Callable[[], str | None]) -> bool:
        self.number += 1
        start = time.perf_counter()
        try:
            detail = action() or ""
            ok = True
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none is fatal
            detail = f"{type(exc).__name__}: {exc}"
            ok = False
        ms = (time.perf_counter() - start) * 1000
        status = "OK" if ok else "FAILED"
        line = f"{self.number:>2}. {name:<44} {ms:>7.0f} ms  {status}"
        self.out.write(line + (f"  ({detail})" if detail else "") + "\n")
        self.out.flush()
        if not ok:
            self.failures += 1
        return ok


def _pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def run(out: TextIO | None = None) -> int:
    """Every step in order; returns the process exit code."""
    out = out or sys.stdout
    folder = Path(tempfile.mkdtemp(prefix="resettle-self-test-"))
    run = _Run(out, folder)
    started = time.perf_counter()
    out.write(f"Resettle self-test in {folder} (fictional data, deleted at the end)\n")
    try:
        _steps(run)
    finally:
        ws = run.state.get("ws")
        if ws is not None:
            ws.lock()
        run.step("delete the test folder", lambda: _delete(folder))
    total = time.perf_counter() - started
    verdict = "PASSED" if run.failures == 0 else f"FAILED ({run.failures} step(s))"
    out.write(f"Self-test {verdict} in {total:.1f} s\n")
    return 0 if run.failures == 0 else 1


def _delete(folder: Path) -> str:
    shutil.rmtree(folder)
    if folder.exists():
        raise RuntimeError("the test folder is still there")
    return ""


def _steps(run: _Run) -> None:
    from app.services import vault

    data = run.folder / "profile"
    if not run.step("create an encrypted database", lambda: _create(data)):
        return

    def unlock() -> str:
        run.state["ws"] = vault.unlock(data, USER, PASSPHRASE)
        return ""

    if not run.step("unlock it", unlock):
        return
    ws = run.state["ws"]
    if not run.step("check the database file is encrypted", lambda: _encrypted(data)):
        return
    run.step("add a fictional woman", lambda: _person(run, ws))
    if "person_id" not in run.state:
        return
    run.step("complete a BCST1 screening", lambda: _screening(run, ws))
    for code, name in (("ar", "Arabic"), ("zh", "Chinese"), ("bn", "Bengali")):
        run.step(f"render an information sheet in {name}", lambda c=code: _sheet(run, ws, c))
    run.step("export a signed referral bundle", lambda: _export(run, ws))
    if "bundle" in run.state:
        run.step("verify the bundle", lambda: _verify(run))


def _create(data: Path) -> str:
    from app.services import vault

    vault.initialise(data, "HMP Self-test (fictional)", USER, PASSPHRASE)
    return ""


def _encrypted(data: Path) -> str:
    head = (data / "resettle.db").read_bytes()[:16]
    if head.startswith(b"SQLite format 3"):
        raise RuntimeError("the database file is not encrypted")
    return ""


def _person(run: _Run, ws: Any) -> str:  # noqa: ANN401 - a Workspace
    from app.domain.person import PersonDraft
    from app.services import people

    now = datetime.now(UTC)
    run.state["person_id"] = people.add_person(ws, PersonDraft(
        prison_number=PRISON_NUMBER, family_name="Selftest", given_names="Fictiona",
        date_of_birth=date(1990, 1, 1), nationality="SY", first_language="ar",
        custody_status=CustodyStatus.SENTENCED, reception_at=now - timedelta(days=2),
        release_date=date.today() + timedelta(days=30), home_local_authority="E09000012"))
    return ""


def _screening(run: _Run, ws: Any) -> str:  # noqa: ANN401 - a Workspace
    from app.domain import questionnaire
    from app.services import screening
    from app.services.demo import fictional_answers

    answers = fictional_answers(questionnaire.load(ScreeningKind.BCST1), random.Random(7))
    state = screening.complete(ws, run.state["person_id"], ScreeningKind.BCST1, answers, None)
    if state.status != ScreeningStatus.COMPLETED:
        raise RuntimeError(f"the screening is {state.status}, not completed")
    return ""


def _sheet(run: _Run, ws: Any, code: str) -> str:  # noqa: ANN401 - a Workspace
    from app.services import sheets

    data = sheets.render_for(ws, run.state["person_id"], ["release-day"], code)
    text = _pdf_text(data)
    if PRISON_NUMBER not in text:
        raise RuntimeError("her prison number does not read back from the PDF")
    return f"{len(data) // 1024} KB"


def _export(run: _Run, ws: Any) -> str:  # noqa: ANN401 - a Workspace
    from app.domain.referrals import ReferralDraft
    from app.services import bundles, consent, referrals

    pid = run.state["person_id"]
    consent.record(ws, pid, scope=ConsentScope.ALL, shared_with="Fictional council",
                   method=ConsentMethod.VERBAL,
                   given_on=date.today())
    saved = referrals.save(ws, pid, ReferralDraft(type=ReferralType.DUTY_TO_REFER,
                                                  council_code="E09000012",
                                                  council_choice=CouncilChoice.LOCAL_CONNECTION))
    out = run.folder / "drive"
    out.mkdir()
    made = bundles.export_referral(ws, saved.referral_id, out)
    run.state["bundle"] = made.path
    return made.path.name


def _verify(run: _Run) -> str:
    from app.services import bundles

    verified = bundles.verify_file(run.state["bundle"])
    return f"signed by {verified.signer}"
