"""Information sheets: the service directory (pre-listed names only) and sheets given.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    directory = op.create_table(
        "service_directory",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation", sa.String(120), nullable=False),
        sa.Column("service", sa.String(160), nullable=False),
        sa.Column("phone", sa.String(24), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("hours", sa.String(160), nullable=False),
        sa.Column("languages", sa.Text, nullable=False),
        sa.Column("topics", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "sheets_given",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("sheet_id", sa.String(40), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("bilingual", sa.Boolean, nullable=False),
        sa.Column("review_status", sa.String(12), nullable=False),
        sa.Column("method", sa.String(12), nullable=False),
        sa.Column("given_at", sa.DateTime, nullable=False),
        sa.Column("given_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_sheets_given_person_id", "sheets_given", ["person_id"])
    op.create_index("ix_sheets_given_given_at", "sheets_given", ["given_at"])
    # Names from the source documents only: contact details are the team's to add.
    from app.domain.directory import PRELISTED

    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(directory, [
        {"organisation": name, "service": service, "phone": "", "address": "", "hours": "",
         "languages": "", "topics": " ".join(topics), "position": position, "active": True,
         "updated_at": now, "updated_by": "resettle"}
        for position, (name, service, topics) in enumerate(PRELISTED)
    ])


def downgrade() -> None:
    op.drop_table("sheets_given")
    op.drop_table("service_directory")
