"""skills: the settings a requester gives a skill (comment, visibility, lifetime, public texts)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("skills", schema=None) as batch_op:
        batch_op.add_column(sa.Column("private_comment", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("skill_ttl_hours", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("public_name", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("public_requester_description", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("skills", schema=None) as batch_op:
        batch_op.drop_column("public_requester_description")
        batch_op.drop_column("public_name")
        batch_op.drop_column("skill_ttl_hours")
        batch_op.drop_column("hidden")
        batch_op.drop_column("private_comment")
