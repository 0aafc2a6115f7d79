"""user_bonuses: bonuses requesters give workers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "user_bonuses",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("worker_id", ID, nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.String(length=32), nullable=True),
        sa.Column("private_comment", sa.Text(), nullable=True),
        sa.Column("public_title", sa.JSON(), nullable=True),
        sa.Column("public_message", sa.JSON(), nullable=True),
        sa.Column("without_message", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["assignment_id"], ["assignments.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["requesters.id"]),
        sa.ForeignKeyConstraint(["worker_id"], ["workers.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_user_bonuses_owner_id_id", "user_bonuses", ["owner_id", "id"])
    op.create_index("ix_user_bonuses_worker_id", "user_bonuses", ["worker_id"])


def downgrade() -> None:
    op.drop_index("ix_user_bonuses_worker_id", table_name="user_bonuses")
    op.drop_index("ix_user_bonuses_owner_id_id", table_name="user_bonuses")
    op.drop_table("user_bonuses")
