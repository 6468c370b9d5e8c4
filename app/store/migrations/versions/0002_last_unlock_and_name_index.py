"""Record each user's last unlock; index family names for the caseload's default sort.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("last_unlock_at", sa.DateTime))
    op.create_index("ix_people_family_name", "people", ["family_name"])


def downgrade() -> None:
    op.drop_index("ix_people_family_name", "people")
    # Native DROP COLUMN (SQLite 3.35+): a batch copy would drop `users`, which audit_log
    # refers to, and fail the foreign key check on any database that has been used.
    op.drop_column("users", "last_unlock_at")
