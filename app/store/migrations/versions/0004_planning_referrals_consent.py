"""Pre-release planning: plans and tasks, consent, referrals and their history, court dates,
transfers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False,
                  unique=True),
        sa.Column("started_on", sa.Date, nullable=False),
        sa.Column("started_by", sa.String(64), nullable=False),
        sa.Column("handover_to", sa.String(120), nullable=False),
        sa.Column("handover_on", sa.Date),
        sa.Column("cpp_allocated_on", sa.Date),
        sa.Column("tenancy_advice_offered_on", sa.Date),
        sa.Column("accommodation_identified_on", sa.Date),
        sa.Column("accommodation_summary", sa.Text, nullable=False),
        sa.Column("dtr_needed", sa.Boolean, nullable=False),
        sa.Column("crs_needed", sa.Boolean, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "plan_tasks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("pathway", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(16), nullable=False),
        sa.Column("due_date", sa.Date),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("source", sa.String(80), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_plan_tasks_plan_id", "plan_tasks", ["plan_id"])
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("shared_with", sa.String(200), nullable=False),
        sa.Column("given_on", sa.Date, nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("withdrawn_on", sa.Date),
        sa.Column("withdrawn_by", sa.String(64)),
        sa.Column("notes", sa.Text, nullable=False),
    )
    op.create_index("ix_consents_person_id", "consents", ["person_id"])
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("type", sa.String(24), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("council_code", sa.String(9), nullable=False),
        sa.Column("council_choice", sa.String(24), nullable=False),
        sa.Column("other_council_reason", sa.Text, nullable=False),
        sa.Column("reference", sa.String(80), nullable=False),
        sa.Column("submitted_on", sa.Date),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("outcome_on", sa.Date),
        sa.Column("withdrawal_reason", sa.String(40), nullable=False),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("crs_service", sa.String(40), nullable=False),
        sa.Column("complexity", sa.String(8), nullable=False),
        sa.Column("desired_outcomes", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("consent_exception", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_referrals_person_id", "referrals", ["person_id"])
    op.create_table(
        "referral_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
    )
    op.create_index("ix_referral_events_referral_id", "referral_events", ["referral_id"])
    op.create_table(
        "court_dates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("hearing_on", sa.Date, nullable=False),
        sa.Column("court", sa.String(200), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
    )
    op.create_index("ix_court_dates_person_id", "court_dates", ["person_id"])
    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False,
                  unique=True),
        sa.Column("transferred_on", sa.Date, nullable=False),
        sa.Column("destination", sa.String(200), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("transfers", "court_dates", "referral_events", "referrals", "consents",
                  "plan_tasks", "plans"):
        op.drop_table(table)
