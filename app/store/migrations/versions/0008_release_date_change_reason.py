"""Why an outcome's release date differs from the date on her record (fault 4).

A release recorded more than a day away from her expected date is either a real change (early
release, court outcome) or a slip of the calendar; the service asks which and keeps the answer.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Native ADD COLUMN: a batch copy of release_outcomes is not needed for one new column.
    op.add_column("release_outcomes", sa.Column("date_change_reason", sa.Text, nullable=False,
                                                server_default=""))


def downgrade() -> None:
    op.drop_column("release_outcomes", "date_change_reason")
