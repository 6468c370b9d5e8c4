"""What a duty-to-refer bundle says about her: her accepted needs, her interpreter, in words.

Fault 1 of issue 12: needs were stored "accepted" but the bundle looked for "ACCEPTED", so
every bundle said "Support needs: None recorded"; `interpreter_needed` ignored BCST1; and the
preview showed codes (SY, ar, LOCAL_CONNECTION) to the person deciding whether it may leave.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from datetime import timedelta

import pytest

from app.domain.codes import NeedReview, Pathway
from app.domain.referrals import ReferralDraft
from app.domain.timezone import today_london
from app.services import bundles, consent, needs, people, referrals, screening
from tests.conftest import make_draft
from tests.integration.test_screening_service import valid_answers

DTR_PATHWAYS = {Pathway.ACCOMMODATION, Pathway.HEALTH, Pathway.CHILDREN_FAMILIES_AND_COMMUNITY}


@pytest.fixture
def her(workspace):
    """A Syrian woman who speaks Arabic; her record does not (yet) say she needs an
    interpreter, her BCST1 does; every need it proposed is accepted."""
    today = today_london()
    pid = people.add_person(workspace, make_draft(
        prison_number="Z6161AB", nationality="SY", first_language="ar",
        interpreter_needed=False, release_date=today + timedelta(days=70)))
    consent.record(workspace, pid, scope="ALL", shared_with="Fictional council housing",
                   given_on=today - timedelta(days=1), method="INTERPRETER")
    answers = valid_answers("BCST1") | {"NEEDS_INTERPRETER": "YES",
                                        "PREFERRED_LANGUAGE": "Syrian Arabic"}
    screening.complete(workspace, pid, "BCST1", answers, None)
    proposed = needs.needs_for(workspace, pid)
    for need in proposed:
        needs.accept(workspace, need.id)
    shared = [n for n in needs.needs_for(workspace, pid) if n.pathway in DTR_PATHWAYS]
    assert shared, "the fictional answers should propose a need a duty to refer shares"
    assert all(n.review == NeedReview.ACCEPTED for n in shared)
    saved = referrals.save(workspace, pid, ReferralDraft(
        type="DUTY_TO_REFER", council_code="E09000012", council_choice="LOCAL_CONNECTION"))
    return pid, saved.referral_id, shared


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("referral.json")), archive.read("referral.pdf")


def test_the_bundle_carries_her_accepted_needs(workspace, her, tmp_path):
    _pid, referral_id, shared = her
    exported = bundles.export_referral(workspace, referral_id, tmp_path)
    payload, pdf = _members(exported.path)
    assert {n["code"] for n in payload["needs"]} == {n.code for n in shared}
    assert all(n["status"] == "NOT_STARTED" for n in payload["needs"])
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed for this test"
    (tmp_path / "referral.pdf").write_bytes(pdf)
    text = subprocess.run([pdftotext, str(tmp_path / "referral.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "None recorded" not in text
    for need in shared:
        assert need.title.split()[0] in text


def test_a_declined_need_does_not_leave(workspace, her, tmp_path):
    _pid, referral_id, shared = her
    needs.decline(workspace, shared[0].id, "Fictional: she declined.")
    payload, _pdf = _members(bundles.export_referral(workspace, referral_id, tmp_path).path)
    assert shared[0].code not in {n["code"] for n in payload["needs"]}


def test_interpreter_needed_follows_bcst1_when_her_record_says_no(workspace, her, tmp_path):
    _pid, referral_id, _shared = her
    payload, _pdf = _members(bundles.export_referral(workspace, referral_id, tmp_path).path)
    assert payload["person"]["interpreter_needed"] is True
    rows = {(section, field): value for section, field, value
            in bundles.preview(workspace, referral_id)}
    assert rows[("About her", "Interpreter needed")] == "Yes"


def test_interpreter_needed_stays_no_when_neither_says_so(workspace, tmp_path):
    pid = people.add_person(workspace, make_draft(prison_number="Z6162AB"))
    consent.record(workspace, pid, scope="ALL", shared_with="Fictional council housing",
                   given_on=today_london(), method="VERBAL")
    answers = valid_answers("BCST1") | {"NEEDS_INTERPRETER": "NO"}
    answers.pop("PREFERRED_LANGUAGE", None)
    screening.complete(workspace, pid, "BCST1", answers, None)
    saved = referrals.save(workspace, pid, ReferralDraft(
        type="DUTY_TO_REFER", council_code="E09000012", council_choice="LOCAL_CONNECTION"))
    payload, _pdf = _members(bundles.export_referral(workspace, saved.referral_id,
                                                     tmp_path).path)
    assert payload["person"]["interpreter_needed"] is False


def test_the_preview_shows_words_not_codes(workspace, her):
    _pid, referral_id, shared = her
    rows = bundles.preview(workspace, referral_id)
    values = {(section, field): value for section, field, value in rows}
    assert values[("About her", "Nationality")] == "Syria"
    assert values[("About her", "First language")] == "Arabic"
    assert values[("About her", "Custody status")] == "Sentenced"
    assert values[("Details", "Why this council")] == "Local connection"
    assert values[("Referral", "Type")] == "Duty to refer"
    assert values[("Referral", "Status")] == "Draft"
    assert values[("Consent", "Scope")] == "Any housing or resettlement referral"
    assert values[("Consent", "Method")] == "Through an interpreter"
    need_rows = [value for section, _field, value in rows if section == "Support needs"]
    assert len(need_rows) == len(shared) and all("(Not started)" in v for v in need_rows)
    codes = {"SY", "ar", "LOCAL_CONNECTION", "DUTY_TO_REFER", "DRAFT", "SENTENCED", "ALL",
             "INTERPRETER", "NOT_STARTED"}
    for _section, field, value in rows:
        if "(code)" in field:
            continue  # the council's code is shown on purpose, beside its name
        assert value not in codes, (field, value)
        assert "NOT_STARTED" not in value and "LOCAL_CONNECTION" not in value
