"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "id_counters",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_id_counters")),
    )
    op.create_table(
        "requesters",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requesters")),
        sa.UniqueConstraint("name", name=op.f("uq_requesters_name")),
    )
    op.create_table(
        "api_tokens",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("requester_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["requesters.id"], name=op.f("fk_api_tokens_requester_id_requesters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_requester_id"), ["requester_id"], unique=False)

    op.create_table(
        "operations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted", sa.DateTime(), nullable=False),
        sa.Column("started", sa.DateTime(), nullable=True),
        sa.Column("finished", sa.DateTime(), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("claim", sa.String(length=32), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["requesters.id"], name=op.f("fk_operations_owner_id_requesters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations")),
    )
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.create_index("ix_operations_owner_id_id", ["owner_id", "id"], unique=False)
        batch_op.create_index("ix_operations_status_lease_until", ["status", "lease_until"], unique=False)

    op.create_table(
        "projects",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("public_name", sa.Text(), nullable=False),
        sa.Column("private_comment", sa.Text(), nullable=True),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["requesters.id"], name=op.f("fk_projects_owner_id_requesters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index("ix_projects_owner_id_id", ["owner_id", "id"], unique=False)

    op.create_table(
        "quota_usage",
        sa.Column("requester_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("quota", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("used", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["requesters.id"], name=op.f("fk_quota_usage_requester_id_requesters")
        ),
        sa.PrimaryKeyConstraint("requester_id", "quota", "window_start", name=op.f("pk_quota_usage")),
    )
    op.create_table(
        "operation_inputs",
        sa.Column("operation_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["operations.id"], name=op.f("fk_operation_inputs_operation_id_operations")
        ),
        sa.PrimaryKeyConstraint("operation_id", name=op.f("pk_operation_inputs")),
    )
    op.create_table(
        "operation_logs",
        sa.Column("operation_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["operations.id"], name=op.f("fk_operation_logs_operation_id_operations")
        ),
        sa.PrimaryKeyConstraint("operation_id", name=op.f("pk_operation_logs")),
    )
    op.create_table(
        "pools",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("project_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("last_close_reason", sa.String(length=32), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("last_started", sa.DateTime(), nullable=True),
        sa.Column("last_stopped", sa.DateTime(), nullable=True),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["requesters.id"], name=op.f("fk_pools_owner_id_requesters")),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_pools_project_id_projects")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pools")),
    )
    with op.batch_alter_table("pools", schema=None) as batch_op:
        batch_op.create_index("ix_pools_owner_id_kind_id", ["owner_id", "kind", "id"], unique=False)
        batch_op.create_index("ix_pools_project_id", ["project_id"], unique=False)

    op.create_table(
        "task_suites",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("pool_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("overlap", sa.Integer(), nullable=True),
        sa.Column("infinite_overlap", sa.Boolean(), nullable=False),
        sa.Column("issuing_order_override", sa.Float(), nullable=False),
        sa.Column("taken", sa.Integer(), server_default="0", nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["requesters.id"], name=op.f("fk_task_suites_owner_id_requesters")
        ),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], name=op.f("fk_task_suites_pool_id_pools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_suites")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("task_suites", schema=None) as batch_op:
        batch_op.create_index("ix_task_suites_owner_id_id", ["owner_id", "id"], unique=False)
        batch_op.create_index("ix_task_suites_pool_id_id", ["pool_id", "id"], unique=False)

    op.create_table(
        "tasks",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("pool_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("overlap", sa.Integer(), nullable=True),
        sa.Column("infinite_overlap", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("taken", sa.Integer(), server_default="0", nullable=False),
        sa.Column("open", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("origin_task_id", sa.String(length=32), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["requesters.id"], name=op.f("fk_tasks_owner_id_requesters")),
        sa.ForeignKeyConstraint(["pool_id"], ["pools.id"], name=op.f("fk_tasks_pool_id_pools")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_owner_id_id", ["owner_id", "id"], unique=False)
        batch_op.create_index("ix_tasks_pool_id_id", ["pool_id", "id"], unique=False)
        batch_op.create_index(
            "ix_tasks_pool_id_kind_open_id", ["pool_id", "kind", "open", "id"], unique=False
        )

    op.create_table(
        "task_suite_tasks",
        sa.Column("task_suite_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_suite_id"], ["task_suites.id"], name=op.f("fk_task_suite_tasks_task_suite_id_task_suites")
        ),
        sa.PrimaryKeyConstraint("task_suite_id", "position", name=op.f("pk_task_suite_tasks")),
    )
    with op.batch_alter_table("task_suite_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_suite_tasks_task_id"), ["task_id"], unique=False)

    op.bulk_insert(
        sa.table("id_counters", sa.column("name", sa.String), sa.column("value", sa.BigInteger)),
        [{"name": "task", "value": 0}, {"name": "task_suite", "value": 0}],
    )


def downgrade() -> None:
    with op.batch_alter_table("task_suite_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_suite_tasks_task_id"))

    op.drop_table("task_suite_tasks")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_pool_id_id")
        batch_op.drop_index("ix_tasks_owner_id_id")

    op.drop_table("tasks")
    with op.batch_alter_table("task_suites", schema=None) as batch_op:
        batch_op.drop_index("ix_task_suites_pool_id_id")
        batch_op.drop_index("ix_task_suites_owner_id_id")

    op.drop_table("task_suites")
    with op.batch_alter_table("pools", schema=None) as batch_op:
        batch_op.drop_index("ix_pools_project_id")
        batch_op.drop_index("ix_pools_owner_id_kind_id")

    op.drop_table("pools")
    op.drop_table("operation_logs")
    op.drop_table("operation_inputs")
    op.drop_table("quota_usage")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index("ix_projects_owner_id_id")

    op.drop_table("projects")
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.drop_index("ix_operations_status_lease_until")
        batch_op.drop_index("ix_operations_owner_id_id")

    op.drop_table("operations")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_requester_id"))

    op.drop_table("api_tokens")
    op.drop_table("requesters")
    op.drop_table("id_counters")
