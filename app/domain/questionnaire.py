"""Screening questionnaires (BCST1, BCST2) kept as data, and the checks their answers obey.

Each form is a JSON file, `resources/questionnaires/<KIND>-v<N>.json`. A screening remembers
the version it was started with, so old answers are always read with the questions they
answered; a changed question set is a new file with the next version number, never an edit.
Answers are keyed by question id; a question that appears in two forms has the same id, type
and options in both, so their answers can be merged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from app.domain.codes import Pathway, SkipReason
from app.domain.dates import parse_uk_date, uk_date
from app.errors import UserError
from app.paths import resources_dir

Answer = str | list[str]
Answers = dict[str, Answer]
QUESTION_TYPES = ("single", "multi", "text", "long_text", "date", "address")
CHOICE_TYPES = ("single", "multi")
PATHWAYS: tuple[Pathway, ...] = tuple(Pathway)
PATHWAY_LABELS: dict[str, str] = {
    Pathway.ACCOMMODATION: "Accommodation",
    Pathway.ATTITUDES_THINKING_AND_BEHAVIOUR: "Attitudes, thinking and behaviour",
    Pathway.CHILDREN_FAMILIES_AND_COMMUNITY: "Children, families and community",
    Pathway.DRUGS_AND_ALCOHOL: "Drugs and alcohol",
    Pathway.EDUCATION_SKILLS_AND_WORK: "Education, skills and work",
    Pathway.FINANCE_AND_ID: "Finance and ID",
    Pathway.HEALTH: "Health",
}
# HMPPS's reasons a screening is not done here (its report skip reasons).
SKIP_REASONS: dict[str, str] = {
    SkipReason.COMPLETED_IN_OASYS: "Completed in OASys",
    SkipReason.COMPLETED_IN_ANOTHER_PRISON: "Completed in another prison",
    SkipReason.EARLY_RELEASE: "Released before it could be done",
    SkipReason.TRANSFER: "Transferred before it could be done",
    SkipReason.OTHER: "Other (recorded elsewhere)",
}

# BCST1's question "Does she need an interpreter …?" and the answer that means yes.
INTERPRETER_QUESTION, INTERPRETER_YES = "NEEDS_INTERPRETER", "YES"


def interpreter_needed(recorded: bool, bcst1_answers: Answers) -> bool:
    """Whether she needs an interpreter: her record says so, or BCST1 does.

    Either source alone is enough: staff often learn it at screening before the record is
    edited, and a referral that says "No" sends a council to an interview she cannot follow.
    """
    return recorded or bcst1_answers.get(INTERPRETER_QUESTION) == INTERPRETER_YES


_FILE_NAME = re.compile(r"^([A-Z][A-Z0-9_]*)-v([1-9][0-9]*)\.json\Z")
_CODE = re.compile(r"^[A-Z][A-Z0-9_]*\Z")
_SECTION_ID = re.compile(r"^[a-z][a-z0-9_]*\Z")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")


class QuestionnaireError(UserError):
    """A questionnaire file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    exclusive: bool = False


@dataclass(frozen=True)
class Condition:
    question: str
    any_of: tuple[str, ...]

    def holds(self, answers: Answers) -> bool:
        """True when the answer is one of `any_of` (for a multi answer: any chosen code is)."""
        answer = answers.get(self.question)
        if isinstance(answer, str):
            return answer in self.any_of
        if isinstance(answer, list):
            return any(code in self.any_of for code in answer)
        return False


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: str
    pathway: str
    required: bool
    options: tuple[Option, ...] = ()
    show_if: Condition | None = None
    help: str = ""

    def option_label(self, code: str) -> str:
        """The label people read; an unknown code is shown as it is rather than hidden."""
        for option in self.options:
            if option.code == code:
                return option.label
        return code

    def display(self, answer: Answer | None) -> str:
        """The answer as text for a screen or a printout; "" when not answered."""
        if answer is None or answer == "" or answer == []:
            return ""
        if isinstance(answer, list):
            order = {o.code: i for i, o in enumerate(self.options)}
            codes = sorted(answer, key=lambda c: order.get(c, len(order)))
            return ", ".join(self.option_label(str(c)) for c in codes)
        if self.type in CHOICE_TYPES:
            return self.option_label(answer)
        if self.type == "date":
            parsed = _iso_date(answer)
            return uk_date(parsed) if parsed else answer
        return answer

    def _problem(self, answer: object) -> str | None:
        """What is wrong with a non-empty answer to this question, or None."""
        codes = {o.code for o in self.options}
        if self.type == "single":
            if not isinstance(answer, str):
                return "Choose one answer."
            if answer not in codes:
                return f"“{answer}” is not one of the answers to this question; choose another."
            return None
        if self.type == "multi":
            if not isinstance(answer, list) or not all(isinstance(c, str) for c in answer):
                return "Choose answers from the list."
            unknown = [c for c in answer if c not in codes]
            if unknown:
                return f"“{unknown[0]}” is not one of the answers to this question."
            if len(set(answer)) != len(answer):
                return "Each answer can be chosen only once."
            if len(answer) > 1:
                for option in self.options:
                    if option.exclusive and option.code in answer:
                        return f"“{option.label}” cannot be chosen with other answers."
            return None
        if not isinstance(answer, str):
            return "Type the answer as text."
        if self.type == "date":
            # Stored as YYYY-MM-DD; a draft may still hold the date as typed (31/03/2026).
            if _ISO_DATE.match(answer.strip()) and _iso_date(answer) is None:
                return f"There is no such date as {answer.strip()}."
            try:
                parse_uk_date(answer)
            except ValueError as exc:
                return str(exc)
        return None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    pathway: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    kind: str
    version: int
    title: str
    sections: tuple[Section, ...]

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        return {q.id: q for section in self.sections for q in section.questions}

    def questions(self) -> list[Question]:
        return list(self._by_id.values())

    def question(self, qid: str) -> Question:
        return self._by_id[qid]

    def is_visible(self, q: Question, answers: Answers) -> bool:
        """Shown when it has no condition, or its condition holds and its parent is shown."""
        if q.show_if is None:
            return True
        parent = self._by_id.get(q.show_if.question)
        if parent is None or not self.is_visible(parent, answers):
            return False
        return q.show_if.holds(answers)

    def visible(self, answers: Answers) -> list[Question]:
        return [q for q in self.questions() if self.is_visible(q, answers)]

    def clean(self, answers: Answers) -> Answers:
        """The answers worth keeping, in question order.

        Drops answers to questions this form does not have or does not show, and empty ones
        (blank text, no choice). Trims text, and writes a date typed day-first (31/03/2026)
        as YYYY-MM-DD. Wrong codes are kept so that `problems` can name them.
        """
        result: Answers = {}
        for q in self.visible(answers):
            answer = answers.get(q.id)
            if isinstance(answer, list):
                if answer:
                    result[q.id] = list(answer)
                continue
            if not isinstance(answer, str):
                if answer is not None:
                    result[q.id] = answer  # wrong shape: left for problems() to report
                continue
            text = answer.strip()
            if not text:
                continue
            if q.type == "date":
                text = _normalise_date(text)
            result[q.id] = text
        return result

    def problems(self, answers: Answers, *, complete: bool) -> dict[str, str]:
        """A plain message per question id for every answer that cannot be kept.

        Answers to questions that are hidden or not in this form are ignored (`clean` drops
        them). With `complete`, every shown required question must also be answered.
        """
        found: dict[str, str] = {}
        for q in self.visible(answers):
            answer = answers.get(q.id)
            if _is_empty(answer):
                if complete and q.required:
                    found[q.id] = "Answer this question."
                continue
            problem = q._problem(answer)
            if problem:
                found[q.id] = problem
        return found


def _is_empty(answer: object) -> bool:
    return answer is None or answer == [] or (isinstance(answer, str) and not answer.strip())


def _iso_date(text: str) -> date | None:
    text = text.strip()
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _normalise_date(text: str) -> str:
    try:
        return parse_uk_date(text).isoformat()
    except ValueError:
        return text


# Loading -------------------------------------------------------------------------------------


def questionnaire_dir() -> Path:
    return resources_dir() / "questionnaires"


def _files() -> dict[tuple[str, int], Path]:
    directory = questionnaire_dir()
    if not directory.is_dir():
        return {}
    found = {}
    for path in directory.iterdir():
        match = _FILE_NAME.match(path.name)
        if match and path.is_file():
            found[(match.group(1), int(match.group(2)))] = path
    return found


def available_versions(kind: str) -> list[int]:
    return sorted(version for k, version in _files() if k == kind)


def load(kind: str, version: int | None = None) -> Questionnaire:
    """That version of the form, or the latest; each file is read once until it changes."""
    versions = available_versions(kind)
    if not versions:
        raise QuestionnaireError(
            f"There is no {kind} questionnaire in {questionnaire_dir()}: the installation is "
            "incomplete."
        )
    if version is None:
        version = versions[-1]
    if version not in versions:
        missing = questionnaire_dir() / f"{kind}-v{version}.json"
        raise QuestionnaireError(
            f"The questionnaire file {missing} is missing, so screenings recorded with "
            f"{kind} version {version} cannot be shown. Restore the file."
        )
    return _read_path(questionnaire_dir() / f"{kind}-v{version}.json")


def validate_all() -> list[Questionnaire]:
    """Read and check every questionnaire file; the first problem raises QuestionnaireError."""
    directory = questionnaire_dir()
    if not directory.is_dir():
        raise QuestionnaireError(f"The questionnaire folder {directory} is missing.")
    forms: list[Questionnaire] = []
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() != ".json":
            continue
        if not _FILE_NAME.match(path.name):
            raise QuestionnaireError(
                f"The questionnaire file {path} is not named like BCST1-v1.json "
                "(kind in capitals, then -v and the version number)."
            )
        forms.append(_read_path(path))
    _check_shared_questions(forms)
    return forms


def _check_shared_questions(forms: list[Questionnaire]) -> None:
    """The latest forms of different kinds agree on every question they share (answers merge)."""
    latest: dict[str, Questionnaire] = {}
    for form in forms:
        if form.kind not in latest or form.version > latest[form.kind].version:
            latest[form.kind] = form
    seen: dict[str, tuple[Questionnaire, Question]] = {}
    for form in latest.values():
        for q in form.questions():
            if q.id not in seen:
                seen[q.id] = (form, q)
                continue
            other_form, other = seen[q.id]
            if (q.type, [o.code for o in q.options]) != (
                other.type,
                [o.code for o in other.options],
            ):
                raise QuestionnaireError(
                    f"The questionnaire file {_path_of(form)} has a problem: question {q.id} "
                    f"is also in {_path_of(other_form).name} with a different type or different "
                    "answer codes. A shared question must mean the same in both, or have its "
                    "own id."
                )


def _path_of(form: Questionnaire) -> Path:
    return questionnaire_dir() / f"{form.kind}-v{form.version}.json"


def _read_path(path: Path) -> Questionnaire:
    try:
        stat = path.stat()
    except OSError as exc:
        raise QuestionnaireError(f"The questionnaire file {path} cannot be read: {exc}") from None
    return _read(path, stat.st_mtime_ns, stat.st_size)


@cache
def _read(path: Path, _mtime_ns: int, _size: int) -> Questionnaire:
    """Parse and check one file (the stat values make an edited file be read again)."""
    try:
        raw = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise QuestionnaireError(f"The questionnaire file {path} cannot be read: {exc}") from None
    except UnicodeDecodeError:
        raise QuestionnaireError(f"The questionnaire file {path} is not UTF-8 text.") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise QuestionnaireError(
            f"The questionnaire file {path} is not valid JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}."
        ) from None
    try:
        return _parse(path, data)
    except _Bad as bad:
        raise QuestionnaireError(f"The questionnaire file {path} has a problem: {bad}") from None


class _Bad(Exception):
    """A problem inside one file; turned into a QuestionnaireError naming that file."""


def _object(value: object, where: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(f"{where} must be a JSON object.")
    missing = sorted(required - value.keys())
    if missing:
        raise _Bad(f"{where} has no {missing[0]!r}.")
    unknown = sorted(value.keys() - required - optional)
    if unknown:
        raise _Bad(f"{where} has an unknown field {unknown[0]!r} (a typing mistake?).")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Bad(f"{where} must be non-empty text.")
    return value.strip()


def _parse(path: Path, data: object) -> Questionnaire:
    top = _object(data, "The file", {"kind", "version", "title", "sections"}, set())
    match = _FILE_NAME.match(path.name)
    if not match:
        raise _Bad("the file name must look like BCST1-v1.json.")
    kind, version = top["kind"], top["version"]
    if not isinstance(kind, str) or not isinstance(version, int) or isinstance(version, bool):
        raise _Bad("'kind' must be text and 'version' a whole number.")
    if (kind, version) != (match.group(1), int(match.group(2))):
        raise _Bad(
            f"it says it is {kind} version {version}, but its name says "
            f"{match.group(1)} version {match.group(2)}."
        )
    title = _text(top["title"], "The title")
    raw_sections = top["sections"]
    if not isinstance(raw_sections, list) or not raw_sections:
        raise _Bad("'sections' must be a non-empty list.")

    all_ids = {
        q.get("id")
        for sec in raw_sections
        if isinstance(sec, dict) and isinstance(sec.get("questions"), list)
        for q in sec["questions"]
        if isinstance(q, dict)
    }
    sections: list[Section] = []
    section_ids: set[str] = set()
    questions: dict[str, Question] = {}
    for s_index, raw_section in enumerate(raw_sections, 1):
        where = f"section {s_index}"
        sec = _object(
            raw_section, where.capitalize(), {"id", "title", "pathway", "questions"}, set()
        )
        sid = sec["id"]
        if not isinstance(sid, str) or not _SECTION_ID.match(sid):
            raise _Bad(f"{where} needs an id in lower case letters, digits and _.")
        where = f"section {sid}"
        if sid in section_ids:
            raise _Bad(f"there are two sections with the id {sid}.")
        section_ids.add(sid)
        pathway = sec["pathway"]
        if pathway not in PATHWAYS:
            raise _Bad(
                f"{where} has an unknown pathway {pathway!r}; use one of {', '.join(PATHWAYS)}."
            )
        raw_questions = sec["questions"]
        if not isinstance(raw_questions, list) or not raw_questions:
            raise _Bad(f"{where} must have a non-empty list of questions.")
        parsed = tuple(
            _question(raw, f"{where}, question {i}", pathway, questions, all_ids)
            for i, raw in enumerate(raw_questions, 1)
        )
        sections.append(Section(sid, _text(sec["title"], f"The title of {where}"), pathway, parsed))
    return Questionnaire(kind, version, title, tuple(sections))


def _question(
    raw: object, where: str, pathway: str, earlier: dict[str, Question], all_ids: set[object]
) -> Question:
    """One question; `earlier` holds the questions before it and gains this one."""
    item = _object(
        raw, where.capitalize(), {"id", "text", "type", "required"}, {"help", "options", "show_if"}
    )
    qid = item["id"]
    if not isinstance(qid, str) or not _CODE.match(qid):
        raise _Bad(f"{where} needs an id in capitals, digits and _ (like WHERE_DID_THEY_LIVE).")
    where = f"question {qid}"
    if qid in earlier:
        raise _Bad(f"the id {qid} is used by two questions.")
    text = _text(item["text"], f"The text of {where}")
    qtype = item["type"]
    if qtype not in QUESTION_TYPES:
        raise _Bad(
            f"{where} has an unknown type {qtype!r}; use one of {', '.join(QUESTION_TYPES)}."
        )
    required = item["required"]
    if not isinstance(required, bool):
        raise _Bad(f"'required' of {where} must be true or false.")
    help_text = item.get("help", "")
    if not isinstance(help_text, str):
        raise _Bad(f"the help of {where} must be text.")
    options = _options(item.get("options"), qtype, where)
    show_if = _show_if(item.get("show_if"), where, earlier, all_ids)
    question = Question(qid, text, qtype, pathway, required, options, show_if, help_text.strip())
    earlier[qid] = question
    return question


def _options(raw: object, qtype: str, where: str) -> tuple[Option, ...]:
    if qtype not in CHOICE_TYPES:
        if raw:
            raise _Bad(f"{where} is a {qtype} question, so it cannot have options.")
        return ()
    if not isinstance(raw, list) or not raw:
        raise _Bad(f"{where} is a {qtype} question, so it needs a list of options.")
    options: list[Option] = []
    for index, item in enumerate(raw, 1):
        opt = _object(item, f"Option {index} of {where}", {"code", "label"}, {"exclusive"})
        code = opt["code"]
        if not isinstance(code, str) or not _CODE.match(code):
            raise _Bad(f"option {index} of {where} needs a code in capitals, digits and _.")
        if any(o.code == code for o in options):
            raise _Bad(f"{where} has the option {code} twice.")
        exclusive = opt.get("exclusive", False)
        if not isinstance(exclusive, bool):
            raise _Bad(f"'exclusive' of option {code} in {where} must be true or false.")
        if exclusive and qtype != "multi":
            raise _Bad(
                f"option {code} of {where} is exclusive, which only a multi question can have."
            )
        options.append(
            Option(code, _text(opt["label"], f"The label of option {code} in {where}"), exclusive)
        )
    return tuple(options)


def _show_if(
    raw: object, where: str, earlier: dict[str, Question], all_ids: set[object]
) -> Condition | None:
    if raw is None:
        return None
    cond = _object(raw, f"The show_if of {where}", {"question", "any_of"}, set())
    target, codes = cond["question"], cond["any_of"]
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
        raise _Bad(f"the show_if of {where} needs 'any_of': a non-empty list of answer codes.")
    if not isinstance(target, str) or target not in all_ids:
        raise _Bad(
            f"the show_if of {where} refers to {target!r}, which is not a question in this form."
        )
    if target not in earlier:
        raise _Bad(
            f"the show_if of {where} refers to {target}, which does not come before it; "
            "a question can only depend on an earlier one."
        )
    parent = earlier[target]
    valid = {o.code for o in parent.options}
    if parent.type not in CHOICE_TYPES:
        raise _Bad(f"the show_if of {where} refers to {target}, which has no answer codes.")
    for code in codes:
        if code not in valid:
            raise _Bad(f"the show_if of {where} uses {code!r}, which is not an answer to {target}.")
    return Condition(target, tuple(codes))
