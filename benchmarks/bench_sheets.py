"""Information sheets: one sheet warm, five sheets in one language, every sheet in every
language, PDF sizes, and one sheet from a real encrypted record (personalise, render, write).

Run: `make bench` or `QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_sheets.py`
Targets (issue 6): one sheet < 200 ms warm; all five in one language < 1 s; every sheet in every
language < 20 s; a sheet PDF < 500 KB.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from datetime import time as clock
from pathlib import Path

from _common import median_ms, report


def main() -> None:
    from app.services import people, sheets, vault
    from app.sheets.compose import compose
    from app.sheets.languages import LANGUAGES
    from app.sheets.library import SHEETS
    from app.sheets.render import render_sheets
    from app.sheets.sample import SAMPLE_DIRECTORY, SAMPLE_ESTABLISHMENT, SAMPLE_PERSON
    from tests.conftest import make_draft

    at = datetime.now(UTC)

    def pdf(sheet_ids: list[str], code: str, bilingual: bool = False) -> bytes:
        return render_sheets([compose(s, LANGUAGES[code], SAMPLE_PERSON, SAMPLE_DIRECTORY,
                                      establishment=SAMPLE_ESTABLISHMENT, printed_at=at,
                                      bilingual=bilingual) for s in sheet_ids])

    start = time.perf_counter()
    sizes = {(s, c): len(pdf([s], c)) for c in LANGUAGES for s in SHEETS}
    cold_all = (time.perf_counter() - start) * 1000
    every = median_ms(lambda: [pdf([s], c) for c in LANGUAGES for s in SHEETS], repeat=3)
    one = {c: median_ms(lambda c=c: pdf(["release-day"], c), repeat=9) for c in LANGUAGES}
    five = {c: median_ms(lambda c=c: pdf(list(SHEETS), c), repeat=5) for c in LANGUAGES}
    bilingual = {c: len(pdf(list(SHEETS), c, True)) for c in ("ar", "ur", "zh", "bn")}

    path = Path(tempfile.mkdtemp()) / "sheets"
    vault.initialise(path, "HMP Benchmark (fictional)", "admin", "benchmark passphrase 1")
    ws = vault.unlock(path, "admin", "benchmark passphrase 1")
    pid = people.add_person(ws, make_draft(first_language="ur", nationality="PK",
                                           release_date=date(2027, 3, 5),
                                           release_time=clock(10, 0)))
    out = Path(tempfile.mkdtemp()) / "hers.pdf"
    record = median_ms(lambda: sheets.save_pdf(ws, pid, ["release-day"], "ur", True, out), 7)
    ws.lock()

    report("every sheet x language, cold", cold_all, "ms", "< 20000")
    report("every sheet x language (115 PDFs), warm", every, "ms", "< 20000")
    report("one sheet warm, median over languages", statistics.median(one.values()), "ms",
           "< 200")
    report(f"one sheet warm, slowest ({max(one, key=one.get)})", max(one.values()), "ms", "< 200")
    report("five sheets, median over languages", statistics.median(five.values()), "ms",
           "< 1000")
    report(f"five sheets, slowest ({max(five, key=five.get)})", max(five.values()), "ms",
           "< 1000")
    report("one-sheet PDF, median size", statistics.median(sizes.values()) / 1024, "KB", "< 500")
    worst = max(sizes, key=sizes.get)
    report(f"one-sheet PDF, largest ({worst[1]})", sizes[worst] / 1024, "KB", "< 500")
    report(f"five sheets bilingual, largest ({max(bilingual, key=bilingual.get)})",
           max(bilingual.values()) / 1024, "KB", "-")
    report("her sheet from the record (ur+en), saved", record, "ms", "-")


if __name__ == "__main__":
    main()
