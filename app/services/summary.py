"""The BCST summary PDF for the paper file: a deliberate export, so it is audited.

Printing it is one user action: one transaction, one audit entry ("bcst_summary_printed"), and
the file saved whole inside it, so the audit log records a summary exactly when one was saved.
Her record is read without the "person_viewed" entry that opening it on screen makes.
"""

from __future__ import annotations

from pathlib import Path

from app.domain import reference
from app.domain.audit_actions import Action, RecordType
from app.domain.codes import ScreeningKind
from app.domain.dates import uk_date
from app.domain.roles import Permission
from app.domain.screening_deadlines import deadlines
from app.domain.timezone import now_utc
from app.errors import NotFound
from app.services import needs, screening, settings
from app.services.calendar import working_calendar
from app.services.workspace import Workspace
from app.store.models import Person


def write_bcst_summary(ws: Workspace, person_id: int, out: Path) -> Path:
    """Save her BCST summary to `out` and record it; UserError (nothing recorded) if it cannot
    be saved."""
    from app.documents.bcst_summary import (
        SummaryAction,
        SummaryNeed,
        SummaryPerson,
        SummaryQuestion,
        SummaryScreening,
        SummarySection,
        render_bcst_summary,
    )

    ws.require(Permission.VIEW_PEOPLE)
    ws.require(Permission.EXPORT)
    with ws.read() as session:
        d = session.get(Person, person_id)
    if d is None:
        raise NotFound("That record no longer exists.")
    states = screening.screenings_for(ws, person_id)
    assert d.reception_at is not None and d.date_of_birth is not None
    first, second = deadlines(d.reception_at, states[ScreeningKind.BCST1].completed_at,
                              states[ScreeningKind.BCST2].completed_at, working_calendar(ws))
    due = {ScreeningKind.BCST1: first.due, ScreeningKind.BCST2: second.due}
    la = reference.local_authorities().get(d.home_local_authority)
    person = SummaryPerson(
        prison_number=d.prison_number,
        name=f"{d.family_name.upper()}, {d.given_names}",
        date_of_birth=d.date_of_birth,
        custody_status=reference.CUSTODY_STATUSES.get(d.custody_status, d.custody_status),
        reception_at=d.reception_at,
        release=uk_date(d.release_date) if d.release_date else "Unknown",
        nationality=reference.countries().get(d.nationality, d.nationality),
        language=reference.languages().get(d.first_language, d.first_language)
        + (" (needs an interpreter)" if d.interpreter_needed else ""),
        home_council=la.name if la else "",
    )
    docs = []
    for kind, state in states.items():
        form = state.form
        sections = tuple(
            SummarySection(
                section.title,
                tuple(
                    SummaryQuestion(q.text, q.display(state.answers.get(q.id))
                                    if q.id in state.answers else "")
                    for q in section.questions
                    if form.is_visible(q, state.answers)
                ),
            )
            for section in form.sections
        )
        docs.append(SummaryScreening(
            kind=kind, title=form.title, version=state.questionnaire_version,
            status=state.status, completed_at=state.completed_at,
            completed_by=state.completed_by, due=due[kind],
            skip_reason=screening.SKIP_REASONS.get(state.skip_reason, ""), sections=sections,
        ))  # fmt: skip
    need_docs = [
        SummaryNeed(
            title=n.title, pathway=n.pathway, owner=n.owner, status=n.status, review=n.review,
            decline_reason=n.decline_reason,
            actions=tuple(SummaryAction(a.title, a.due_date, a.done_at is not None)
                          for a in n.actions),
        )  # fmt: skip
        for n in needs.needs_for(ws, person_id)
    ]
    data = render_bcst_summary(
        establishment=settings.establishment(ws), person=person, screenings=docs,
        needs=need_docs, generated_at=now_utc(), generated_by=ws.user.display_name,
    )  # fmt: skip
    with ws.operation_with_file(out, Action.BCST_SUMMARY_PRINTED, RecordType.PERSON,
                                person_id) as (*_, save):
        save(data)
    return out
