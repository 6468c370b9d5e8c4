"""BCST1 and BCST2 as data: the shipped files, visibility, cleaning, checks and versions."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.domain import needs_rules, questionnaire
from app.domain.questionnaire import (
    Condition,
    Option,
    Question,
    Questionnaire,
    QuestionnaireError,
    Section,
)

SHIPPED = Path(__file__).resolve().parents[2] / "resources"
YES_NO = ["YES", "NO", "NO_ANSWER"]

HMPPS_BCST2 = {
    "WHERE_DID_THEY_LIVE": [
        "PRIVATE_RENTED_HOUSING", "PRIVATE_HOUSING_OWNED", "FAMILY_OR_FRIENDS", "SOCIAL_HOUSING",
        "LOCAL_AUTHORITY_OR_SUPPORTED_HOUSING", "HOSTEL", "EMERGENCY_HOUSING",
        "APPROVED_PREMISES", "IMMIGRATION_ACCOMMODATION", "NO_PERMANENT_OR_FIXED", "NO_ANSWER",
    ],
    "WHERE_WILL_THEY_LIVE": [
        "RETURN_TO_PREVIOUS_ADDRESS", "MOVE_TO_NEW_ADDRESS", "DOES_NOT_HAVE_ANYWHERE", "NO_ANSWER",
    ],
    "HELP_TO_MANAGE_ANGER": YES_NO,
    "ISSUES_WITH_GAMBLING": YES_NO,
    "PARTNER_OR_SPOUSE": YES_NO,
    "PARENTAL_RESPONSIBILITY": YES_NO,
    "CARING_RESPONSIBILITIES_FOR_ADULTS": YES_NO,
    "RECEIVED_SUPPORT_FROM_SOCIAL_SERVICES": YES_NO,
    "DO_THEY_HAVE_SUPPORT_FROM_FAMILY_FRIENDS_COMMUNITY": YES_NO,
    "INVOLVEMENT_IN_GANG_ACTIVITY": YES_NO,
    "UNDER_THREAT_OUTSIDE_PRISON": YES_NO,
    "VICTIM_OF_DOMESTIC_ABUSE": YES_NO,
    "PERPETRATOR_OF_DOMESTIC_ABUSE": YES_NO,
    "VICTIM_OF_SEXUAL_ABUSE": YES_NO,
    "PERPETRATOR_OF_SEXUAL_ABUSE": YES_NO,
    "WORKED_IN_SEX_INDUSTRY": YES_NO,
    "DRUG_MISUSE_ISSUES": YES_NO,
    "ALCOHOL_MISUSE_ISSUES": YES_NO,
    "DID_THEY_HAVE_JOB_BEFORE_CUSTODY": YES_NO,
    "DO_THEY_HAVE_JOB_ARRANGED": [
        "YES_RETURNING_TO_SAME_JOB", "YES_STARTING_NEW_JOB", "NO", "NO_ANSWER",
    ],
    "WERE_THEY_IN_EDUCATION_BEFORE_CUSTODY": YES_NO,
    "EDUCATION_WHEN_RELEASED": [
        "YES_SAME_EDUCATION", "YES_STARTING_NEW_EDUCATION", "NO", "NO_ANSWER",
    ],
    "HAS_BANK_ACCOUNT": YES_NO,
    "WHAT_ID_DOCUMENTS": [
        "BIRTH_CERTIFICATE", "PASSPORT", "DRIVING_LICENCE", "MARRIAGE_CERTIFICATE",
        "DIVORCE_CERTIFICATE", "BIOMETRIC_RESIDENCE_PERMIT", "DEED_POLL_CERTIFICATE",
        "CITIZEN_CARD", "NO_ID_DOCUMENTS", "NO_ANSWER",
    ],
    "SELECT_BENEFITS": [
        "ESA", "HOUSING_BENEFIT", "UNIVERSAL_CREDIT_HOUSING_ELEMENT", "UNIVERSAL_CREDIT", "PIP",
        "STATE_PENSION", "NO_BENEFITS", "NO_ANSWER",
    ],
    "DEBTS_OR_ARREARS": YES_NO,
    "REGISTERED_WITH_GP": YES_NO,
    "NEEDS_HELP_WITH_DAY_TO_DAY_LIVING": YES_NO,
}  # fmt: skip

OUR_QUESTIONS = {
    "TENANCY_TO_KEEP_OR_END", "RENT_OR_MORTGAGE_ARREARS", "PRIMARY_CARER_OF_CHILDREN",
    "CHILDREN_CURRENT_CARE", "NEEDS_TO_RELOCATE_OTHER_COUNCIL", "NEEDS_WOMEN_ONLY_ACCOMMODATION",
    "SEXUAL_EXPLOITATION", "NO_RECOURSE_TO_PUBLIC_FUNDS", "IMMIGRATION_STATUS",
    "RISK_OF_IMMIGRATION_DETENTION", "TRAFFICKING_CONCERN", "NEEDS_INTERPRETER",
    "PREFERRED_LANGUAGE", "CURRENT_MEDICATION", "HIDDEN_HOMELESSNESS",
}  # fmt: skip


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    questionnaire._read.cache_clear()
    needs_rules._load.cache_clear()
    yield
    questionnaire._read.cache_clear()
    needs_rules._load.cache_clear()


@pytest.fixture
def resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped questionnaires and rules that a test may break."""
    root = tmp_path / "resources"
    for name in ("questionnaires", "rules"):
        shutil.copytree(SHIPPED / name, root / name)
    monkeypatch.setenv("RESETTLE_RESOURCES", str(root))
    return root


def read_form(resources: Path, name: str) -> dict[str, Any]:
    return json.loads((resources / "questionnaires" / name).read_text(encoding="utf-8"))


def write_form(resources: Path, name: str, data: dict[str, Any]) -> None:
    (resources / "questionnaires" / name).write_text(json.dumps(data), encoding="utf-8")


def find(data: dict[str, Any], qid: str) -> dict[str, Any]:
    for section in data["sections"]:
        for q in section["questions"]:
            if q["id"] == qid:
                return q
    raise KeyError(qid)


# The shipped forms ---------------------------------------------------------------------------


def test_the_shipped_forms_validate_and_are_the_expected_size():
    forms = {(f.kind, f.version): f for f in questionnaire.validate_all()}
    assert set(forms) == {("BCST1", 1), ("BCST2", 1)}
    assert 12 <= len(forms["BCST1", 1].questions()) <= 18
    assert 30 <= len(forms["BCST2", 1].questions()) <= 40
    assert questionnaire.load("BCST1") is forms["BCST1", 1]
    assert questionnaire.available_versions("BCST2") == [1]


def test_bcst2_uses_the_hmpps_ids_and_codes_exactly():
    form = questionnaire.load("BCST2")
    for qid, codes in HMPPS_BCST2.items():
        assert [o.code for o in form.question(qid).options] == codes, qid
    pathways = {s.pathway for s in form.sections}
    assert pathways == set(questionnaire.PATHWAYS)


@pytest.mark.parametrize("qid", ["WHAT_ID_DOCUMENTS", "SELECT_BENEFITS"])
def test_none_and_no_answer_are_exclusive_in_the_hmpps_multi_questions(qid):
    q = questionnaire.load("BCST2").question(qid)
    assert q.type == "multi"
    exclusive = {o.code for o in q.options if o.exclusive}
    assert exclusive == {
        "NO_ANSWER",
        "NO_ID_DOCUMENTS" if qid == "WHAT_ID_DOCUMENTS" else "NO_BENEFITS",
    }


def test_bcst1_asks_the_reception_essentials():
    ids = {q.id for q in questionnaire.load("BCST1").questions()}
    assert {
        "WHERE_DID_THEY_LIVE", "TENANCY_TO_KEEP_OR_END", "RENT_OR_MORTGAGE_ARREARS",
        "WHERE_WILL_THEY_LIVE", "PARENTAL_RESPONSIBILITY", "CHILDREN_CURRENT_CARE",
        "VICTIM_OF_DOMESTIC_ABUSE", "NEEDS_TO_RELOCATE_OTHER_COUNCIL", "CURRENT_MEDICATION",
        "NEEDS_INTERPRETER", "PREFERRED_LANGUAGE", "NO_RECOURSE_TO_PUBLIC_FUNDS",
        "WHAT_ID_DOCUMENTS", "HAS_BANK_ACCOUNT",
    } <= ids  # fmt: skip


def test_our_own_questions_are_in_a_form_and_shared_ones_mean_the_same():
    one, two = questionnaire.load("BCST1"), questionnaire.load("BCST2")
    by_id = {q.id: q for q in one.questions()}
    all_ids = set(by_id) | {q.id for q in two.questions()}
    assert OUR_QUESTIONS <= all_ids
    shared = [q for q in two.questions() if q.id in by_id]
    assert len(shared) >= 8
    for q in shared:
        first = by_id[q.id]
        assert (q.text, q.type, q.options) == (first.text, first.type, first.options), q.id


def test_shipped_questions_are_plain_and_follow_ups_are_optional_to_show():
    for form in questionnaire.validate_all():
        for q in form.questions():
            assert q.text.endswith("?"), q.id
            assert " they " not in f" {q.text} ", q.id  # she/her, not the HMPPS "they"
            if q.type == "single" and q.show_if is None:
                assert q.required, q.id


# Visibility, cleaning, checks ----------------------------------------------------------------


def test_follow_ups_show_only_after_the_answers_they_follow():
    form = questionnaire.load("BCST1")
    address = form.question("PREVIOUS_ADDRESS")
    arrears = form.question("RENT_OR_MORTGAGE_ARREARS")
    assert not form.is_visible(address, {})
    assert form.is_visible(address, {"WHERE_DID_THEY_LIVE": "SOCIAL_HOUSING"})
    assert not form.is_visible(address, {"WHERE_DID_THEY_LIVE": "NO_PERMANENT_OR_FIXED"})

    renting = {"WHERE_DID_THEY_LIVE": "PRIVATE_RENTED_HOUSING", "TENANCY_TO_KEEP_OR_END": "END"}
    assert form.is_visible(arrears, renting)
    # A stale answer under a hidden parent does not show the grandchild.
    assert not form.is_visible(arrears, {**renting, "WHERE_DID_THEY_LIVE": "HOSTEL"})
    visible = [q.id for q in form.visible(renting)]
    assert visible.index("TENANCY_TO_KEEP_OR_END") < visible.index("RENT_OR_MORTGAGE_ARREARS")
    assert "PREFERRED_LANGUAGE" not in visible


def test_multi_answers_show_follow_ups_when_any_code_matches():
    condition = Condition("CHILDREN_CURRENT_CARE", ("LOCAL_AUTHORITY_CARE",))
    assert condition.holds({"CHILDREN_CURRENT_CARE": ["OTHER_PARENT", "LOCAL_AUTHORITY_CARE"]})
    assert not condition.holds({"CHILDREN_CURRENT_CARE": ["OTHER_PARENT"]})
    assert not condition.holds({})


def test_clean_drops_hidden_unknown_and_empty_answers():
    form = questionnaire.load("BCST1")
    answers = {
        "WHERE_DID_THEY_LIVE": "HOSTEL",
        "TENANCY_TO_KEEP_OR_END": "KEEP",  # hidden: a hostel is not her tenancy
        "PREVIOUS_ADDRESS": "  1 Example Road\nTesttown  ",
        "NOT_A_QUESTION": "YES",
        "NEEDS_INTERPRETER": "NO",
        "PREFERRED_LANGUAGE": "Polish",  # hidden: no interpreter needed
        "WHAT_ID_DOCUMENTS": [],
        "HAS_BANK_ACCOUNT": "   ",
        "VICTIM_OF_DOMESTIC_ABUSE": "",
    }
    assert form.clean(answers) == {
        "NEEDS_INTERPRETER": "NO",
        "WHERE_DID_THEY_LIVE": "HOSTEL",
        "PREVIOUS_ADDRESS": "1 Example Road\nTesttown",
    }
    assert list(form.clean(answers)) == [
        "NEEDS_INTERPRETER",
        "WHERE_DID_THEY_LIVE",
        "PREVIOUS_ADDRESS",
    ]


def test_required_questions_are_checked_only_on_completion():
    form = questionnaire.load("BCST1")
    assert form.problems({}, complete=False) == {}
    missing = form.problems({}, complete=True)
    assert missing["WHERE_DID_THEY_LIVE"] == "Answer this question."
    assert "PREVIOUS_ADDRESS" not in missing  # hidden, and optional anyway
    assert "TENANCY_TO_KEEP_OR_END" not in missing  # hidden follow-up


def test_a_follow_up_is_required_only_when_shown():
    form = questionnaire.load("BCST1")
    base = complete_bcst1()
    assert form.problems(base, complete=True) == {}
    renting = {**base, "WHERE_DID_THEY_LIVE": "PRIVATE_RENTED_HOUSING"}
    assert form.problems(renting, complete=True) == {
        "TENANCY_TO_KEEP_OR_END": "Answer this question."
    }
    assert form.problems(renting, complete=False) == {}
    renting["TENANCY_TO_KEEP_OR_END"] = "NOT_IN_HER_NAME"
    assert form.problems(renting, complete=True) == {}
    renting["TENANCY_TO_KEEP_OR_END"] = "KEEP"
    assert form.problems(renting, complete=True) == {
        "RENT_OR_MORTGAGE_ARREARS": "Answer this question."
    }


def complete_bcst1() -> dict[str, questionnaire.Answer]:
    return {
        "NEEDS_INTERPRETER": "NO",
        "WHERE_DID_THEY_LIVE": "NO_PERMANENT_OR_FIXED",
        "WHERE_WILL_THEY_LIVE": "DOES_NOT_HAVE_ANYWHERE",
        "PARENTAL_RESPONSIBILITY": "NO",
        "VICTIM_OF_DOMESTIC_ABUSE": "NO_ANSWER",
        "NEEDS_TO_RELOCATE_OTHER_COUNCIL": "NO",
        "CURRENT_MEDICATION": "YES",
        "WHAT_ID_DOCUMENTS": ["PASSPORT", "BIRTH_CERTIFICATE"],
        "HAS_BANK_ACCOUNT": "NO",
        "NO_RECOURSE_TO_PUBLIC_FUNDS": "NO",
    }


def test_wrong_codes_exclusive_options_and_shapes_are_named():
    form = questionnaire.load("BCST1")
    answers = {
        "WHERE_DID_THEY_LIVE": "CASTLE",
        "WHAT_ID_DOCUMENTS": ["PASSPORT", "NO_ID_DOCUMENTS"],
        "HAS_BANK_ACCOUNT": ["YES"],
        "NEEDS_INTERPRETER": "YES",
        "PREFERRED_LANGUAGE": ["pl"],
        "NO_RECOURSE_TO_PUBLIC_FUNDS": "NO",
        "UNKNOWN_QUESTION": 42,
    }
    problems = form.problems(answers, complete=False)
    assert set(problems) == {
        "WHERE_DID_THEY_LIVE",
        "WHAT_ID_DOCUMENTS",
        "HAS_BANK_ACCOUNT",
        "PREFERRED_LANGUAGE",
    }
    assert "CASTLE" in problems["WHERE_DID_THEY_LIVE"]
    assert "No ID documents" in problems["WHAT_ID_DOCUMENTS"]
    assert problems["HAS_BANK_ACCOUNT"] == "Choose one answer."
    assert problems["PREFERRED_LANGUAGE"] == "Type the answer as text."
    assert form.problems({"WHAT_ID_DOCUMENTS": ["NO_ANSWER"]}, complete=False) == {}
    assert "WHAT_ID_DOCUMENTS" in form.problems(
        {"WHAT_ID_DOCUMENTS": ["PASSPORT", "MAGIC_PASS"]}, complete=False
    )
    assert "WHAT_ID_DOCUMENTS" in form.problems({"WHAT_ID_DOCUMENTS": "PASSPORT"}, complete=False)
    assert form.problems({"WHAT_ID_DOCUMENTS": ["PASSPORT", "PASSPORT"]}, complete=False) == {
        "WHAT_ID_DOCUMENTS": "Each answer can be chosen only once."
    }


def small_form() -> Questionnaire:
    """A form with every question type, built in code for the date and text checks."""
    yes_no = (Option("YES", "Yes"), Option("NO", "No"))
    questions = (
        Question("LEFT_HOME", "Has she left her home?", "single", "ACCOMMODATION", True, yes_no),
        Question("LEFT_ON", "When did she leave?", "date", "ACCOMMODATION", True,
                 show_if=Condition("LEFT_HOME", ("YES",))),
        Question("NOTES", "Anything else?", "long_text", "ACCOMMODATION", False),
        Question("WHO", "Who lives there?", "multi", "ACCOMMODATION", False,
                 (Option("CHILD", "A child"), Option("ADULT", "An adult"),
                  Option("NOBODY", "Nobody", exclusive=True))),
    )  # fmt: skip
    return Questionnaire("TEST", 1, "Test", (Section("s", "S", "ACCOMMODATION", questions),))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2026", "There is no such date as 31/02/2026."),
        ("31/13", "Type the date as day/month/year"),
        ("2026-02-31", "There is no such date as 2026-02-31."),
        ("next Tuesday", "Type the date as day/month/year"),
        ("2026-2-3", "Type the date as day/month/year"),
    ],
)
def test_bad_dates_are_named(typed, message):
    form = small_form()
    problems = form.problems({"LEFT_HOME": "YES", "LEFT_ON": typed}, complete=False)
    assert problems["LEFT_ON"].startswith(message)


def test_dates_are_stored_iso_and_shown_day_first():
    form = small_form()
    answers = {"LEFT_HOME": "YES", "LEFT_ON": "03/02/2026", "NOTES": "  "}
    cleaned = form.clean(answers)
    assert cleaned == {"LEFT_HOME": "YES", "LEFT_ON": "2026-02-03"}
    assert form.problems(cleaned, complete=True) == {}
    assert form.question("LEFT_ON").display("2026-02-03") == "03/02/2026"
    # A hidden date is neither checked nor kept.
    assert form.problems({"LEFT_HOME": "NO", "LEFT_ON": "rubbish"}, complete=True) == {}
    assert form.clean({"LEFT_HOME": "NO", "LEFT_ON": "2026-02-03"}) == {"LEFT_HOME": "NO"}


def test_display_uses_labels_in_option_order():
    form = small_form()
    who = form.question("WHO")
    assert who.display(["ADULT", "CHILD"]) == "A child, An adult"
    assert who.display(None) == "" and who.display([]) == ""
    assert form.question("LEFT_HOME").display("NO") == "No"
    assert form.question("LEFT_HOME").option_label("RETIRED_CODE") == "RETIRED_CODE"
    assert form.question("NOTES").display("Line one\nLine two") == "Line one\nLine two"
    assert form.problems({"WHO": ["NOBODY", "CHILD"]}, complete=False) == {
        "WHO": "“Nobody” cannot be chosen with other answers."
    }


def test_question_lookup_raises_key_error_for_an_unknown_id():
    with pytest.raises(KeyError):
        questionnaire.load("BCST1").question("NOT_A_QUESTION")


# Broken files --------------------------------------------------------------------------------


def _mutate(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], str]:
    def apply(resources: Path) -> str:
        data = read_form(resources, "BCST1-v1.json")
        change(data)
        write_form(resources, "BCST1-v1.json", data)
        return "BCST1-v1.json"

    return apply


def _bad_json(resources: Path) -> str:
    path = resources / "questionnaires" / "BCST1-v1.json"
    path.write_text(path.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    return "BCST1-v1.json"


def _misnamed(resources: Path) -> str:
    path = resources / "questionnaires" / "bcst1.json"
    shutil.copy(resources / "questionnaires" / "BCST1-v1.json", path)
    return "bcst1.json"


def _first_question(data: dict[str, Any]) -> dict[str, Any]:
    return data["sections"][0]["questions"][0]


BROKEN = {
    "bad JSON": (_bad_json, "not valid JSON"),
    "unknown type": (_mutate(lambda d: _first_question(d).update(type="slider")), "unknown type"),
    "duplicate id": (
        _mutate(lambda d: d["sections"][1]["questions"].append(dict(_first_question(d)))),
        "used by two questions",
    ),
    "show_if unknown question": (
        _mutate(lambda d: find(d, "PREVIOUS_ADDRESS")["show_if"].update(question="NOPE")),
        "not a question in this form",
    ),
    "show_if later question": (
        _mutate(lambda d: find(d, "PREVIOUS_ADDRESS").update(
            show_if={"question": "WHERE_WILL_THEY_LIVE", "any_of": ["MOVE_TO_NEW_ADDRESS"]})),
        "does not come before it",
    ),
    "show_if own question": (
        _mutate(lambda d: find(d, "WHERE_WILL_THEY_LIVE").update(
            show_if={"question": "WHERE_WILL_THEY_LIVE", "any_of": ["NO_ANSWER"]})),
        "does not come before it",
    ),
    "show_if unknown code": (
        _mutate(lambda d: find(d, "PREVIOUS_ADDRESS")["show_if"].update(any_of=["CASTLE"])),
        "'CASTLE', which is not an answer to WHERE_DID_THEY_LIVE",
    ),
    "show_if on a text question": (
        _mutate(lambda d: find(d, "HIDDEN_HOMELESSNESS").update(
            show_if={"question": "PREVIOUS_ADDRESS", "any_of": ["X"]})),
        "has no answer codes",
    ),
    "single without options": (
        _mutate(lambda d: find(d, "HAS_BANK_ACCOUNT").pop("options")), "needs a list of options"
    ),
    "options on text": (
        _mutate(lambda d: find(d, "PREFERRED_LANGUAGE").update(
            options=[{"code": "PL", "label": "Polish"}])),
        "cannot have options",
    ),
    "unknown pathway": (
        _mutate(lambda d: d["sections"][0].update(pathway="HOUSING")), "unknown pathway"
    ),
    "kind not matching name": (
        _mutate(lambda d: d.update(kind="BCST2")), "name says BCST1 version 1"
    ),
    "version not matching name": (
        _mutate(lambda d: d.update(version=2)), "name says BCST1 version 1"
    ),
    "misspelt field": (
        _mutate(lambda d: find(d, "HAS_BANK_ACCOUNT").update(requried=True)), "'requried'"
    ),
    "exclusive on a single": (
        _mutate(lambda d: find(d, "HAS_BANK_ACCOUNT")["options"][2].update(exclusive=True)),
        "only a multi question",
    ),
    "duplicate option": (
        _mutate(lambda d: find(d, "HAS_BANK_ACCOUNT")["options"].append(
            {"code": "YES", "label": "Yes again"})),
        "option YES twice",
    ),
    "badly named file": (_misnamed, "not named like BCST1-v1.json"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_is_refused_naming_the_file_and_the_problem(resources, case):
    questionnaire.validate_all()  # the untouched copy is fine
    breaker, phrase = BROKEN[case]
    name = breaker(resources)
    with pytest.raises(QuestionnaireError) as caught:
        questionnaire.validate_all()
    message = str(caught.value)
    assert name in message
    assert phrase in message


def test_loading_a_broken_form_fails_but_the_other_kind_still_loads(resources):
    _mutate(lambda d: _first_question(d).update(type="slider"))(resources)
    with pytest.raises(QuestionnaireError, match="BCST1-v1.json"):
        questionnaire.load("BCST1")
    assert questionnaire.load("BCST2").kind == "BCST2"


def test_shared_questions_must_agree_between_the_latest_forms(resources):
    data = read_form(resources, "BCST2-v1.json")
    find(data, "CURRENT_MEDICATION")["options"].pop()  # drops NO_ANSWER in BCST2 only
    write_form(resources, "BCST2-v1.json", data)
    questionnaire.load("BCST2")  # on its own the file is valid
    with pytest.raises(QuestionnaireError, match="CURRENT_MEDICATION") as caught:
        questionnaire.validate_all()
    assert "BCST1-v1.json" in str(caught.value) and "BCST2-v1.json" in str(caught.value)


def test_a_missing_form_or_version_is_a_plain_error(resources):
    with pytest.raises(QuestionnaireError, match="BCST1-v3.json is missing"):
        questionnaire.load("BCST1", 3)
    (resources / "questionnaires" / "BCST2-v1.json").unlink()
    assert questionnaire.available_versions("BCST2") == []
    with pytest.raises(QuestionnaireError, match="no BCST2 questionnaire"):
        questionnaire.load("BCST2")


# Versions ------------------------------------------------------------------------------------


def test_a_new_version_leaves_old_answers_readable_by_their_own_version(resources):
    data = read_form(resources, "BCST1-v1.json")
    data["version"] = 2
    bank = find(data, "HAS_BANK_ACCOUNT")
    bank["id"] = "HAS_ACCOUNT_FOR_BENEFITS"
    bank["text"] = "Does she have an account that benefits can be paid into?"
    for section in data["sections"]:
        section["questions"] = [
            q
            for q in section["questions"]
            if q["id"] not in ("PREFERRED_LANGUAGE", "RENT_OR_MORTGAGE_ARREARS")
        ]
    write_form(resources, "BCST1-v2.json", data)

    assert [f.version for f in questionnaire.validate_all() if f.kind == "BCST1"] == [1, 2]
    assert questionnaire.available_versions("BCST1") == [1, 2]
    latest, old = questionnaire.load("BCST1"), questionnaire.load("BCST1", 1)
    assert latest.version == 2 and old.version == 1

    old_answers = {
        "NEEDS_INTERPRETER": "YES",
        "PREFERRED_LANGUAGE": "Polish",
        "HAS_BANK_ACCOUNT": "NO",
    }
    assert old.clean(old_answers) == old_answers
    assert old.question("HAS_BANK_ACCOUNT").display("NO") == "No"
    assert old.question("PREFERRED_LANGUAGE").display("Polish") == "Polish"
    assert latest.clean(old_answers) == {"NEEDS_INTERPRETER": "YES"}
    with pytest.raises(KeyError):
        latest.question("HAS_BANK_ACCOUNT")
    # Rules about a retired question stay valid: stored screenings of version 1 still use it.
    assert "rent-or-mortgage-arrears" in {rule.id for rule in needs_rules.load_rules()}
