"""Release day: checklists, their items and history, outcomes, post-release support contacts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "release_checklists",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False,
                  unique=True),
        sa.Column("generated_at", sa.DateTime, nullable=False),
        sa.Column("generated_by", sa.String(64), nullable=False),
        sa.Column("signed_off_at", sa.DateTime),
        sa.Column("signed_off_by", sa.String(64)),
    )
    op.create_table(
        "checklist_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("checklist_id", sa.Integer, sa.ForeignKey("release_checklists.id"),
                  nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("required", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_checklist_items_checklist_id", "checklist_items", ["checklist_id"])
    op.create_table(
        "checklist_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("checklist_id", sa.Integer, sa.ForeignKey("release_checklists.id"),
                  nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
        sa.Column("after_sign_off", sa.Boolean, nullable=False),
    )
    op.create_index("ix_checklist_events_checklist_id", "checklist_events", ["checklist_id"])
    op.create_table(
        "release_outcomes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False,
                  unique=True),
        sa.Column("released_on", sa.Date, nullable=False),
        sa.Column("accommodation_code", sa.String(8), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("sustained_12_weeks", sa.Boolean),
        sa.Column("sustained_recorded_on", sa.Date),
        sa.Column("sustained_notes", sa.Text, nullable=False),
    )
    op.create_index("ix_release_outcomes_released_on", "release_outcomes", ["released_on"])
    op.create_table(
        "support_contacts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("contacted_on", sa.Date, nullable=False),
        sa.Column("method", sa.String(24), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_support_contacts_person_id", "support_contacts", ["person_id"])


def downgrade() -> None:
    for table in ("support_contacts", "release_outcomes", "checklist_events", "checklist_items",
                  "release_checklists"):
        op.drop_table(table)
