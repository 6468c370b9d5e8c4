"""Initial schema: settings, users, people, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("must_change_passphrase", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("prison_number", sa.String(7), nullable=False, unique=True),
        sa.Column("family_name", sa.String(100), nullable=False),
        sa.Column("given_names", sa.String(150), nullable=False),
        sa.Column("aliases", sa.Text, nullable=False),
        sa.Column("date_of_birth", sa.Date, nullable=False),
        sa.Column("nationality", sa.String(8), nullable=False),
        sa.Column("first_language", sa.String(16), nullable=False),
        sa.Column("interpreter_needed", sa.Boolean, nullable=False),
        sa.Column("custody_status", sa.String(32), nullable=False),
        sa.Column("reception_at", sa.DateTime, nullable=False),
        sa.Column("release_date", sa.Date),
        sa.Column("release_time", sa.Time),
        sa.Column("release_type", sa.String(32), nullable=False),
        sa.Column("home_local_authority", sa.String(9), nullable=False),
        sa.Column("mappa_level", sa.String(8), nullable=False),
        sa.Column("pom_name", sa.String(120), nullable=False),
        sa.Column("cpp_name", sa.String(120), nullable=False),
        sa.Column("key_worker_name", sa.String(120), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_people_release_date", "people", ["release_date"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("record_type", sa.String(40), nullable=False),
        sa.Column("record_id", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("people")
    op.drop_table("users")
    op.drop_table("settings")
