"""ledger_entries: one ledger of what workers earn, filled from accepted assignments and bonuses

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MICRO_USD = 1_000_000
"""Ledger amounts are micro-USD; bonuses were stored in cents."""
BATCH = 1_000

entries = sa.table(
    "ledger_entries",
    sa.column("worker_id"),
    sa.column("owner_id"),
    sa.column("kind"),
    sa.column("amount"),
    sa.column("assignment_id"),
    sa.column("bonus_id"),
    sa.column("created"),
)
assignments = sa.table(
    "assignments",
    sa.column("id"),
    sa.column("owner_id"),
    sa.column("worker_id"),
    sa.column("status"),
    sa.column("reward"),
    sa.column("accepted"),
)
user_bonuses = sa.table(
    "user_bonuses",
    sa.column("id"),
    sa.column("owner_id"),
    sa.column("worker_id"),
    sa.column("amount_cents"),
    sa.column("assignment_id"),
    sa.column("created"),
)


def upgrade() -> None:
    op.create_table(
        "ledger_entries",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("worker_id", ID, nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("assignment_id", sa.String(length=32), nullable=True),
        sa.Column("bonus_id", ID, nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'REWARD' AND assignment_id IS NOT NULL AND bonus_id IS NULL)"
            " OR (kind = 'BONUS' AND bonus_id IS NOT NULL)",
            name="ck_ledger_entries_kind",
        ),
        sa.ForeignKeyConstraint(["assignment_id"], ["assignments.id"]),
        sa.ForeignKeyConstraint(["bonus_id"], ["user_bonuses.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["requesters.id"]),
        sa.ForeignKeyConstraint(["worker_id"], ["workers.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bonus_id"),
    )
    op.create_index(
        "uq_ledger_entries_reward_assignment_id",
        "ledger_entries",
        ["assignment_id"],
        unique=True,
        sqlite_where=sa.text("kind = 'REWARD'"),
        postgresql_where=sa.text("kind = 'REWARD'"),
    )
    op.create_index("ix_ledger_entries_worker_id_kind", "ledger_entries", ["worker_id", "kind"])
    conn = op.get_bind()
    for batch in _rewards(conn):
        conn.execute(entries.insert(), batch)
    conn.execute(
        entries.insert().from_select(
            ["worker_id", "owner_id", "kind", "amount", "assignment_id", "bonus_id", "created"],
            sa.select(
                user_bonuses.c.worker_id,
                user_bonuses.c.owner_id,
                sa.literal("BONUS"),
                user_bonuses.c.amount_cents * (MICRO_USD // 100),
                user_bonuses.c.assignment_id,
                user_bonuses.c.id,
                user_bonuses.c.created,
            ).order_by(user_bonuses.c.id),
        )
    )


def _rewards(conn: sa.Connection) -> Iterator[list[dict[str, Any]]]:
    """The rewards of accepted assignments, in batches; converted as the running code converts them
    (Python's round), so that the filled ledger and the new entries agree to the micro-USD."""
    query = (
        sa.select(assignments)
        .where(assignments.c.status == "ACCEPTED", assignments.c.reward > 0)
        .order_by(assignments.c.accepted, assignments.c.id)
    )
    for rows in conn.execute(query, execution_options={"yield_per": BATCH}).partitions():
        yield [
            {
                "worker_id": row.worker_id,
                "owner_id": row.owner_id,
                "kind": "REWARD",
                "amount": round(row.reward * MICRO_USD),
                "assignment_id": row.id,
                "bonus_id": None,
                "created": row.accepted,
            }
            for row in rows
        ]


def downgrade() -> None:
    op.drop_index("ix_ledger_entries_worker_id_kind", table_name="ledger_entries")
    op.drop_index("uq_ledger_entries_reward_assignment_id", table_name="ledger_entries")
    op.drop_table("ledger_entries")
