"""skills

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "skills",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("training_pool_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["requesters.id"], name=op.f("fk_skills_owner_id_requesters")),
        sa.ForeignKeyConstraint(
            ["training_pool_id"], ["pools.id"], name=op.f("fk_skills_training_pool_id_pools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skills")),
        sa.UniqueConstraint("training_pool_id", name=op.f("uq_skills_training_pool_id")),
    )
    op.create_table(
        "user_skills",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("skill_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("worker_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("modified", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["skill_id"], ["skills.id"], name=op.f("fk_user_skills_skill_id_skills")),
        sa.ForeignKeyConstraint(["worker_id"], ["workers.id"], name=op.f("fk_user_skills_worker_id_workers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_skills")),
        sa.UniqueConstraint("skill_id", "worker_id", name=op.f("uq_user_skills_skill_id_worker_id")),
    )
    with op.batch_alter_table("user_skills", schema=None) as batch_op:
        batch_op.create_index("ix_user_skills_worker_id", ["worker_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("user_skills", schema=None) as batch_op:
        batch_op.drop_index("ix_user_skills_worker_id")

    op.drop_table("user_skills")
    op.drop_table("skills")
