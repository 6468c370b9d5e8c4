"""Needs rules as data: the shipped rules, what each example fires on, and broken files."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.domain import needs_rules, questionnaire
from app.domain.needs_rules import NeedTemplate, RulesError

SHIPPED = Path(__file__).resolve().parents[2] / "resources"
PERSON = {
    "custody_status": "SENTENCED",
    "nationality": "GB",
    "interpreter_needed": "false",
    "mappa_level": "",
    "release_date_known": "true",
}


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    questionnaire._read.cache_clear()
    needs_rules._load.cache_clear()
    yield
    questionnaire._read.cache_clear()
    needs_rules._load.cache_clear()


@pytest.fixture
def resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "resources"
    for name in ("questionnaires", "rules"):
        shutil.copytree(SHIPPED / name, root / name)
    monkeypatch.setenv("RESETTLE_RESOURCES", str(root))
    return root


def needs(answers: dict[str, Any], **person: str) -> dict[str, NeedTemplate]:
    return {n.code: n for n in needs_rules.derive(answers, {**PERSON, **person})}


# The brief's examples: (answers, person facts) that must give the need, and ones that must not.
EXAMPLES: list[tuple[str, str, str | None, list[tuple[dict, dict]], list[tuple[dict, dict]]]] = [
    ("PROTECT_OR_END_TENANCY", "Protect or end the tenancy to stop arrears", None,
     [({"TENANCY_TO_KEEP_OR_END": "KEEP"}, {}), ({"TENANCY_TO_KEEP_OR_END": "END"}, {}),
      ({"RENT_OR_MORTGAGE_ARREARS": "YES"}, {})],
     [({"TENANCY_TO_KEEP_OR_END": "NOT_IN_HER_NAME"}, {}),
      ({"RENT_OR_MORTGAGE_ARREARS": "NO"}, {})]),
    ("ID_DOCUMENTS", "Apply for ID documents", None,
     [({"WHAT_ID_DOCUMENTS": ["NO_ID_DOCUMENTS"]}, {})],
     [({"WHAT_ID_DOCUMENTS": ["PASSPORT"]}, {}), ({"WHAT_ID_DOCUMENTS": ["NO_ANSWER"]}, {})]),
    ("IMMIGRATION_ADVICE", "Independent immigration advice", "PRISON",
     [({"NO_RECOURSE_TO_PUBLIC_FUNDS": "YES"}, {}),
      ({"NO_RECOURSE_TO_PUBLIC_FUNDS": "NOT_KNOWN"}, {}),
      ({"IMMIGRATION_STATUS": "NO_LEAVE"}, {})],
     [({"NO_RECOURSE_TO_PUBLIC_FUNDS": "NO"}, {}),
      ({"IMMIGRATION_STATUS": "BRITISH_OR_IRISH_CITIZEN"}, {})]),
    ("DOMESTIC_ABUSE_SUPPORT", "Specialist domestic abuse support; consider another council",
     None,
     [({"VICTIM_OF_DOMESTIC_ABUSE": "YES"}, {})],
     [({"VICTIM_OF_DOMESTIC_ABUSE": "NO"}, {}), ({"VICTIM_OF_DOMESTIC_ABUSE": "NO_ANSWER"}, {}),
      ({"PERPETRATOR_OF_DOMESTIC_ABUSE": "YES"}, {})]),
    ("CHILDREN_SOCIAL_CARE_LIAISON", "Children's social care liaison", None,
     [({"PRIMARY_CARER_OF_CHILDREN": "YES"}, {}),
      ({"CHILDREN_CURRENT_CARE": ["OTHER_PARENT", "LOCAL_AUTHORITY_CARE"]}, {})],
     [({"PRIMARY_CARER_OF_CHILDREN": "NO"}, {}),
      ({"CHILDREN_CURRENT_CARE": ["OTHER_PARENT"]}, {}),
      ({"PARENTAL_RESPONSIBILITY": "YES"}, {})]),
    ("RELEASE_FROM_COURT_PLAN", "Release date unknown: plan for release from court", None,
     [({}, {"custody_status": "REMAND"}), ({}, {"custody_status": "CONVICTED_UNSENTENCED"})],
     [({}, {"custody_status": "SENTENCED"}), ({}, {"custody_status": "RECALL"})]),
    ("BANK_ACCOUNT", "Open a bank account", None,
     [({"HAS_BANK_ACCOUNT": "NO"}, {})],
     [({"HAS_BANK_ACCOUNT": "YES"}, {}), ({"HAS_BANK_ACCOUNT": "NO_ANSWER"}, {})]),
    ("DEBT_ADVICE", None, None,
     [({"DEBTS_OR_ARREARS": "YES"}, {}), ({"RENT_OR_MORTGAGE_ARREARS": "YES"}, {})],
     [({"DEBTS_OR_ARREARS": "NO"}, {})]),
    ("GP_REGISTRATION", "Register with a GP for release", None,
     [({"REGISTERED_WITH_GP": "NO"}, {})],
     [({"REGISTERED_WITH_GP": "YES"}, {})]),
    ("RELEASE_PRESCRIPTIONS", "Arrange prescriptions for day of release", None,
     [({"CURRENT_MEDICATION": "YES"}, {})],
     [({"CURRENT_MEDICATION": "NO"}, {})]),
    ("SUBSTANCE_MISUSE_REFERRAL", None, None,
     [({"DRUG_MISUSE_ISSUES": "YES"}, {}), ({"ALCOHOL_MISUSE_ISSUES": "YES"}, {})],
     [({"DRUG_MISUSE_ISSUES": "NO", "ALCOHOL_MISUSE_ISSUES": "NO_ANSWER"}, {})]),
    ("DUTY_TO_REFER", "Duty to refer to the local housing authority", "PROBATION",
     [({"WHERE_DID_THEY_LIVE": "NO_PERMANENT_OR_FIXED"}, {}),
      ({"WHERE_WILL_THEY_LIVE": "DOES_NOT_HAVE_ANYWHERE"}, {}),
      ({"HIDDEN_HOMELESSNESS": "YES"}, {})],
     [({"WHERE_DID_THEY_LIVE": "SOCIAL_HOUSING",
        "WHERE_WILL_THEY_LIVE": "RETURN_TO_PREVIOUS_ADDRESS"}, {})]),
    ("INTERPRETER", "Book an interpreter for key meetings", None,
     [({"NEEDS_INTERPRETER": "YES"}, {}), ({}, {"interpreter_needed": "true"})],
     [({"NEEDS_INTERPRETER": "NO"}, {"interpreter_needed": "false"})]),
    ("WOMEN_ONLY_ACCOMMODATION", None, None,
     [({"NEEDS_WOMEN_ONLY_ACCOMMODATION": "YES"}, {})],
     [({"NEEDS_WOMEN_ONLY_ACCOMMODATION": "NO"}, {})]),
    ("NRM_CONSIDERATION", "National Referral Mechanism consideration", None,
     [({"TRAFFICKING_CONCERN": "YES"}, {})],
     [({"TRAFFICKING_CONCERN": "NO"}, {})]),
    ("IMMIGRATION_BAIL_ADDRESS", "Home-Office-approved address for immigration bail", None,
     [({"RISK_OF_IMMIGRATION_DETENTION": "YES"}, {})],
     [({"RISK_OF_IMMIGRATION_DETENTION": "NO"}, {}),
      ({"RISK_OF_IMMIGRATION_DETENTION": "NOT_KNOWN"}, {})]),
]  # fmt: skip


@pytest.mark.parametrize("example", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_each_example_need_fires_from_the_right_answers_and_not_otherwise(example):
    code, title, owner, firing, quiet = example
    for answers, person in firing:
        found = needs(answers, **person)
        assert code in found, (answers, person)
        if title:
            assert found[code].title == title
        if owner:
            assert found[code].owner == owner
    for answers, person in quiet:
        assert code not in needs(answers, **person), (answers, person)


def test_nothing_is_proposed_without_answers_or_risk_facts():
    assert needs_rules.derive({}, PERSON) == []
    assert needs_rules.derive({}, {}) == []


def test_all_conditions_of_a_rule_must_hold():
    both = {"DO_THEY_HAVE_JOB_ARRANGED": "NO", "EDUCATION_WHEN_RELEASED": "NO"}
    assert "WORK_OR_TRAINING_SUPPORT" in needs(both)
    assert "WORK_OR_TRAINING_SUPPORT" not in needs(
        {**both, "EDUCATION_WHEN_RELEASED": "YES_SAME_EDUCATION"}
    )
    assert "WORK_OR_TRAINING_SUPPORT" not in needs({"DO_THEY_HAVE_JOB_ARRANGED": "NO"})


def test_needs_are_listed_once_in_rule_order():
    answers = {
        "DRUG_MISUSE_ISSUES": "YES",
        "ALCOHOL_MISUSE_ISSUES": "YES",
        "HAS_BANK_ACCOUNT": "NO",
        "WHERE_WILL_THEY_LIVE": "DOES_NOT_HAVE_ANYWHERE",
        "HIDDEN_HOMELESSNESS": "YES",
    }
    derived = needs_rules.derive(answers, {**PERSON, "custody_status": "REMAND"})
    codes = [n.code for n in derived]
    assert len(codes) == len(set(codes))
    order = {rule.need.code: i for i, rule in reversed(list(enumerate(needs_rules.load_rules())))}
    assert codes == sorted(codes, key=order.__getitem__)
    assert set(codes) == {
        "RELEASE_FROM_COURT_PLAN",
        "DUTY_TO_REFER",
        "SUBSTANCE_MISUSE_REFERRAL",
        "BANK_ACCOUNT",
    }
    by_code = {n.code: n for n in derived}
    assert by_code["SUBSTANCE_MISUSE_REFERRAL"].rule_id == "drug-misuse"
    assert by_code["DUTY_TO_REFER"].rule_id == "hidden-homelessness"


def test_every_shipped_rule_can_fire():
    for rule in needs_rules.load_rules():
        answers = {c.key: c.any_of[0] for c in rule.when if c.source == "question"}
        person = {c.key: c.any_of[0] for c in rule.when if c.source == "person"}
        assert rule.need.code in needs(answers, **person), rule.id


def test_shipped_needs_are_well_formed():
    rules = needs_rules.load_rules()
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        need = rule.need
        assert re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", need.code)
        assert need.owner in needs_rules.OWNERS
        assert need.pathway in questionnaire.PATHWAYS
        assert need.actions and all(a.due_working_days >= 0 for a in need.actions)
        assert need.rule_id == rule.id or any(
            r.id == need.rule_id and r.need.code == need.code for r in rules
        )


def test_named_organisations_come_without_contact_details():
    text = json.dumps(json.loads((SHIPPED / "rules" / "needs-v1.json").read_text("utf-8")))
    assert "Hibiscus" in text and "Bail for Immigration Detainees" in text
    assert not re.search(r"@|https?:|www\.|\b0\d{3,}|\+44", text)


# Broken rules --------------------------------------------------------------------------------


def _rules(resources: Path) -> Path:
    return resources / "rules" / "needs-v1.json"


def _mutate(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def apply(resources: Path) -> None:
        data = json.loads(_rules(resources).read_text(encoding="utf-8"))
        change(data)
        _rules(resources).write_text(json.dumps(data), encoding="utf-8")

    return apply


def _rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["id"] == rule_id)


def _bad_json(resources: Path) -> None:
    _rules(resources).write_text('{"version": 1, "rules": [', encoding="utf-8")


BROKEN = {
    "bad JSON": (_bad_json, "not valid JSON"),
    "unknown question": (
        _mutate(lambda d: _rule(d, "no-bank-account")["when"][0].update(question="HAS_BANK")),
        "'HAS_BANK', which no BCST1 or BCST2",
    ),
    "code the question lacks": (
        _mutate(lambda d: _rule(d, "no-bank-account")["when"][0].update(any_of=["MAYBE"])),
        "'MAYBE', which is not a value of HAS_BANK_ACCOUNT",
    ),
    "question without codes": (
        _mutate(lambda d: _rule(d, "no-bank-account")["when"][0].update(
            question="PREVIOUS_ADDRESS", any_of=["X"])),
        "has no answer codes",
    ),
    "unknown person field": (
        _mutate(lambda d: _rule(d, "remand-or-unsentenced")["when"][0].update(person="age")),
        "person field 'age'",
    ),
    "wrong person value": (
        _mutate(lambda d: _rule(d, "remand-or-unsentenced")["when"][0].update(any_of=["Remand"])),
        "'Remand', which is not a value of custody_status",
    ),
    "unknown owner": (
        _mutate(lambda d: _rule(d, "no-bank-account")["need"].update(owner="POM")),
        "unknown owner 'POM'",
    ),
    "unknown pathway": (
        _mutate(lambda d: _rule(d, "no-bank-account")["need"].update(pathway="MONEY")),
        "unknown pathway 'MONEY'",
    ),
    "lower-case need code": (
        _mutate(lambda d: _rule(d, "no-bank-account")["need"].update(code="bank_account")),
        "code in capitals",
    ),
    "one code, two titles": (
        _mutate(lambda d: _rule(d, "alcohol-misuse")["need"].update(title="Alcohol help")),
        "describes need SUBSTANCE_MISUSE_REFERRAL differently from rule drug-misuse",
    ),
    "duplicate rule id": (
        _mutate(lambda d: _rule(d, "alcohol-misuse").update(id="drug-misuse")),
        "two rules have the id drug-misuse",
    ),
    "version not matching name": (_mutate(lambda d: d.update(version=2)), "does not match"),
    "negative due days": (
        _mutate(lambda d: _rule(d, "no-bank-account")["need"]["actions"][0].update(
            due_working_days=-1)),
        "'due_working_days' must be a whole number",
    ),
    "no conditions": (
        _mutate(lambda d: _rule(d, "no-bank-account").update(when=[])), "non-empty list"
    ),
    "misspelt field": (
        _mutate(lambda d: _rule(d, "no-bank-account")["when"][0].update(anyof=["NO"])),
        "'anyof'",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_rules_file_is_refused_naming_the_file_and_the_problem(resources, case):
    assert needs_rules.load_rules()  # the untouched copy is fine
    breaker, phrase = BROKEN[case]
    breaker(resources)
    with pytest.raises(RulesError) as caught:
        needs_rules.derive({}, PERSON)
    assert "needs-v1.json" in str(caught.value)
    assert phrase in str(caught.value)


def test_a_question_no_stored_version_has_is_refused(resources):
    """RENT_OR_MORTGAGE_ARREARS is asked only in BCST1: replace v1 by a v2 without it."""
    folder = resources / "questionnaires"
    data = json.loads((folder / "BCST1-v1.json").read_text(encoding="utf-8"))
    data["version"] = 2
    for section in data["sections"]:
        section["questions"] = [
            q for q in section["questions"] if q["id"] != "RENT_OR_MORTGAGE_ARREARS"
        ]
    (folder / "BCST1-v2.json").write_text(json.dumps(data), encoding="utf-8")
    assert needs_rules.load_rules()  # version 1 still has the question
    (folder / "BCST1-v1.json").unlink()
    with pytest.raises(RulesError, match="RENT_OR_MORTGAGE_ARREARS"):
        needs_rules.load_rules()


def test_the_latest_rules_file_is_used(resources):
    data = json.loads(_rules(resources).read_text(encoding="utf-8"))
    data["version"] = 2
    data["rules"] = [_rule(data, "no-bank-account")]
    (resources / "rules" / "needs-v2.json").write_text(json.dumps(data), encoding="utf-8")
    assert [r.id for r in needs_rules.load_rules()] == ["no-bank-account"]
    assert [
        n.code
        for n in needs_rules.derive({"HAS_BANK_ACCOUNT": "NO", "CURRENT_MEDICATION": "YES"}, PERSON)
    ] == ["BANK_ACCOUNT"]


def test_a_missing_rules_file_is_a_plain_error(resources):
    _rules(resources).unlink()
    with pytest.raises(RulesError, match="needs-v1.json"):
        needs_rules.load_rules()
