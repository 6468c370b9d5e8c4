"""A broken questionnaire file stops start-up with a message naming the file."""

import shutil

from app.domain import questionnaire
from app.paths import resources_dir
from ui.app import check_resources


def test_shipped_files_pass():
    assert check_resources() is None


def test_a_broken_questionnaire_is_named(tmp_path, monkeypatch):
    copy = tmp_path / "resources"
    shutil.copytree(resources_dir(), copy)
    broken = copy / "questionnaires" / "BCST2-v1.json"
    broken.write_text(broken.read_text("utf-8").replace('"single"', '"singel"', 1), "utf-8")
    monkeypatch.setenv("RESETTLE_RESOURCES", str(copy))
    problem = check_resources()
    assert problem is not None and "BCST2-v1.json" in problem and "singel" in problem
    assert questionnaire.load("BCST1").kind == "BCST1"  # the good file still loads
