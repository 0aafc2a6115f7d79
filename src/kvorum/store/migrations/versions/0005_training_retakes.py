"""training retakes: attempts and expiring skills

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempt", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("assignment_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempt", sa.Integer(), server_default="0", nullable=False))
        batch_op.drop_constraint("uq_assignment_tasks_pool_id_worker_id_task_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_assignment_tasks_pool_id_worker_id_attempt_task_id",
            ["pool_id", "worker_id", "attempt", "task_id"],
        )
    with op.batch_alter_table("user_skills", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user_skills", schema=None) as batch_op:
        batch_op.drop_column("expires")
    with op.batch_alter_table("assignment_tasks", schema=None) as batch_op:
        batch_op.drop_constraint("uq_assignment_tasks_pool_id_worker_id_attempt_task_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_assignment_tasks_pool_id_worker_id_task_id", ["pool_id", "worker_id", "task_id"]
        )
        batch_op.drop_column("attempt")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_column("attempt")
