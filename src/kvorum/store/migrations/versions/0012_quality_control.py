"""quality_observations and quality_events: what quality-control rules count and do

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "quality_observations",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("collector", sa.String(length=36), nullable=False),
        sa.Column("worker_id", ID, nullable=False),
        sa.Column("assignment_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("golden", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["requesters.id"], name="fk_quality_observations_owner_id_requesters"
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["workers.id"], name="fk_quality_observations_worker_id_workers"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_quality_observations"),
        sa.UniqueConstraint(
            "owner_id",
            "collector",
            "assignment_id",
            "position",
            name="uq_quality_observations_once",
        ),
    )
    op.create_index(
        "ix_quality_observations_owner_id_collector_worker_id_id",
        "quality_observations",
        ["owner_id", "collector", "worker_id", "id"],
    )
    op.create_table(
        "quality_events",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("pool_id", ID, nullable=False),
        sa.Column("worker_id", ID, nullable=False),
        sa.Column("assignment_id", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("collector_type", sa.String(length=32), nullable=False),
        sa.Column("collector", sa.String(length=36), nullable=False),
        sa.Column("rule_index", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=80), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("action", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["requesters.id"], name="fk_quality_events_owner_id_requesters"
        ),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], name="fk_quality_events_pool_id_pools"),
        sa.ForeignKeyConstraint(["worker_id"], ["workers.id"], name="fk_quality_events_worker_id_workers"),
        sa.PrimaryKeyConstraint("id", name="pk_quality_events"),
        sa.UniqueConstraint(
            "owner_id",
            "collector",
            "rule_index",
            "worker_id",
            "trigger",
            name="uq_quality_events_once",
        ),
    )
    op.create_index("ix_quality_events_pool_id_id", "quality_events", ["pool_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_quality_events_pool_id_id", table_name="quality_events")
    op.drop_table("quality_events")
    op.drop_index(
        "ix_quality_observations_owner_id_collector_worker_id_id", table_name="quality_observations"
    )
    op.drop_table("quality_observations")
