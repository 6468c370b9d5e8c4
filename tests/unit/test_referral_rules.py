"""Referral rules: councils, consent gates, dates, outcomes, CAS3 eligibility, DTR expiry."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain.referrals import (
    COUNCIL_CHOICE,
    DTR_EXPIRY_DAYS,
    DTR_OUTCOMES,
    STATUSES,
    TYPE_LABELS,
    WITHDRAWAL_REASONS,
    ReferralContext,
    ReferralDraft,
    ReferralType,
    dtr_expired,
    dtr_expires_on,
    problems,
    warnings,
)

TODAY = date(2026, 3, 4)
CONSENT = date(2026, 2, 1)
HARTLEPOOL = "E06000001"

CTX = ReferralContext(
    custody_status="SENTENCED",
    nrpf=False,
    consent_given_on=CONSENT,
    consent_withdrawn_on=None,
    consent_exception=False,
    today=TODAY,
    has_dtr_submitted=True,
    has_crs_submitted=True,
)
DTR = ReferralDraft(
    type="DUTY_TO_REFER",
    status="SUBMITTED",
    council_code=HARTLEPOOL,
    council_choice="LOCAL_CONNECTION",
    submitted_on=date(2026, 2, 10),
)
CRS = ReferralDraft(type="CRS", status="DRAFT", crs_service="WOMENS_SERVICES", complexity="MEDIUM")
CAS3 = ReferralDraft(type="CAS3", status="DRAFT")


def test_vocabularies():
    assert set(TYPE_LABELS) == set(ReferralType)
    assert all(t.value == t.name for t in ReferralType)
    assert STATUSES[0] == "DRAFT"
    assert "PENDING" in DTR_OUTCOMES and "OTHER" in WITHDRAWAL_REASONS
    assert set(COUNCIL_CHOICE) == {"LOCAL_CONNECTION", "OTHER_COUNCIL"}


def test_valid_drafts_have_no_problems():
    assert problems(DTR, CTX) == {}
    assert problems(CRS, CTX) == {}
    assert problems(CAS3, CTX) == {}


def test_unknown_type_and_status():
    got = problems(ReferralDraft(type="HOUSE", status="SENT"), CTX)
    assert set(got) == {"type", "status"}


def test_dtr_council_must_be_from_the_list():
    got = problems(replace(DTR, council_code="X99999999"), CTX)
    assert got == {"council_code": "Choose a council from the list of England and Wales."}


def test_dtr_council_choice_required_and_other_council_needs_a_reason():
    assert set(problems(replace(DTR, council_choice=""), CTX)) == {"council_choice"}
    other = replace(DTR, council_choice="OTHER_COUNCIL")
    assert set(problems(other, CTX)) == {"other_council_reason"}
    assert problems(replace(other, other_council_reason="Fleeing domestic abuse"), CTX) == {}


def test_future_submission_refused():
    got = problems(replace(DTR, submitted_on=TODAY + timedelta(days=1)), CTX)
    assert "future" in got["submitted_on"]
    assert problems(replace(DTR, submitted_on=TODAY), CTX) == {}


def test_submitted_needs_a_submission_date():
    assert set(problems(replace(DTR, submitted_on=None), CTX)) == {"submitted_on"}
    assert problems(replace(DTR, status="DRAFT", submitted_on=None), CTX) == {}


def test_no_consent_refuses_submission():
    ctx = replace(CTX, consent_given_on=None)
    assert problems(DTR, ctx) == {"consent": "Record her consent before marking this submitted."}
    assert problems(replace(DTR, status="DRAFT", submitted_on=None), ctx) == {}


def test_consent_exception_allows_submission_without_consent():
    ctx = replace(CTX, consent_given_on=None, consent_exception=True)
    assert problems(DTR, ctx) == {}


def test_submitted_before_consent_refused():
    got = problems(replace(DTR, submitted_on=CONSENT - timedelta(days=1)), CTX)
    assert "submitted before consent" in got["submitted_on"]
    assert problems(replace(DTR, submitted_on=CONSENT), CTX) == {}


def test_consent_withdrawn_before_submission_refused():
    ctx = replace(CTX, consent_withdrawn_on=date(2026, 2, 5))
    got = problems(DTR, ctx)
    assert set(got) == {"consent"}
    assert "withdrawn" in got["consent"]


def test_consent_withdrawn_after_submission_or_given_again_is_fine():
    assert problems(DTR, replace(CTX, consent_withdrawn_on=date(2026, 2, 20))) == {}
    again = replace(CTX, consent_withdrawn_on=date(2026, 1, 10))
    assert problems(DTR, again) == {}


def test_outcome_before_submission_refused():
    draft = replace(DTR, status="ACCEPTED", outcome="PRIORITY_NEED", outcome_on=date(2026, 2, 9))
    assert set(problems(draft, CTX)) == {"outcome_on"}
    assert problems(replace(draft, outcome_on=date(2026, 2, 10)), CTX) == {}


def test_outcome_in_the_future_refused():
    draft = replace(DTR, status="ACCEPTED", outcome="PRIORITY_NEED", outcome_on=TODAY)
    assert problems(draft, CTX) == {}
    assert (
        "future"
        in problems(replace(draft, outcome_on=TODAY + timedelta(days=1)), CTX)["outcome_on"]
    )


def test_decided_dtr_needs_an_outcome_and_not_accepted_cannot_be_pending():
    assert set(problems(replace(DTR, status="ACCEPTED"), CTX)) == {"outcome"}
    assert set(problems(replace(DTR, status="ACCEPTED", outcome="MAYBE"), CTX)) == {"outcome"}
    not_accepted = replace(DTR, status="NOT_ACCEPTED", outcome="PENDING")
    assert set(problems(not_accepted, CTX)) == {"outcome"}
    assert problems(replace(not_accepted, outcome="NO_LOCAL_CONNECTION"), CTX) == {}


def test_withdrawn_needs_a_reason():
    withdrawn = replace(DTR, status="WITHDRAWN")
    assert set(problems(withdrawn, CTX)) == {"withdrawal_reason"}
    assert problems(replace(withdrawn, withdrawal_reason="DISENGAGED"), CTX) == {}


@pytest.mark.parametrize("status", ["REMAND", "CONVICTED_UNSENTENCED"])
def test_cas3_refused_for_remand_and_unsentenced(status):
    got = problems(CAS3, replace(CTX, custody_status=status))
    assert got["type"].startswith("CAS3 is for sentenced women only, not remand")


@pytest.mark.parametrize("status", ["SENTENCED", "RECALL"])
def test_cas3_allowed_for_sentenced(status):
    assert problems(CAS3, replace(CTX, custody_status=status)) == {}


def test_cas3_refused_for_no_recourse_to_public_funds():
    got = problems(CAS3, replace(CTX, nrpf=True))
    assert got == {"nrpf": "CAS3 guidance excludes women with no recourse to public funds."}
    assert problems(DTR, replace(CTX, nrpf=True)) == {}


def test_cas3_warns_until_dtr_and_crs_are_submitted():
    assert warnings(CAS3, CTX) == []
    for ctx in (replace(CTX, has_dtr_submitted=False), replace(CTX, has_crs_submitted=False)):
        assert any(
            "Submit the duty to refer and the CRS referral before CAS3" in w
            for w in warnings(CAS3, ctx)
        )
    assert warnings(CRS, replace(CTX, has_crs_submitted=False)) == []


def test_crs_needs_service_and_complexity():
    got = problems(replace(CRS, crs_service="", complexity="EXTREME"), CTX)
    assert set(got) == {"crs_service", "complexity"}


def test_dtr_expires_after_26_weeks():
    submitted = date(2026, 1, 5)
    assert DTR_EXPIRY_DAYS == 26 * 7
    assert dtr_expires_on(submitted) == date(2026, 7, 6)
    assert not dtr_expired(submitted, date(2026, 7, 5))
    assert dtr_expired(submitted, date(2026, 7, 6))


def test_expired_dtr_is_warned_about():
    draft = replace(DTR, submitted_on=date(2025, 9, 1))
    ctx = replace(CTX, consent_given_on=date(2025, 8, 1))
    assert any("expired" in w for w in warnings(draft, ctx))
    assert warnings(DTR, CTX) == []


def test_consent_withdrawn_on_the_submission_day_is_not_before_it():
    assert problems(DTR, replace(CTX, consent_withdrawn_on=DTR.submitted_on)) == {}
    earlier = replace(CTX, consent_withdrawn_on=DTR.submitted_on - timedelta(days=1))
    assert set(problems(DTR, earlier)) == {"consent"}
