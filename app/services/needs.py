"""Support needs: proposed by rules from screening answers, then accepted, edited or declined.

A rule only ever proposes; staff decide. A need that is already recorded for a woman (whatever
its status, declined included) is never proposed again, so a decision is not undone silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.audit_actions import Action, RecordType
from app.domain.codes import NeedReview, NeedStatus, Owner, Pathway
from app.domain.needs_rules import NeedTemplate
from app.domain.roles import Permission
from app.domain.timezone import now_utc, today_london
from app.domain.working_days import WorkingCalendar
from app.errors import NotFound, UserError
from app.services.workspace import Workspace
from app.store.models import NeedAction, SupportNeed

# Kept under their old names for callers; the values are NeedReview's ("accepted", …).
PROPOSED, ACCEPTED, DECLINED = NeedReview.PROPOSED, NeedReview.ACCEPTED, NeedReview.DECLINED


@dataclass(frozen=True)
class ActionView:
    id: int
    title: str
    due_date: date | None
    done_at: datetime | None


@dataclass(frozen=True)
class NeedView:
    id: int
    code: str
    title: str
    pathway: Pathway
    owner: Owner
    status: NeedStatus
    review: NeedReview
    decline_reason: str
    rule_id: str
    actions: tuple[ActionView, ...]


def _view(need: SupportNeed, actions: list[NeedAction]) -> NeedView:
    return NeedView(
        need.id, need.code, need.title, need.pathway, need.owner, need.status, need.review,
        need.decline_reason, need.rule_id,
        tuple(ActionView(a.id, a.title, a.due_date, a.done_at) for a in actions),
    )  # fmt: skip


def needs_for(ws: Workspace, person_id: int) -> list[NeedView]:
    ws.require(Permission.VIEW_PEOPLE)
    with ws.read() as session:
        needs = session.scalars(
            select(SupportNeed).where(SupportNeed.person_id == person_id).order_by(SupportNeed.id)
        ).all()
        actions: dict[int, list[NeedAction]] = {n.id: [] for n in needs}
        if needs:
            for action in session.scalars(
                select(NeedAction).where(NeedAction.need_id.in_(actions)).order_by(NeedAction.id)
            ):
                actions[action.need_id].append(action)
        return [_view(n, actions[n.id]) for n in needs]


def propose(session: Session, person_id: int, templates: list[NeedTemplate],
            calendar: WorkingCalendar, username: str, today: date | None = None) -> list[str]:
    """Inside a screening transaction: add the needs not yet recorded; return their codes."""
    today = today or today_london()
    known = set(session.scalars(select(SupportNeed.code).where(SupportNeed.person_id == person_id)))
    at = now_utc()
    fresh = [
        (template, SupportNeed(
            person_id=person_id, code=template.code, title=template.title,
            pathway=template.pathway, owner=template.owner, status=NeedStatus.NOT_STARTED,
            review=PROPOSED, decline_reason="", rule_id=template.rule_id, created_at=at,
            updated_at=at, updated_by=username,
        ))  # fmt: skip
        for template in templates
        if template.code not in known
    ]
    session.add_all(need for _, need in fresh)
    session.flush()  # once, for the ids the actions point at
    session.add_all(
        NeedAction(need_id=need.id, title=action.title,
                   due_date=calendar.add_working_days(today, action.due_working_days))
        for template, need in fresh
        for action in template.actions
    )
    return [template.code for template, _ in fresh]


def _need(session: Session, need_id: int) -> SupportNeed:
    need = session.get(SupportNeed, need_id)
    if need is None:
        raise NotFound("That need no longer exists.")
    return need


def accept(ws: Workspace, need_id: int, *, title: str | None = None, owner: str | None = None
           ) -> None:
    """Accept a proposed need, optionally reworded or given to another owner."""
    ws.require(Permission.EDIT_PEOPLE)
    with ws.operation(Action.NEED_ACCEPTED, RecordType.SUPPORT_NEED, need_id) as (session, entry):
        need = _need(session, need_id)
        changed = []
        if title is not None and " ".join(title.split()) != need.title:
            cleaned = " ".join(title.split())
            if not cleaned:
                raise UserError("A need needs a title.")
            need.title = cleaned[:200]
            changed.append("title")
        if owner is not None and owner != need.owner:
            if owner not in Owner._value2member_map_:
                raise UserError("The owner is the prison, probation or the CRS provider.")
            need.owner = owner
            changed.append("owner")
        need.review = ACCEPTED
        if need.status == NeedStatus.DECLINED:
            need.status = NeedStatus.NOT_STARTED
        need.decline_reason = ""
        need.updated_at, need.updated_by = now_utc(), ws.user.username
        entry.detail = "fields=" + ",".join(changed) if changed else ""


def decline(ws: Workspace, need_id: int, reason: str) -> None:
    ws.require(Permission.EDIT_PEOPLE)
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise UserError("Give a reason for declining this need (she declined, already met, …).")
    with ws.operation(Action.NEED_DECLINED, RecordType.SUPPORT_NEED, need_id) as (session, _entry):
        need = _need(session, need_id)
        need.review, need.status, need.decline_reason = DECLINED, NeedStatus.DECLINED, cleaned
        need.updated_at, need.updated_by = now_utc(), ws.user.username


def set_status(ws: Workspace, need_id: int, status: str) -> None:
    ws.require(Permission.EDIT_PEOPLE)
    if status not in NeedStatus._value2member_map_ or status == NeedStatus.DECLINED:
        raise UserError("Use Decline, with a reason, to decline a need.")
    with ws.operation(Action.NEED_STATUS_CHANGED, RecordType.SUPPORT_NEED, need_id) as (session,
                      entry):
        need = _need(session, need_id)
        if need.review != ACCEPTED:
            raise UserError("Accept the need before you change its status.")
        need.status = NeedStatus(status)
        need.updated_at, need.updated_by = now_utc(), ws.user.username
        entry.detail = f"status={status}"


def mark_action(ws: Workspace, action_id: int, done: bool) -> None:
    ws.require(Permission.EDIT_PEOPLE)
    with ws.operation(Action.NEED_ACTION_MARKED, RecordType.NEED_ACTION, action_id) as (session,
                      entry):
        action = session.get(NeedAction, action_id)
        if action is None:
            raise NotFound("That action no longer exists.")
        action.done_at = now_utc() if done else None
        entry.detail = f"done={int(done)}"
