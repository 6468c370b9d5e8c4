"""Staff documents embed the bundled Noto Sans only: names keep their accents, and no PDF
depends on a font the printer's computer may lack."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime

from app.documents.recipient_guide import render_recipient_guide
from app.documents.referral_pdf import render_referral_pdf
from tests.unit.test_referral_pdf import payload


def _fonts(data: bytes, tmp_path) -> list[list[str]]:
    assert shutil.which("pdffonts"), "poppler-utils is needed (.ci/run installs it)"
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]


def test_referral_and_guide_embed_subset_noto_sans_only(tmp_path):
    now = datetime.now(UTC)
    person = {**payload()["person"], "given_names": "\u0141ucja \u015etefania",
              "family_name": "Nguy\u1ec5n"}  # fmt: skip
    for data in (render_referral_pdf(payload(person=person), bundle_id="b", created_at=now,
                                     created_by="Fictional Worker"),
                 render_recipient_guide(establishment="HMP Test", fingerprint="AB" * 32,
                                        generated_at=now)):  # fmt: skip
        rows = _fonts(data, tmp_path)
        assert rows
        for row in rows:
            assert row[0].split("+")[-1].startswith("NotoSans"), row
            assert (row[-5], row[-4]) == ("yes", "yes"), row
