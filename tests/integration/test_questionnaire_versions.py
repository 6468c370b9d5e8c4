"""A new version of a form never makes old answers unreadable."""

import json
import shutil

from app.domain import questionnaire
from app.paths import resources_dir
from app.services import people, screening
from tests.conftest import make_draft
from tests.integration.test_screening_service import valid_answers


def test_old_screenings_keep_their_version_and_new_ones_use_the_latest(
        workspace, tmp_path, monkeypatch):
    first = people.add_person(workspace, make_draft(prison_number="Z1000AA"))
    answers = valid_answers("BCST1")
    screening.complete(workspace, first, "BCST1", answers, None)

    copy = tmp_path / "resources"
    shutil.copytree(resources_dir(), copy)
    v1 = json.loads((copy / "questionnaires" / "BCST1-v1.json").read_text("utf-8"))
    v2 = dict(v1, version=2, title=v1["title"] + " (revised)")
    removed = v2["sections"][-1]["questions"].pop()  # a question retired in version 2
    (copy / "questionnaires" / "BCST1-v2.json").write_text(json.dumps(v2), "utf-8")
    monkeypatch.setenv("RESETTLE_RESOURCES", str(copy))

    old = screening.screenings_for(workspace, first)["BCST1"]
    assert old.questionnaire_version == 1 and old.form.version == 1
    assert old.form.question(removed["id"]).text == removed["text"]
    assert old.answers == questionnaire.load("BCST1", 1).clean(answers)

    second = people.add_person(workspace, make_draft(prison_number="Z2000AA"))
    fresh = screening.save_draft(workspace, second, "BCST1", {}, None)
    assert fresh.questionnaire_version == 2
    assert removed["id"] not in {q.id for q in fresh.form.questions()}
