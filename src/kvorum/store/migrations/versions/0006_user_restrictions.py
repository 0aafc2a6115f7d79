"""user restrictions

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "user_restrictions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("worker_id", ID, nullable=False),
        sa.Column("project_id", ID, nullable=True),
        sa.Column("pool_id", ID, nullable=True),
        sa.Column("target_id", sa.BigInteger(), nullable=False),
        sa.Column("private_comment", sa.Text(), nullable=True),
        sa.Column("will_expire", sa.DateTime(), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["requesters.id"], name=op.f("fk_user_restrictions_owner_id_requesters")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["workers.id"], name=op.f("fk_user_restrictions_worker_id_workers")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_user_restrictions_project_id_projects")
        ),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], name=op.f("fk_user_restrictions_pool_id_pools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_restrictions")),
        sa.UniqueConstraint(
            "owner_id",
            "worker_id",
            "scope",
            "target_id",
            name=op.f("uq_user_restrictions_owner_id_worker_id_scope_target_id"),
        ),
    )
    with op.batch_alter_table("user_restrictions", schema=None) as batch_op:
        batch_op.create_index("ix_user_restrictions_owner_id_id", ["owner_id", "id"], unique=False)
        batch_op.create_index("ix_user_restrictions_worker_id", ["worker_id"], unique=False)


def downgrade() -> None:
    op.drop_table("user_restrictions")
