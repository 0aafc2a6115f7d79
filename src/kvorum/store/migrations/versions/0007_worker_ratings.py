"""worker ratings

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker_ratings",
        sa.Column("worker_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("control_answers", sa.Integer(), server_default="0", nullable=False),
        sa.Column("control_correct", sa.Float(), server_default="0", nullable=False),
        sa.Column("reviewed", sa.Integer(), server_default="0", nullable=False),
        sa.Column("accepted", sa.Integer(), server_default="0", nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("last_active", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["workers.id"], name=op.f("fk_worker_ratings_worker_id_workers")
        ),
        sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_worker_ratings")),
    )
    with op.batch_alter_table("worker_ratings", schema=None) as batch_op:
        batch_op.create_index("ix_worker_ratings_score_worker_id", ["score", "worker_id"], unique=False)
        batch_op.create_index("ix_worker_ratings_last_active", ["last_active"], unique=False)


def downgrade() -> None:
    op.drop_table("worker_ratings")
