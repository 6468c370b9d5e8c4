"""Referrals and consent on a real encrypted database: gates, rules, history, the register."""

from datetime import timedelta

import pytest

from app.domain.referrals import ReferralDraft
from app.domain.timezone import today_london
from app.errors import PermissionDenied, ValidationFailed
from app.services import consent, people, referrals, screening, users, vault
from tests.conftest import make_draft
from tests.integration.test_screening_service import valid_answers

TODAY = today_london()
DTR = dict(type="DUTY_TO_REFER", council_code="E09000012", council_choice="LOCAL_CONNECTION",
           reference="FICT-42")


@pytest.fixture
def pid(workspace):
    return people.add_person(workspace, make_draft(release_date=TODAY + timedelta(days=40)))


def test_no_consent_no_submission(workspace, pid):
    draft = ReferralDraft(**DTR, status="SUBMITTED", submitted_on=TODAY)
    with pytest.raises(ValidationFailed) as refused:
        referrals.save(workspace, pid, draft)
    assert "consent" in " ".join(refused.value.errors.values()).lower()
    saved = referrals.save(workspace, pid, ReferralDraft(**DTR))  # a draft needs no consent
    consent.record(workspace, pid, scope="DUTY_TO_REFER", shared_with="Hackney (fictional)",
                   given_on=TODAY - timedelta(days=1), method="SIGNED_FORM")
    result = referrals.save(workspace, pid, draft, referral_id=saved.referral_id,
                            expected_version=saved.version)
    view = referrals.referrals_for(workspace, pid)[0]
    assert view.draft.status == "SUBMITTED" and view.consent_recorded
    assert view.expires_on == TODAY + timedelta(days=182)
    history = referrals.history(workspace, result.referral_id)
    assert [h.action for h in history] == ["updated", "created"]
    assert history[0].changes["status"] == ["DRAFT", "SUBMITTED"]


def test_submitted_before_consent_and_outcome_before_submission(workspace, pid):
    consent.record(workspace, pid, scope="ALL", shared_with="Council (fictional)",
                   given_on=TODAY, method="VERBAL")
    with pytest.raises(ValidationFailed) as early:
        referrals.save(workspace, pid, ReferralDraft(**DTR, status="SUBMITTED",
                                                     submitted_on=TODAY - timedelta(days=3)))
    assert "submitted_on" in early.value.errors
    with pytest.raises(ValidationFailed) as outcome:
        referrals.save(workspace, pid, ReferralDraft(
            **DTR, status="ACCEPTED", submitted_on=TODAY, outcome="PRIORITY_NEED",
            outcome_on=TODAY - timedelta(days=1)))
    assert "outcome_on" in outcome.value.errors


def test_council_must_be_in_the_list(workspace, pid):
    with pytest.raises(ValidationFailed) as refused:
        referrals.save(workspace, pid, ReferralDraft(**dict(DTR, council_code="X99999999")))
    assert "council_code" in refused.value.errors


def test_cas3_refused_for_remand_and_for_nrpf(workspace):
    remand = people.add_person(workspace, make_draft(prison_number="Z2000AA",
                                                     custody_status="REMAND", release_date=None))
    with pytest.raises(ValidationFailed) as refused:
        referrals.save(workspace, remand, ReferralDraft(type="CAS3"))
    assert "sentenced" in " ".join(refused.value.errors.values()).lower()
    nrpf = people.add_person(workspace, make_draft(prison_number="Z3000AA"))
    answers = dict(valid_answers("BCST1"), NO_RECOURSE_TO_PUBLIC_FUNDS="YES")
    screening.complete(workspace, nrpf, "BCST1", answers, None)
    with pytest.raises(ValidationFailed) as excluded:
        referrals.save(workspace, nrpf, ReferralDraft(type="CAS3"))
    assert "recourse" in " ".join(excluded.value.errors.values()).lower()


def test_cas3_before_dtr_and_crs_gets_a_prompt(workspace, pid):
    result = referrals.save(workspace, pid, ReferralDraft(type="CAS3"))
    assert any("duty to refer" in w.lower() for w in result.warnings)


def test_consent_exception_needs_an_administrator(workspace, data_dir, pid):
    users.add_user(workspace, "worker", "Fictional Worker", "resettlement_worker",
                   "temporary pass 1234")
    worker = vault.unlock(data_dir, "worker", "temporary pass 1234")
    try:
        with pytest.raises(PermissionDenied):
            referrals.save(worker, pid, ReferralDraft(**DTR, status="SUBMITTED",
                                                      submitted_on=TODAY),
                           consent_exception="Safeguarding: legal duty (fictional)")
    finally:
        worker.lock()
    result = referrals.save(workspace, pid, ReferralDraft(**DTR, status="SUBMITTED",
                                                          submitted_on=TODAY),
                            consent_exception="Safeguarding: legal duty (fictional)")
    view = referrals.referrals_for(workspace, pid)[0]
    assert view.consent_exception and not view.consent_recorded
    assert result.referral_id == view.id


def test_withdrawn_consent_and_register(workspace, pid):
    cid = consent.record(workspace, pid, scope="ALL", shared_with="Council (fictional)",
                         given_on=TODAY - timedelta(days=5), method="VERBAL")
    consent.withdraw(workspace, cid, TODAY - timedelta(days=2))
    with pytest.raises(ValidationFailed):
        referrals.save(workspace, pid, ReferralDraft(**DTR, status="SUBMITTED",
                                                     submitted_on=TODAY))
    referrals.save(workspace, pid, ReferralDraft(type="CRS", crs_service="WOMENS_SERVICES",
                                                 complexity="MEDIUM"))
    rows = referrals.register(workspace, "z1234ab")
    assert [(r.prison_number, r.draft.type, r.consent_recorded) for r in rows] == [
        ("Z1234AB", "CRS", False)]
    assert [c.withdrawn_on for c in consent.consents_for(workspace, pid)] == [
        TODAY - timedelta(days=2)]
