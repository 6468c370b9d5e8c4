"""Induction screening (BCST1, BCST2), its change history, support needs, actions, closure days.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("questionnaire_version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("answers", sa.Text, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("started_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("completed_at", sa.DateTime),
        sa.Column("completed_by", sa.String(64)),
        sa.Column("skip_reason", sa.String(32), nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ux_screenings_person_kind", "screenings", ["person_id", "kind"], unique=True)
    op.create_index(
        "ix_screenings_queue", "screenings", ["person_id", "kind", "completed_at", "status"]
    )
    op.create_table(
        "screening_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("screening_id", sa.Integer, sa.ForeignKey("screenings.id"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
    )
    op.create_index("ix_screening_changes_screening_id", "screening_changes", ["screening_id"])
    op.create_table(
        "support_needs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("pathway", sa.String(40), nullable=False),
        sa.Column("owner", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("review", sa.String(12), nullable=False),
        sa.Column("decline_reason", sa.Text, nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_index(
        "ux_support_needs_person_code", "support_needs", ["person_id", "code"], unique=True
    )
    op.create_table(
        "need_actions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("need_id", sa.Integer, sa.ForeignKey("support_needs.id"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("due_date", sa.Date),
        sa.Column("done_at", sa.DateTime),
    )
    op.create_index("ix_need_actions_need_id", "need_actions", ["need_id"])
    op.create_table(
        "closure_days",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("reason", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("closure_days")
    op.drop_table("need_actions")
    op.drop_table("support_needs")
    op.drop_table("screening_changes")
    op.drop_table("screenings")
