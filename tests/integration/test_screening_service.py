"""Screening on a real encrypted database: drafts, completion, amendments, history, export."""

import json
import random
from datetime import timedelta

import pytest

from app.domain import questionnaire
from app.domain.timezone import now_utc
from app.errors import StaleRecord, UserError, ValidationFailed
from app.services import needs, people, screening
from app.services.demo import fictional_answers
from app.store.models import AuditEntry
from tests.conftest import make_draft


@pytest.fixture
def person_id(workspace):
    received = now_utc() - timedelta(hours=30)
    return people.add_person(workspace, make_draft(reception_at=received))


def valid_answers(kind, seed=3):
    return fictional_answers(questionnaire.load(kind), random.Random(seed))


def test_a_new_woman_has_nothing_started(workspace, person_id):
    states = screening.screenings_for(workspace, person_id)
    assert {k: s.status for k, s in states.items()} == {"BCST1": "NOT_STARTED",
                                                         "BCST2": "NOT_STARTED"}


def test_drafts_are_saved_as_she_goes_and_resumed(workspace, person_id):
    form = questionnaire.load("BCST1")
    first = form.questions()[0]
    answer = first.options[0].code if first.options else "Fictional"
    state = screening.save_draft(workspace, person_id, "BCST1", {first.id: answer}, None)
    assert state.status == "DRAFT" and state.row_version == 1
    again = screening.screenings_for(workspace, person_id)["BCST1"]
    assert again.answers == {first.id: answer}
    assert again.questionnaire_version == form.version


def test_a_stale_draft_is_refused(workspace, person_id):
    state = screening.save_draft(workspace, person_id, "BCST1", {}, None)
    screening.save_draft(workspace, person_id, "BCST1", {}, state.row_version)
    with pytest.raises(StaleRecord):
        screening.save_draft(workspace, person_id, "BCST1", {}, state.row_version)


def test_completion_checks_required_answers(workspace, person_id):
    with pytest.raises(ValidationFailed) as failed:
        screening.complete(workspace, person_id, "BCST1", {}, None)
    required = [q.id for q in questionnaire.load("BCST1").visible({}) if q.required]
    assert set(required) <= set(failed.value.errors)
    assert screening.screenings_for(workspace, person_id)["BCST1"].status == "NOT_STARTED"


def test_completion_before_reception_or_in_the_future_is_refused(workspace, person_id):
    answers = valid_answers("BCST1")
    record = people.get_person(workspace, person_id)
    with pytest.raises(ValidationFailed) as early:
        screening.complete(workspace, person_id, "BCST1", answers, None,
                           record.draft.reception_at - timedelta(minutes=1))
    assert "before her reception" in early.value.errors["completed_at"]
    with pytest.raises(ValidationFailed) as late:
        screening.complete(workspace, person_id, "BCST1", answers, None,
                           now_utc() + timedelta(hours=2))
    assert "in the future" in late.value.errors["completed_at"]


def test_complete_then_amend_keeps_the_old_answers_in_history(workspace, person_id):
    answers = valid_answers("BCST1")
    done = screening.complete(workspace, person_id, "BCST1", answers, None)
    assert done.status == "COMPLETED" and done.completed_by == "admin"
    with pytest.raises(UserError):
        screening.save_draft(workspace, person_id, "BCST1", answers, done.row_version)
    form = questionnaire.load("BCST1")
    single = next(q for q in form.visible(answers) if q.type == "single" and
                  len(q.options) > 1 and not any(
                      other.show_if and other.show_if.question == q.id
                      for other in form.questions()))
    other = next(o.code for o in single.options if o.code != answers.get(single.id))
    changed = dict(answers, **{single.id: other})
    amended = screening.amend(workspace, person_id, "BCST1", changed, done.row_version)
    assert amended.answers[single.id] == other
    history = screening.history(workspace, person_id, "BCST1")
    assert [h.action for h in history] == ["amended", "completed"]
    assert history[0].changes[single.id] == (answers.get(single.id), other)


def test_completion_proposes_needs_once(workspace, person_id):
    screening.complete(workspace, person_id, "BCST1", valid_answers("BCST1"), None)
    first = needs.needs_for(workspace, person_id)
    screening.complete(workspace, person_id, "BCST2", valid_answers("BCST2"), None)
    second = needs.needs_for(workspace, person_id)
    codes = [n.code for n in second]
    assert len(codes) == len(set(codes))
    assert {n.code for n in first} <= set(codes)
    assert all(n.review == "proposed" for n in second)


def test_skip_closes_a_screening_with_a_reason(workspace, person_id):
    state = screening.skip(workspace, person_id, "BCST1", "COMPLETED_IN_ANOTHER_PRISON", None)
    assert state.status == "SKIPPED" and state.completed_at is not None
    with pytest.raises(UserError):
        screening.skip(workspace, person_id, "BCST2", "BECAUSE", None)


def test_export_lists_completed_screenings_with_codes_and_is_audited(workspace, person_id):
    answers = valid_answers("BCST1")
    screening.complete(workspace, person_id, "BCST1", answers, None)
    screening.save_draft(workspace, person_id, "BCST2", {}, None)
    data = screening.export(workspace, person_id)
    assert data["prison_number"] == "Z1234AB"
    assert [s["kind"] for s in data["screenings"]] == ["BCST1"]
    assert data["screenings"][0]["answers"] == questionnaire.load("BCST1").clean(answers)
    with workspace.read() as session:
        actions = [e.action for e in session.query(AuditEntry).all()]
        details = " ".join(e.detail for e in session.query(AuditEntry).all())
    assert "screening_exported" in actions and "screening_completed" in actions
    assert "Testperson" not in details and json.dumps(answers)[:20] not in details
