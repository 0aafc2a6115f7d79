"""requester sessions of the web pages

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "requester_sessions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("requester_id", ID, nullable=False),
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.Column("revoked", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["requester_id"], ["requesters.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_hash"),
    )
    op.create_index("ix_requester_sessions_requester_id", "requester_sessions", ["requester_id"])


def downgrade() -> None:
    op.drop_index("ix_requester_sessions_requester_id", table_name="requester_sessions")
    op.drop_table("requester_sessions")
