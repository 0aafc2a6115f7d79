"""aggregated_solutions: the labels of each aggregate-by-pool operation

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aggregated_solutions",
        sa.Column("operation_id", sa.String(length=64), nullable=False),
        sa.Column("task_id", sa.String(length=32), nullable=False),
        sa.Column("pool_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("output_values", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("operation_id", "task_id"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("aggregated_solutions")
