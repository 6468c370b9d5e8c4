"""Signed bundles: the team's signing identities, the outbox and its state history.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signing_identities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("fingerprint", sa.String(100), nullable=False, unique=True),
        sa.Column("certificate_pem", sa.Text, nullable=False),
        sa.Column("key_pem", sa.Text, nullable=False),
        sa.Column("not_after", sa.DateTime, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("retired_at", sa.DateTime),
    )
    op.create_table(
        "bundles",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("bundle_type", sa.String(12), nullable=False),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id")),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("referral_type", sa.String(24), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("encrypted_to", sa.String(300), nullable=False),
        sa.Column("signer_fingerprint", sa.String(100), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("superseded_by", sa.String(36)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_bundles_referral_id", "bundles", ["referral_id"])
    op.create_index("ix_bundles_person_id", "bundles", ["person_id"])
    op.create_table(
        "bundle_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("bundle_id", sa.String(36), sa.ForeignKey("bundles.id"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_bundle_events_bundle_id", "bundle_events", ["bundle_id"])


def downgrade() -> None:
    op.drop_table("bundle_events")
    op.drop_table("bundles")
    op.drop_table("signing_identities")
