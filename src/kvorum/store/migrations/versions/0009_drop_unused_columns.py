"""drop operations.attempts and tasks.origin_task_id, which nothing reads

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35+, as RETURNING needs): no copy of the tasks table.
    op.drop_column("operations", "attempts")
    op.drop_column("tasks", "origin_task_id")


def downgrade() -> None:
    op.add_column("tasks", sa.Column("origin_task_id", sa.String(length=32), nullable=True))
    op.add_column("operations", sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
