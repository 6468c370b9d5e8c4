"""The BCST summary, from a real screening on a real encrypted database, parsed back."""

import shutil
import subprocess
from datetime import timedelta

import pytest

from app.domain.timezone import now_utc
from app.services import audit, people, screening, summary
from tests.conftest import make_draft
from tests.integration.test_screening_service import valid_answers

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="pdftotext (poppler-utils) is not installed")


def test_summary_lists_answers_and_needs_and_is_audited(workspace, tmp_path):
    pid = people.add_person(workspace, make_draft(reception_at=now_utc() - timedelta(hours=9),
                                                  custody_status="REMAND", release_date=None))
    state = screening.complete(workspace, pid, "BCST1", valid_answers("BCST1"), None)
    out = summary.write_bcst_summary(workspace, pid, tmp_path / "summary.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Induction screening summary" in text and "Z1234AB" in text
    assert "OFFICIAL-SENSITIVE" in text
    first = state.form.visible(state.answers)[0]
    assert first.text.split()[0] in text
    assert "release from court" in text.lower()  # the remand need
    assert [e.action for e in audit.entries(workspace, action="bcst_summary_printed")]
