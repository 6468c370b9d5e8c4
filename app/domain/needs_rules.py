"""Rules, kept as data, that turn screening answers and facts about her into support needs.

`resources/rules/needs-v<N>.json` (the highest N is used) lists rules in priority order. A rule
fires when all its conditions hold; it proposes one need with its owner and first actions.
Rules only propose: staff accept, reword or decline each need (app.services.needs).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from app.domain import questionnaire, reference
from app.domain.codes import NeedReview, NeedStatus, Owner, ScreeningKind
from app.domain.questionnaire import PATHWAYS, Answers
from app.errors import UserError
from app.paths import resources_dir

OWNERS: tuple[Owner, ...] = tuple(Owner)
NEED_STATUSES: tuple[NeedStatus, ...] = tuple(NeedStatus)
OWNER_LABELS: dict[str, str] = {Owner.PRISON: "Prison", Owner.PROBATION: "Probation",
                                Owner.CRS_PROVIDER: "CRS provider"}
NEED_STATUS_LABELS: dict[str, str] = {
    NeedStatus.NOT_STARTED: "Not started", NeedStatus.IN_PROGRESS: "In progress",
    NeedStatus.MET: "Met", NeedStatus.DECLINED: "Declined"}
NEED_REVIEW_LABELS: dict[str, str] = {NeedReview.PROPOSED: "Proposed",
                                      NeedReview.ACCEPTED: "Accepted",
                                      NeedReview.DECLINED: "Declined"}
SCREENING_KINDS: tuple[ScreeningKind, ...] = tuple(ScreeningKind)
_BOOLEAN = ("true", "false")
# Person facts a rule may test, with the values each can take (None: checked elsewhere).
PERSON_FIELDS: dict[str, tuple[str, ...] | None] = {
    "custody_status": tuple(reference.CUSTODY_STATUSES),
    "nationality": None,  # a country code from reference.countries()
    "interpreter_needed": _BOOLEAN,
    "mappa_level": tuple(reference.MAPPA_LEVELS),
    "release_date_known": _BOOLEAN,
}

_FILE_NAME = re.compile(r"^needs-v([1-9][0-9]*)\.json\Z")
_NEED_CODE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*\Z")
_RULE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
_MAX_CODE, _MAX_TITLE, _MAX_RULE_ID, _MAX_DAYS = 64, 200, 64, 260


class RulesError(UserError):
    """A rules file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class ActionTemplate:
    title: str
    due_working_days: int


@dataclass(frozen=True)
class NeedTemplate:
    code: str
    title: str
    pathway: str
    owner: str
    actions: tuple[ActionTemplate, ...]
    rule_id: str


@dataclass(frozen=True)
class RuleCondition:
    """`source` is "question" (an answer) or "person" (a fact); `key` names which."""

    source: str
    key: str
    any_of: tuple[str, ...]

    def holds(self, answers: Answers, person: dict[str, str]) -> bool:
        if self.source == "person":
            return person.get(self.key) in self.any_of
        return questionnaire.Condition(self.key, self.any_of).holds(answers)


@dataclass(frozen=True)
class Rule:
    id: str
    when: tuple[RuleCondition, ...]
    need: NeedTemplate

    def fires(self, answers: Answers, person: dict[str, str]) -> bool:
        return all(condition.holds(answers, person) for condition in self.when)


def rules_dir() -> Path:
    return resources_dir() / "rules"


def _latest_file() -> Path:
    directory = rules_dir()
    versions = {}
    if directory.is_dir():
        for path in directory.iterdir():
            match = _FILE_NAME.match(path.name)
            if match and path.is_file():
                versions[int(match.group(1))] = path
    if not versions:
        raise RulesError(f"There is no needs rules file (needs-v1.json) in {directory}.")
    return versions[max(versions)]


def load_rules() -> list[Rule]:
    """The rules of the latest file, checked against every BCST1/BCST2 questionnaire version.

    Read once, and again only when the rules or questionnaire files change.
    """
    path = _latest_file()
    stat = path.stat()
    forms = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(questionnaire.questionnaire_dir().glob("*.json"))
    )
    return list(_load(path, stat.st_mtime_ns, stat.st_size, forms))


def derive(answers: Answers, person: dict[str, str]) -> list[NeedTemplate]:
    """The needs her answers and facts call for, each once, in rule order.

    `answers` should be the cleaned answers (Questionnaire.clean) of her screenings, merged by
    question id; `person` holds the PERSON_FIELDS as text ("true"/"false" for yes/no facts).
    """
    seen: set[str] = set()
    needs: list[NeedTemplate] = []
    for rule in load_rules():
        if rule.need.code not in seen and rule.fires(answers, person):
            seen.add(rule.need.code)
            needs.append(rule.need)
    return needs


@cache
def _load(path: Path, _mtime_ns: int, _size: int, _forms: tuple[object, ...]) -> tuple[Rule, ...]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise RulesError(f"The needs rules file {path} cannot be read: {exc}") from None
    except UnicodeDecodeError:
        raise RulesError(f"The needs rules file {path} is not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise RulesError(
            f"The needs rules file {path} is not valid JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}."
        ) from None
    codes = _answer_codes()
    try:
        return _parse(path, data, codes)
    except _Bad as bad:
        raise RulesError(f"The needs rules file {path} has a problem: {bad}") from None


def _answer_codes() -> dict[str, set[str]]:
    """Every BCST1/BCST2 question with answer codes, mapped to the codes of any version."""
    codes: dict[str, set[str]] = {}
    for form in questionnaire.validate_all():
        if form.kind not in SCREENING_KINDS:
            continue
        for q in form.questions():
            known = codes.setdefault(q.id, set())
            known.update(o.code for o in q.options)
    return codes


class _Bad(Exception):
    pass


def _object(value: object, where: str, keys: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(f"{where} must be a JSON object.")
    missing = sorted(keys - value.keys())
    if missing:
        raise _Bad(f"{where} has no {missing[0]!r}.")
    unknown = sorted(value.keys() - keys)
    if unknown:
        raise _Bad(f"{where} has an unknown field {unknown[0]!r} (a typing mistake?).")
    return value


def _text(value: object, where: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Bad(f"{where} must be non-empty text.")
    if len(value.strip()) > limit:
        raise _Bad(f"{where} is longer than {limit} characters.")
    return value.strip()


def _parse(path: Path, data: object, codes: dict[str, set[str]]) -> tuple[Rule, ...]:
    top = _object(data, "The file", {"version", "rules"})
    match = _FILE_NAME.match(path.name)
    version = top["version"]
    if not match or version != int(match.group(1)) or isinstance(version, bool):
        raise _Bad(f"it says it is version {version!r}, which does not match its name.")
    raw_rules = top["rules"]
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _Bad("'rules' must be a non-empty list.")
    rules: list[Rule] = []
    needs: dict[str, NeedTemplate] = {}
    for index, raw in enumerate(raw_rules, 1):
        rule = _rule(raw, index, codes)
        if any(r.id == rule.id for r in rules):
            raise _Bad(f"two rules have the id {rule.id}.")
        first = needs.setdefault(rule.need.code, rule.need)
        if (first.title, first.pathway, first.owner, first.actions) != (
            rule.need.title,
            rule.need.pathway,
            rule.need.owner,
            rule.need.actions,
        ):
            raise _Bad(
                f"rule {rule.id} describes need {rule.need.code} differently from rule "
                f"{first.rule_id}; every rule giving the same need must give the same title, "
                "pathway, owner and actions."
            )
        rules.append(rule)
    return tuple(rules)


def _rule(raw: object, index: int, codes: dict[str, set[str]]) -> Rule:
    item = _object(raw, f"Rule {index}", {"id", "when", "need"})
    rule_id = item["id"]
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id) or len(rule_id) > _MAX_RULE_ID:
        raise _Bad(
            f"rule {index} needs an id in lower case words joined by - "
            f"(at most {_MAX_RULE_ID} characters)."
        )
    where = f"rule {rule_id}"
    raw_when = item["when"]
    if not isinstance(raw_when, list) or not raw_when:
        raise _Bad(f"{where} needs 'when': a non-empty list of conditions.")
    when = tuple(_condition(c, where, codes) for c in raw_when)
    return Rule(rule_id, when, _need(item["need"], where, rule_id))


def _condition(raw: object, where: str, codes: dict[str, set[str]]) -> RuleCondition:
    if not isinstance(raw, dict):
        raise _Bad(f"a condition of {where} must be a JSON object.")
    source = "person" if "person" in raw else "question"
    item = _object(raw, f"A condition of {where}", {source, "any_of"})
    key, any_of = item[source], item["any_of"]
    if not isinstance(any_of, list) or not any_of or not all(isinstance(c, str) for c in any_of):
        raise _Bad(f"a condition of {where} needs 'any_of': a non-empty list of codes.")
    if source == "question":
        if key not in codes:
            raise _Bad(
                f"{where} uses the question {key!r}, which no BCST1 or BCST2 questionnaire has."
            )
        if not codes[key]:
            raise _Bad(f"{where} uses the question {key}, which has no answer codes to match.")
        valid: set[str] | tuple[str, ...] = codes[key]
    else:
        if key not in PERSON_FIELDS:
            raise _Bad(
                f"{where} uses the person field {key!r}; use one of {', '.join(PERSON_FIELDS)}."
            )
        valid = PERSON_FIELDS[key] or tuple(reference.countries())
    for code in any_of:
        if code not in valid:
            raise _Bad(f"{where} uses {code!r}, which is not a value of {key}.")
    return RuleCondition(source, key, tuple(any_of))


def _need(raw: object, where: str, rule_id: str) -> NeedTemplate:
    item = _object(raw, f"The need of {where}", {"code", "title", "pathway", "owner", "actions"})
    code = item["code"]
    if not isinstance(code, str) or not _NEED_CODE.match(code) or len(code) > _MAX_CODE:
        raise _Bad(
            f"the need of {where} needs a code in capitals joined by _ "
            f"(at most {_MAX_CODE} characters)."
        )
    title = _text(item["title"], f"The title of need {code}", _MAX_TITLE)
    if item["pathway"] not in PATHWAYS:
        raise _Bad(
            f"need {code} has an unknown pathway {item['pathway']!r}; use one of "
            f"{', '.join(PATHWAYS)}."
        )
    if item["owner"] not in OWNERS:
        raise _Bad(
            f"need {code} has an unknown owner {item['owner']!r}; use one of {', '.join(OWNERS)}."
        )
    raw_actions = item["actions"]
    if not isinstance(raw_actions, list) or not raw_actions:
        raise _Bad(f"need {code} needs a non-empty list of actions.")
    actions = []
    for index, raw_action in enumerate(raw_actions, 1):
        action = _object(
            raw_action, f"Action {index} of need {code}", {"title", "due_working_days"}
        )
        days = action["due_working_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= _MAX_DAYS:
            raise _Bad(
                f"action {index} of need {code}: 'due_working_days' must be a whole "
                f"number from 0 to {_MAX_DAYS}."
            )
        actions.append(
            ActionTemplate(
                _text(action["title"], f"The title of action {index} of need {code}", _MAX_TITLE),
                days,
            )
        )
    return NeedTemplate(code, title, item["pathway"], item["owner"], tuple(actions), rule_id)
