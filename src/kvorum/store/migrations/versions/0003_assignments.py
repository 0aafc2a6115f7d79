"""assignments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assignments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("pool_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("task_suite_id", sa.String(length=32), nullable=False),
        sa.Column("worker_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reward", sa.Float(), nullable=False),
        sa.Column("mixed", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.Column("submitted", sa.DateTime(), nullable=True),
        sa.Column("accepted", sa.DateTime(), nullable=True),
        sa.Column("rejected", sa.DateTime(), nullable=True),
        sa.Column("skipped", sa.DateTime(), nullable=True),
        sa.Column("expired", sa.DateTime(), nullable=True),
        sa.Column("public_comment", sa.Text(), nullable=True),
        sa.Column("tasks", sa.JSON(), nullable=False),
        sa.Column("solutions", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["requesters.id"], name=op.f("fk_assignments_owner_id_requesters")
        ),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], name=op.f("fk_assignments_pool_id_pools")),
        sa.ForeignKeyConstraint(["worker_id"], ["workers.id"], name=op.f("fk_assignments_worker_id_workers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index("ix_assignments_owner_id_id", ["owner_id", "id"], unique=False)
        batch_op.create_index("ix_assignments_pool_id_worker_id", ["pool_id", "worker_id"], unique=False)
        batch_op.create_index("ix_assignments_status_expires", ["status", "expires"], unique=False)

    op.create_table(
        "assignment_tasks",
        sa.Column("assignment_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=32), nullable=False),
        sa.Column("pool_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("worker_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"], ["assignments.id"], name=op.f("fk_assignment_tasks_assignment_id_assignments")
        ),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], name=op.f("fk_assignment_tasks_pool_id_pools")),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["workers.id"], name=op.f("fk_assignment_tasks_worker_id_workers")
        ),
        sa.PrimaryKeyConstraint("assignment_id", "position", name=op.f("pk_assignment_tasks")),
        sa.UniqueConstraint(
            "pool_id", "worker_id", "task_id", name=op.f("uq_assignment_tasks_pool_id_worker_id_task_id")
        ),
    )
    with op.batch_alter_table("assignment_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignment_tasks_task_id"), ["task_id"], unique=False)
    op.bulk_insert(
        sa.table("id_counters", sa.column("name", sa.String), sa.column("value", sa.BigInteger)),
        [{"name": "assignment", "value": 0}],
    )


def downgrade() -> None:
    op.execute("DELETE FROM id_counters WHERE name = 'assignment'")
    with op.batch_alter_table("assignment_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_tasks_task_id"))

    op.drop_table("assignment_tasks")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_assignments_status_expires")
        batch_op.drop_index("ix_assignments_pool_id_worker_id")
        batch_op.drop_index("ix_assignments_owner_id_id")

    op.drop_table("assignments")
