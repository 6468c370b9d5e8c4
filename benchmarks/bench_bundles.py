"""Signed bundles: exporting a referral (JSON, PDF, signature, verified write) and verifying it.

Run: `make bench` or `QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_bundles.py`
Targets (issue 7): export under 500 ms; verify under 200 ms. The team's key is made once
before timing (set-up does that), as it is in use.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from _common import median_ms, report


def main() -> None:
    from app.domain.referrals import ReferralDraft
    from app.services import bundles, consent, people, referrals, vault
    from tests.conftest import make_draft

    path = Path(tempfile.mkdtemp()) / "bundles"
    vault.initialise(path, "HMP Benchmark (fictional)", "admin", "benchmark passphrase 1")
    ws = vault.unlock(path, "admin", "benchmark passphrase 1")
    pid = people.add_person(ws, make_draft(release_date=date(2027, 3, 5)))
    consent.record(ws, pid, scope="ALL", shared_with="Fictional council", method="VERBAL",
                   given_on=date(2026, 11, 1))
    rid = referrals.save(ws, pid, ReferralDraft(type="DUTY_TO_REFER", council_code="E09000012",
                                                council_choice="LOCAL_CONNECTION")).referral_id
    bundles.ensure_identity(ws)
    out = Path(tempfile.mkdtemp())
    made: list[Path] = []
    export = median_ms(lambda: made.append(bundles.export_referral(ws, rid, out).path), 9)
    verify = median_ms(lambda: bundles.verify_file(made[-1]), 15)
    ws.lock()
    report("export a referral bundle (signed, written, read back)", export, "ms", "< 500")
    report("verify a bundle (signature, hashes, schema)", verify, "ms", "< 200")


if __name__ == "__main__":
    main()
