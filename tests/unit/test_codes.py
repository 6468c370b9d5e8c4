"""Every code family is one enum, and every table that words a code covers exactly its enum.

A code with no words shows as a code on a screen or sheet; a label with no code is dead. And
an audit action written as a bare string could drift from the one the viewer filters on, so no
`ws.operation(...)` in app/ may name its action with a string literal.
"""

from __future__ import annotations

import ast
from enum import StrEnum
from pathlib import Path

import pytest

from app.bundles import payload
from app.domain import codes, needs_rules, questionnaire, reference, referrals, release_day
from app.domain.audit_actions import Action
from app.domain.questionnaire import interpreter_needed
from app.services import bundles, planning, sheets
from app.services import release_day as release_day_service
from app.store.code_check import coded_columns

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("labels", "enum"), [
    (referrals.TYPE_LABELS, codes.ReferralType),
    (referrals.STATUS_LABELS, codes.ReferralStatus),
    (referrals.DTR_OUTCOMES, codes.DtrOutcome),
    (referrals.WITHDRAWAL_REASONS, codes.WithdrawalReason),
    (referrals.COUNCIL_CHOICE, codes.CouncilChoice),
    (referrals.CRS_SERVICES, codes.CrsService),
    (referrals.CRS_COMPLEXITY, codes.CrsComplexity),
    (referrals.CONSENT_METHODS, codes.ConsentMethod),
    (referrals.CONSENT_SCOPES, codes.ConsentScope),
    (questionnaire.PATHWAY_LABELS, codes.Pathway),
    (questionnaire.SKIP_REASONS, codes.SkipReason),
    (needs_rules.OWNER_LABELS, codes.Owner),
    (needs_rules.NEED_STATUS_LABELS, codes.NeedStatus),
    (needs_rules.NEED_REVIEW_LABELS, codes.NeedReview),
    (reference.CUSTODY_STATUSES, codes.CustodyStatus),
    ({k: v for k, v in reference.RELEASE_TYPES.items() if k}, codes.ReleaseType),
    ({k: v for k, v in reference.MAPPA_LEVELS.items() if k}, codes.MappaLevel),
    (release_day.STATE_LABELS, codes.ChecklistState),
    (release_day.ACCOMMODATION_CODES, codes.AccommodationCode),
    ({t.code for t in (*release_day.BASE_ITEMS, release_day.EMERGENCY_ACCOMMODATION)}
     | {release_day.CUSTOM_CODE}, codes.ChecklistItemCode),
    (release_day_service.CONTACT_METHODS, codes.ContactMethod),
    (planning.TASK_STATUSES, codes.TaskStatus),
    (sheets.METHODS, codes.SheetMethod),
    (bundles.STATES, codes.BundleState),
    (payload.PERSON_FIELDS, codes.ReferralType),
    (payload.DETAIL_FIELDS, codes.ReferralType),
    (payload.NEED_PATHWAYS, codes.ReferralType),
])
def test_each_wording_table_covers_exactly_its_codes(labels, enum):
    assert set(labels) == {m.value for m in enum}


def test_code_families_that_share_values_stay_in_step():
    referral_types = {t.value for t in codes.ReferralType}
    assert referral_types | {"ALL"} == {s.value for s in codes.ConsentScope}
    assert referral_types | {"TRANSFER"} == {k.value for k in codes.BundleKind}


def test_every_stored_code_fits_its_column():
    for table, column, code_type in coded_columns():
        longest = max(len(m.value) for m in code_type.codes)
        assert longest <= code_type.impl_instance.length, (table, column)


def test_audit_action_names_are_snake_case_and_unique():
    values = [a.value for a in Action]
    assert len(values) == len(set(values))
    assert all(v.replace("_", "").isalpha() and v == v.lower() for v in values)


def _operation_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "operation" and node.args):
            yield node


def test_no_operation_names_its_action_with_a_bare_string():
    bare = []
    for path in sorted((ROOT / "app").rglob("*.py")) + sorted((ROOT / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _operation_calls(tree):
            first = call.args[0]
            if isinstance(first, ast.Constant | ast.JoinedStr):
                bare.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert bare == []


def test_every_enum_here_is_a_str_enum():
    found = [v for v in vars(codes).values()
             if isinstance(v, type) and issubclass(v, StrEnum) and v is not StrEnum]
    assert len(found) >= 30
    assert all(issubclass(e, StrEnum) for e in found)


@pytest.mark.parametrize(("recorded", "answers", "expected"), [
    (False, {}, False),
    (True, {}, True),
    (False, {"NEEDS_INTERPRETER": "YES"}, True),
    (False, {"NEEDS_INTERPRETER": "NO"}, False),
    (False, {"NEEDS_INTERPRETER": "NO_ANSWER"}, False),
    (True, {"NEEDS_INTERPRETER": "NO"}, True),
])
def test_an_interpreter_is_needed_when_her_record_or_bcst1_says_so(recorded, answers, expected):
    assert interpreter_needed(recorded, answers) is expected


def test_the_bcst1_interpreter_question_is_the_one_the_rule_reads():
    question = questionnaire.load("BCST1").question(questionnaire.INTERPRETER_QUESTION)
    assert questionnaire.INTERPRETER_YES in {o.code for o in question.options}


@pytest.mark.parametrize(("field", "value", "shown"), [
    ("nationality", "SY", "Syria"),
    ("first_language", "ar", "Arabic"),
    ("council_choice", "LOCAL_CONNECTION", "Local connection"),
    ("custody_status", "REMAND", "Remand"),
    ("release_type", "HDC", "Home detention curfew"),
    ("complexity", "MEDIUM", "Medium"),
    ("service_category", "WOMENS_SERVICES", "Women's services"),
    ("date_of_birth", "1990-05-17", "17/05/1990"),
    ("interpreter_needed", True, "Yes"),
    ("release_type", "", "(not known)"),
    ("council_choice", "SOMETHING_NEW", "SOMETHING_NEW"),  # shown as sent, never hidden
])
def test_the_preview_words_a_code(field, value, shown):
    assert payload.preview_value(field, value) == shown
