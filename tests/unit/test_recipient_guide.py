"""The printed guide for recipients of a bundle: one A4 page, the exact commands, the fingerprint.

Read back with poppler. Every example is fictional: made-up establishments and fingerprints.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.documents.recipient_guide import format_fingerprint, render_recipient_guide

ESTABLISHMENT = "HMP & YOI Testfield"
FINGERPRINT_HEX = hashlib.sha256(b"a fictional certificate").hexdigest()  # lower case, no colons
FINGERPRINT = ":".join(FINGERPRINT_HEX.upper()[i : i + 2] for i in range(0, 64, 2))
GENERATED_AT = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # BST: already 2 July in London
COMMANDS = [
    "unzip FILE.rsb -d bundle && cd bundle",
    "openssl cms -verify -binary -inform DER -in manifest.json.p7s \\ -content manifest.json "
    "-CAfile signer.pem -out /dev/null",
    "openssl x509 -in signer.pem -noout -fingerprint -sha256",
    "sha256sum -c SHA256SUMS",
    "sha256sum referral.json referral.pdf signer.pem SHA256SUMS",
    "openssl cms -decrypt -binary -inform DER -in FILE.rsb.p7m \\ -recip your-cert.pem "
    "-inkey your-key.pem -out FILE.rsb",
    "Expand-Archive FILE.rsb -DestinationPath bundle",
    "Copy-Item FILE.rsb FILE.zip",
    "Get-FileHash referral.json -Algorithm SHA256",
    "certutil -hashfile referral.pdf SHA256",
    "certutil -dump signer.pem",
    "Cert Hash(sha256)",
    "-CAfile team.pem",
    "resettle verify FILE.rsb --trust team.pem",
]


def _tool(name: str) -> str:
    tool = shutil.which(name)
    # .ci/run installs poppler-utils: a missing tool is a broken set-up, not a reason to skip.
    assert tool is not None, f"{name} is not installed (Debian: apt-get install poppler-utils)"
    return tool


def guide(tmp_path: Path, establishment: str = ESTABLISHMENT,
          fingerprint: str = FINGERPRINT_HEX) -> Path:  # fmt: skip
    data = render_recipient_guide(establishment=establishment, fingerprint=fingerprint,
                                  generated_at=GENERATED_AT)  # fmt: skip
    assert data.startswith(b"%PDF-")
    out = tmp_path / "guide.pdf"
    out.write_bytes(data)
    return out


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


def test_the_guide_is_one_page_with_every_command(tmp_path: Path) -> None:
    pdf = guide(tmp_path)
    assert page_count(pdf) == 1
    text = text_of(pdf)
    for command in COMMANDS:
        assert command in text, command
    assert "CMS Verification successful" in text
    assert "Every line must say OK" in text
    assert "do not open referral.pdf" in text
    assert "Phone the sending team on a number you already know" in text


def test_the_fingerprint_is_printed_in_pairs_with_the_establishment_and_date(
        tmp_path: Path) -> None:  # fmt: skip
    text = text_of(guide(tmp_path))
    assert f"{ESTABLISHMENT} \u2014 signing certificate, SHA-256 fingerprint" in text
    # Printed on two lines: the pairs read whole once the line break is taken out.
    assert FINGERPRINT in "".join(text.split())
    assert re.search(r"([0-9A-F]{2}:){15}[0-9A-F]{2}:", text)
    assert "Printed 02/07/2026" in text  # the London date, not UTC's 1 July


def test_the_guide_has_no_official_sensitive_marking(tmp_path: Path) -> None:
    assert "OFFICIAL-SENSITIVE" not in text_of(guide(tmp_path))


def test_a_long_or_non_latin_establishment_still_fits_one_page(tmp_path: Path) -> None:
    name = ("HMP & YOI Zedbury Grange Women's Resettlement Unit and Open Conditions Annexe, "
            "\u0141\u00f3d\u017a Wing, Nguy\u1ec5n House ") * 4  # fmt: skip
    pdf = guide(tmp_path, establishment=name)
    assert page_count(pdf) == 1
    text = text_of(pdf)
    assert "HMP & YOI Zedbury Grange" in text
    assert FINGERPRINT in "".join(text.split())


@pytest.mark.parametrize("given", [FINGERPRINT, FINGERPRINT_HEX, FINGERPRINT.lower(),
                                   " ".join(FINGERPRINT.split(":"))])  # fmt: skip
def test_fingerprints_are_read_in_any_usual_spelling(given: str) -> None:
    assert format_fingerprint(given) == FINGERPRINT


@pytest.mark.parametrize("given", ["", FINGERPRINT_HEX[:40], FINGERPRINT_HEX + "00",
                                   "zz" + FINGERPRINT_HEX[2:]])  # fmt: skip
def test_a_malformed_fingerprint_is_refused_not_printed(given: str) -> None:
    with pytest.raises(ValueError):
        render_recipient_guide(establishment=ESTABLISHMENT, fingerprint=given,
                               generated_at=GENERATED_AT)  # fmt: skip
