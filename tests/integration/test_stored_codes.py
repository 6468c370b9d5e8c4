"""Every stored code is one its type knows: the database never holds a code nobody reads.

Needs were once stored "accepted" while the bundle looked for "ACCEPTED", so every referral
bundle said "Support needs: None recorded". Codes are now enums on the ORM columns
(app.store.models.CodeColumn); these tests make sure no road into the database (the demo, the
services, raw SQL) leaves a value the enums do not know, and that the check sees one if it does.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from app.domain.codes import NeedReview
from app.domain.timezone import now_utc
from app.services import bundles, demo, referrals, vault
from app.store.code_check import UnknownCodeFound, coded_columns, unknown_codes
from app.store.models import SupportNeed, UnknownCode


def test_every_code_family_is_checked():
    checked = {(table, column) for table, column, _type in coded_columns()}
    for expected in [("support_needs", "review"), ("support_needs", "status"),
                     ("audit_log", "action"), ("audit_log", "record_type"),
                     ("referrals", "status"), ("checklist_items", "code"),
                     ("referrals", "council_choice"), ("checklist_items", "state"),
                     ("bundles", "state"), ("bundle_events", "state"), ("users", "role"),
                     ("screenings", "kind"), ("screenings", "status"),
                     ("screenings", "skip_reason"), ("plan_tasks", "status"),
                     ("consents", "scope"), ("consents", "method"),
                     ("release_outcomes", "accommodation_code")]:
        assert expected in checked


def test_a_demo_profile_holds_only_known_codes(data_dir):
    demo.make_demo(data_dir, 60, seed=7)
    ws = vault.unlock(data_dir, demo.DEMO_USER, demo.DEMO_PASSPHRASE)
    try:
        with ws.read() as session:
            assert unknown_codes(session) == []
            # The demo is worth checking only if it stores codes at all.
            reviews = set(session.scalars(select(SupportNeed.review).distinct()))
            assert reviews and reviews <= set(NeedReview)
    finally:
        ws.lock()


def test_a_worked_record_and_its_bundle_hold_only_known_codes(workspace, woman, tmp_path):
    """Screenings, needs, plan, checklist, consent, referral, audit and the outbox."""
    referral_id = referrals.referrals_for(workspace, woman)[0].id
    bundles.ensure_identity(workspace)
    bundles.export_referral(workspace, referral_id, tmp_path)
    with workspace.read() as session:
        assert unknown_codes(session) == []


def test_a_value_written_behind_the_orms_back_is_reported(workspace, woman):
    with workspace.engine.begin() as conn:
        conn.execute(text("UPDATE people SET custody_status = 'ON_THE_MOON' WHERE id = :id"),
                     {"id": woman})
        conn.execute(text("INSERT INTO audit_log (at, username, action, record_type, record_id,"
                          " detail) VALUES ('2026-01-01 00:00:00', 'x', 'Need_Accepted', '', '',"
                          " '')"))
    with workspace.read() as session:
        found = unknown_codes(session)
    assert UnknownCodeFound("people", "custody_status", "ON_THE_MOON") in found
    assert UnknownCodeFound("audit_log", "action", "Need_Accepted") in found


def test_the_orm_refuses_an_unknown_code_and_says_which(workspace, woman):
    with workspace.read() as session, pytest.raises(StatementError, match="NeedReview") as caught:
        session.add(SupportNeed(person_id=woman, code="X", title="X", pathway="HEALTH",
                                owner="PRISON", status="NOT_STARTED", review="ACCEPTED",
                                created_at=now_utc(), updated_at=now_utc(), updated_by="x"))
        session.flush()
    assert isinstance(caught.value.orig, UnknownCode)
