"""referral.pdf, the readable copy of referral.json in a signed bundle, read back with poppler.

Every sample payload is checked against resources/schemas/referral-v1.schema.json first, so the
PDF is tested on documents a real bundle could carry. Every example is fictional: prison
numbers starting with Z and made-up names and places only.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from app.documents.referral_pdf import render_referral_pdf

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
SCHEMA_PATH = RESOURCES / "schemas" / "referral-v1.schema.json"
ESTABLISHMENT = "HMP & YOI Testfield"
BUNDLE_ID = "3f0c6d2e-1b4a-4c8e-9d7f-0a1b2c3d4e5f"
MADE = {
    "bundle_id": BUNDLE_ID,
    "created_at": datetime(2026, 7, 1, 13, 5, tzinfo=UTC),  # BST: 14:05 in London
    "created_by": "Sam Printwell",
}

PERSON = {
    "prison_number": "Z1234AB",
    "family_name": "Example",
    "given_names": "Zara Jane",
    "date_of_birth": "1990-04-05",
    "nationality": "GB",
    "first_language": "pl",
    "interpreter_needed": True,
    "custody_status": "SENTENCED",
    "release_date": "2026-08-14",
    "release_time": "09:30",
    "release_type": "CRD_LICENCE",
    "home_council_code": "E06000001",
    "home_council_name": "Hartlepool",
}
# The person fields each type shares (app/bundles/payload.py).
PERSON_FIELDS = {
    "DUTY_TO_REFER": ("prison_number", "family_name", "given_names", "date_of_birth",
                      "nationality", "first_language", "interpreter_needed", "custody_status",
                      "release_date", "release_time", "home_council_code", "home_council_name"),
    "CRS": ("prison_number", "family_name", "given_names", "date_of_birth", "first_language",
            "interpreter_needed", "custody_status", "release_date", "release_type"),
    "CAS3": ("prison_number", "family_name", "given_names", "date_of_birth", "custody_status",
             "release_date", "release_type", "home_council_code", "home_council_name"),
    "SUPPORTED_HOUSING": ("prison_number", "family_name", "given_names", "date_of_birth",
                          "first_language", "interpreter_needed", "release_date",
                          "home_council_code", "home_council_name"),
    "OTHER": ("prison_number", "family_name", "given_names", "date_of_birth", "release_date"),
}  # fmt: skip
DETAILS: dict[str, dict[str, Any]] = {
    "DUTY_TO_REFER": {
        "council_code": "E06000002",
        "council_name": "",
        "council_choice": "OTHER_COUNCIL",
        "other_council_reason": "Her sister lives in Testtown and can support her",
        "accommodation_before": "FAMILY_OR_FRIENDS",
        "accommodation_after": "DOES_NOT_HAVE_ANYWHERE",
        "parental_responsibility": "YES",
    },
    "CRS": {
        "service_category": "WOMENS_SERVICES",
        "complexity": "HIGH",
        "desired_outcomes": "Keeps her appointments\nBuilds a support network in Testtown",
        "releasing_within_12_weeks": False,
    },
    "CAS3": {"sentenced": True, "releasing_within_12_weeks": None},
    "SUPPORTED_HOUSING": {"provider": "Testtown Women's Housing Trust"},
    "OTHER": {"provider": "Fictional Futures Project"},
}
# What each type's details must print (collapsed whitespace, in this order).
DETAIL_TEXT = {
    "DUTY_TO_REFER": [
        "Council Middlesbrough (E06000002)",
        "Why this council Another council",
        "Reason for choosing another council Her sister lives in Testtown and can support her",
        "Where she lived before custody With family or friends",
        "Where she expects to live on release She does not have anywhere to live",
        "Parental responsibility for children under 16 Yes",
    ],
    "CRS": [
        "Service category Women's services",
        "Complexity High",
        "Desired outcomes Keeps her appointments Builds a support network in Testtown",
        "Due for release within 12 weeks No",
    ],
    "CAS3": ["Sentenced Yes", "Due for release within 12 weeks Not known"],
    "SUPPORTED_HOUSING": ["Provider Testtown Women's Housing Trust"],
    "OTHER": ["Provider Fictional Futures Project"],
}
TITLES = {
    "DUTY_TO_REFER": "Duty to refer \u2014 referral",
    "CRS": "CRS referral",
    "CAS3": "CAS3 (transitional accommodation) \u2014 referral",
    "SUPPORTED_HOUSING": "Supported housing \u2014 referral",
    "OTHER": "Referral",
}
TYPE_LABELS = {
    "DUTY_TO_REFER": "Duty to refer",
    "CRS": "CRS referral",
    "CAS3": "CAS3 (transitional accommodation)",
    "SUPPORTED_HOUSING": "Supported housing",
    "OTHER": "Other",
}
NEEDS = [
    {"code": "ACC_NO_ADDRESS", "title": "No address on release", "pathway": "ACCOMMODATION",
     "status": "IN_PROGRESS"},
    {"code": "HEALTH_GP", "title": "Register with a GP", "pathway": "HEALTH",
     "status": "NOT_STARTED"},
]  # fmt: skip


def payload(kind: str = "DUTY_TO_REFER", **changes: Any) -> dict[str, Any]:
    """A fictional referral.json of `kind`, with top-level parts replaced by `changes`."""
    document: dict[str, Any] = {
        "schema_version": 1,
        "referral": {"local_id": "ref-0001", "type": kind, "status": "SUBMITTED",
                     "reference": "TST/2026/0042", "submitted_on": "2026-06-30"},
        "person": {k: PERSON[k] for k in PERSON_FIELDS[kind]},
        "consent": {"given_on": "2026-06-29", "scope": "Housing and support needs",
                    "shared_with": "Testtown housing options team", "method": "SIGNED_FORM"},
        "details": copy.deepcopy(DETAILS[kind]),
        "needs": copy.deepcopy(NEEDS),
        "notes": "Prefers a ground-floor flat.\nCall before 4pm.",
        "referrer": {"name": "Sam Printwell", "role": "housing_specialist",
                     "establishment": ESTABLISHMENT},
    }  # fmt: skip
    document.update(changes)
    return document


def assert_valid(document: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(document)]
    assert not errors, errors


def _tool(name: str) -> str:
    tool = shutil.which(name)
    # .ci/run installs poppler-utils: a missing tool is a broken set-up, not a reason to skip.
    assert tool is not None, f"{name} is not installed (Debian: apt-get install poppler-utils)"
    return tool


def render(tmp_path: Path, document: dict[str, Any]) -> Path:
    assert_valid(document)
    data = render_referral_pdf(document, **MADE)
    assert data.startswith(b"%PDF-")
    out = tmp_path / "referral.pdf"
    out.write_bytes(data)
    return out


def text_of(pdf: Path, page: int | None = None) -> str:
    """The text, whitespace collapsed so wrapped lines read as one.

    The whole document is read in drawing order (-raw), which keeps table rows together; one
    page is read with -layout, which keeps the header's "Prison number" before the number
    (the furniture draws the number first).
    """
    mode = ["-layout", "-f", str(page), "-l", str(page)] if page else ["-raw"]
    result = subprocess.run([_tool("pdftotext"), *mode, "-enc", "UTF-8", str(pdf), "-"],
                            check=True, capture_output=True, text=True)  # fmt: skip
    return " ".join(result.stdout.split())


def page_count(pdf: Path) -> int:
    result = subprocess.run([_tool("pdfinfo"), str(pdf)], check=True, capture_output=True,
                            text=True)  # fmt: skip
    match = re.search(r"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
    assert match, result.stdout
    return int(match[1])


@pytest.mark.parametrize("kind", sorted(PERSON_FIELDS))
def test_every_sample_payload_is_valid_referral_json(kind: str) -> None:
    assert_valid(payload(kind))


def test_duty_to_refer_shows_every_section_in_plain_words(tmp_path: Path) -> None:
    text = text_of(render(tmp_path, payload("DUTY_TO_REFER")))
    expected = [
        "OFFICIAL-SENSITIVE",
        ESTABLISHMENT,
        "Prison number Z1234AB",
        "Duty to refer \u2014 referral",
        "Referral Type Duty to refer Status Submitted Reference TST/2026/0042 "
        "Submitted on 30/06/2026",
        "About her Given names Zara Jane Family name Example Prison number Z1234AB "
        "Date of birth 05/04/1990 Nationality United Kingdom First language Polish "
        "Needs an interpreter Yes Custody status Sentenced Release date 14/08/2026 "
        "Release time 09:30 Home council Hartlepool (E06000001)",
        "Consent Given on 29/06/2026 What she agreed to share Housing and support needs "
        "Shared with Testtown housing options team How it was given Signed form",
        "Support needs Pathway Need Status Accommodation No address on release In progress "
        "Health Register with a GP Not started",
        "Notes Prefers a ground-floor flat. Call before 4pm.",
        "Referrer Name Sam Printwell Role Housing specialist Establishment " + ESTABLISHMENT,
        f"Bundle {BUNDLE_ID} \u00b7 made 01/07/2026 14:05 by Sam Printwell",
    ]
    for fragment in expected:
        assert fragment in text, fragment
    for fragment in DETAIL_TEXT["DUTY_TO_REFER"]:
        assert fragment in text, fragment
    assert "Release type" not in text  # not in the duty to refer's field set


@pytest.mark.parametrize("kind", sorted(DETAILS))
def test_each_type_shows_its_own_title_fields_and_details(tmp_path: Path, kind: str) -> None:
    text = text_of(render(tmp_path, payload(kind)))
    assert text.count(TITLES[kind]) >= 1
    assert f"Type {TYPE_LABELS[kind]} Status Submitted" in text
    assert "Prison number Z1234AB" in text
    details = text[text.index("Details "):text.index("Support needs ")]
    for fragment in DETAIL_TEXT[kind]:
        assert fragment in details, fragment
    shown = {"nationality": "Nationality", "release_type": "Release type",
             "home_council_code": "Home council", "interpreter_needed": "Needs an interpreter",
             "custody_status": "Custody status"}  # fmt: skip
    about = text[text.index("About her "):text.index("Consent ")]
    for key, label in shown.items():
        assert (label in about) == (key in PERSON_FIELDS[kind]), (kind, label)


def test_a_release_date_that_is_not_known_says_so(tmp_path: Path) -> None:
    person = {**payload()["person"], "release_date": None, "release_time": None}
    text = text_of(render(tmp_path, payload(person=person)))
    assert "Release date Not known" in text
    assert "Release time Not known" in text


def test_names_keep_every_accent_and_other_scripts_do_not_stop_the_referral(tmp_path: Path) -> None:
    person = {**payload()["person"], "given_names": "Zo\u00eb", "family_name":
              "\u0141ukasz-\u00d1\u00fa\u00f1ez"}  # fmt: skip
    referrer = {**payload()["referrer"], "name": "Nguy\u1ec5n Th\u1ecb Test"}
    notes = ("Her friend Nguy\u1ec5n will meet her \u263a \u4e2d\u6587 "
             "\u0645\u0631\u062d\u0628\u0627")
    document = payload(person=person, referrer=referrer, notes=notes)
    text = text_of(render(tmp_path, document))
    assert "Given names Zo\u00eb Family name \u0141ukasz-\u00d1\u00fa\u00f1ez" in text
    assert "Nguy\u1ec5n Th\u1ecb Test" in text
    assert "Her friend Nguy\u1ec5n will meet her" in text


def test_no_support_needs_says_none_recorded(tmp_path: Path) -> None:
    text = text_of(render(tmp_path, payload(needs=[])))
    assert "Support needs None recorded Notes" in text


def test_codes_it_does_not_know_are_printed_as_sent(tmp_path: Path) -> None:
    details = {**DETAILS["DUTY_TO_REFER"], "accommodation_before": "A_NEWER_CODE",
               "council_code": "E99999999", "council_name": ""}  # fmt: skip
    text = text_of(render(tmp_path, payload(details=details)))
    assert "Where she lived before custody A_NEWER_CODE" in text
    assert "Council E99999999" in text


def test_every_page_carries_the_establishment_and_prison_number(tmp_path: Path) -> None:
    notes = "\n".join(f"Note line {n}: she asked for the letter to be read to her." for n in
                      range(120))  # fmt: skip
    pdf = render(tmp_path, payload(notes=notes))
    pages = page_count(pdf)
    assert pages >= 2
    for page in range(1, pages + 1):
        text = text_of(pdf, page)
        assert ESTABLISHMENT in text
        assert "Prison number Z1234AB" in text
        assert f"Page {page} of {pages}" in text
        assert "OFFICIAL-SENSITIVE" in text
    assert "Note line 119" in text_of(pdf)
