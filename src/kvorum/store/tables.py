"""SQLAlchemy Core tables.

Columns exist for everything that is filtered, sorted or counted; open-ended wire payloads
(a pool's configuration, a project's task_spec) live in JSON columns as they were validated.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
    true,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = BigInteger().with_variant(Integer(), "sqlite")
"""Integer keys; SQLite only autoincrements INTEGER PRIMARY KEY."""

requesters = Table(
    "requesters",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created", DateTime, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("requester_id", ForeignKey("requesters.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created", DateTime, nullable=False),
)

projects = Table(
    "projects",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("owner_id", ForeignKey("requesters.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created", DateTime, nullable=False),
    Column("public_name", Text, nullable=False),
    Column("private_comment", Text),
    Column("spec", JSON, nullable=False),
    Index("ix_projects_owner_id_id", "owner_id", "id"),
)

pools = Table(
    "pools",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("owner_id", ForeignKey("requesters.id"), nullable=False),
    Column("project_id", ForeignKey("projects.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("last_close_reason", String(32)),
    Column("created", DateTime, nullable=False),
    Column("last_started", DateTime),
    Column("last_stopped", DateTime),
    Column("spec", JSON, nullable=False),
    Index("ix_pools_owner_id_kind_id", "owner_id", "kind", "id"),
    Index("ix_pools_project_id", "project_id"),
)

operations = Table(
    "operations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("owner_id", ForeignKey("requesters.id"), nullable=False),
    Column("type", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("submitted", DateTime, nullable=False),
    Column("started", DateTime),
    Column("finished", DateTime),
    Column("progress", Integer, nullable=False, default=0),
    Column("parameters", JSON, nullable=False),
    Column("details", JSON),
    Column("claim", String(32)),
    Column("lease_until", DateTime),
    Index("ix_operations_owner_id_id", "owner_id", "id"),
    Index("ix_operations_status_lease_until", "status", "lease_until"),
)

operation_inputs = Table(
    "operation_inputs",
    metadata,
    Column("operation_id", ForeignKey("operations.id"), primary_key=True),
    Column("body", LargeBinary, nullable=False),
)
"""The request body of a background operation, kept until it has run."""

operation_logs = Table(
    "operation_logs",
    metadata,
    Column("operation_id", ForeignKey("operations.id"), primary_key=True),
    Column("body", Text, nullable=False),
)
"""An operation's log as the JSON array the API returns, written once when the operation ends."""

id_counters = Table(
    "id_counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)
"""Sequences shared by every server process: ids of tasks and task suites are drawn in blocks."""

tasks = Table(
    "tasks",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner_id", ForeignKey("requesters.id"), nullable=False),
    Column("pool_id", ForeignKey("pools.id"), nullable=False),
    Column("created", DateTime, nullable=False),
    Column("overlap", Integer),
    Column("infinite_overlap", Boolean, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("taken", Integer, nullable=False, server_default="0"),
    Column("open", Boolean, nullable=False, server_default=true()),
    Column("body", Text, nullable=False),
    Column("overlap_raised", DateTime),
    Index("ix_tasks_pool_id_id", "pool_id", "id"),
    Index("ix_tasks_owner_id_id", "owner_id", "id"),
    Index("ix_tasks_pool_id_kind_open_id", "pool_id", "kind", "open", "id"),
    sqlite_with_rowid=False,
)
"""`kind` is the task's role: REAL, GOLDEN (control) or TRAINING, which the mixer draws by count.
`body` is the task's JSON object without the columns above, serialized once at creation.
`open` (overlap left: infinite or taken < overlap) is kept with `taken` so the mixer seeks to the
first task it may issue instead of scanning past the full ones. `overlap_raised` is when the
overlap last grew: new work, like a new task, for force_last_assignment_delay_seconds.
On SQLite the rows live in the primary key's tree (WITHOUT ROWID): one tree less to write."""

task_suites = Table(
    "task_suites",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner_id", ForeignKey("requesters.id"), nullable=False),
    Column("pool_id", ForeignKey("pools.id"), nullable=False),
    Column("created", DateTime, nullable=False),
    Column("overlap", Integer),
    Column("infinite_overlap", Boolean, nullable=False),
    Column("issuing_order_override", Float, nullable=False, default=0),
    Column("taken", Integer, nullable=False, server_default="0"),
    Column("body", Text, nullable=False),
    Index("ix_task_suites_pool_id_id", "pool_id", "id"),
    Index("ix_task_suites_owner_id_id", "owner_id", "id"),
    sqlite_with_rowid=False,
)

task_suite_tasks = Table(
    "task_suite_tasks",
    metadata,
    Column("task_suite_id", ForeignKey("task_suites.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("task_id", String(32), nullable=False, index=True),
)
"""Which tasks a suite holds, so suites can be found by task_id."""

quota_usage = Table(
    "quota_usage",
    metadata,
    Column("requester_id", ForeignKey("requesters.id"), primary_key=True),
    Column("quota", String(64), primary_key=True),
    Column("window_start", DateTime, primary_key=True),
    Column("used", BigInteger, nullable=False),
)

workers = Table(
    "workers",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created", DateTime, nullable=False),
    Column("profile", JSON, nullable=False),
    Column("password_hash", String(200)),
)
"""A worker's `profile` holds what pool filters read: country, languages, client type, ..."""

worker_tokens = Table(
    "worker_tokens",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("worker_id", ForeignKey("workers.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created", DateTime, nullable=False),
)

assignments = Table(
    "assignments",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner_id", ForeignKey("requesters.id"), nullable=False),
    Column("pool_id", ForeignKey("pools.id"), nullable=False),
    Column("task_suite_id", String(32), nullable=False),
    Column("worker_id", ForeignKey("workers.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reward", Float, nullable=False),
    Column("mixed", Boolean, nullable=False),
    Column("created", DateTime, nullable=False),
    Column("expires", DateTime, nullable=False),
    Column("submitted", DateTime),
    Column("accepted", DateTime),
    Column("rejected", DateTime),
    Column("skipped", DateTime),
    Column("expired", DateTime),
    Column("public_comment", Text),
    Column("tasks", JSON, nullable=False),
    Column("solutions", JSON),
    Column("attempt", Integer, nullable=False, server_default="0"),
    Index("ix_assignments_owner_id_id", "owner_id", "id"),
    Index("ix_assignments_pool_id_worker_id", "pool_id", "worker_id"),
    Index("ix_assignments_status_expires", "status", "expires"),
)
"""`tasks` is the issued list of {"id", "kind"}; overlap counters live on tasks and suites."""

assignment_tasks = Table(
    "assignment_tasks",
    metadata,
    Column("assignment_id", ForeignKey("assignments.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("task_id", String(32), nullable=False, index=True),
    Column("pool_id", ForeignKey("pools.id"), nullable=False),
    Column("worker_id", ForeignKey("workers.id"), nullable=False),
    Column("attempt", Integer, nullable=False, server_default="0"),
    UniqueConstraint("pool_id", "worker_id", "attempt", "task_id"),
)
"""The unique key is the rule that a worker never gets the same task twice in a pool; `attempt`
counts a worker's passes through a training that may be retaken (always 0 in other pools)."""

skills = Table(
    "skills",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("owner_id", ForeignKey("requesters.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("training_pool_id", ForeignKey("pools.id"), unique=True),
    Column("created", DateTime, nullable=False),
    Column("private_comment", Text),
    Column("hidden", Boolean, nullable=False, server_default=true()),
    Column("skill_ttl_hours", Integer),
    Column("public_name", JSON),
    Column("public_requester_description", JSON),
)
"""A training grants its own skill (training_pool_id); other skills are the requester's. A value not
set again within `skill_ttl_hours` expires."""

user_skills = Table(
    "user_skills",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("skill_id", ForeignKey("skills.id"), nullable=False),
    Column("worker_id", ForeignKey("workers.id"), nullable=False),
    Column("value", Float, nullable=False),
    Column("created", DateTime, nullable=False),
    Column("modified", DateTime, nullable=False),
    Column("expires", DateTime),
    UniqueConstraint("skill_id", "worker_id"),
    Index("ix_user_skills_worker_id", "worker_id"),
)
"""A worker's value (0-100) of a skill; a training's skill `expires` after retry_training_after_days."""

user_restrictions = Table(
    "user_restrictions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("owner_id", ForeignKey("requesters.id"), nullable=False),
    Column("scope", String(16), nullable=False),
    Column("worker_id", ForeignKey("workers.id"), nullable=False),
    Column("project_id", ForeignKey("projects.id")),
    Column("pool_id", ForeignKey("pools.id")),
    Column("target_id", BigInteger, nullable=False),
    Column("private_comment", Text),
    Column("will_expire", DateTime),
    Column("created", DateTime, nullable=False),
    UniqueConstraint("owner_id", "worker_id", "scope", "target_id"),
    Index("ix_user_restrictions_owner_id_id", "owner_id", "id"),
    Index("ix_user_restrictions_worker_id", "worker_id"),
)
"""A requester's ban of a worker from a pool, a project or all their projects, until `will_expire`
(NULL: until deleted). `target_id` is the pool or project id (0 for ALL_PROJECTS), so that a
worker has at most one restriction per target and setting it again replaces it."""

worker_ratings = Table(
    "worker_ratings",
    metadata,
    Column("worker_id", ForeignKey("workers.id"), primary_key=True, autoincrement=False),
    Column("control_answers", Integer, nullable=False, server_default="0"),
    Column("control_correct", Float, nullable=False, server_default="0"),
    Column("reviewed", Integer, nullable=False, server_default="0"),
    Column("accepted", Integer, nullable=False, server_default="0"),
    Column("score", Float, nullable=False),
    Column("last_active", DateTime),
    Index("ix_worker_ratings_score_worker_id", "score", "worker_id"),
    Index("ix_worker_ratings_last_active", "last_active"),
)
"""What speed_quality_balance ranks workers by, platform-wide: control-task answers and the
requesters' manual reviews, and when the worker last took or submitted work. A worker without a
row has done neither yet (services/ratings.py holds the formula)."""

user_bonuses = Table(
    "user_bonuses",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("owner_id", ForeignKey("requesters.id"), nullable=False),
    Column("worker_id", ForeignKey("workers.id"), nullable=False),
    Column("amount_cents", Integer, nullable=False),
    Column("assignment_id", ForeignKey("assignments.id")),
    Column("private_comment", Text),
    Column("public_title", JSON),
    Column("public_message", JSON),
    Column("without_message", Boolean, nullable=False),
    Column("created", DateTime, nullable=False),
    Index("ix_user_bonuses_owner_id_id", "owner_id", "id"),
    Index("ix_user_bonuses_worker_id", "worker_id"),
)
"""A requester's bonus to a worker, in cents (Toloka bonuses are whole cents), for an assignment
or for nothing in particular."""

quality_observations = Table(
    "quality_observations",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("owner_id", ForeignKey("requesters.id"), nullable=False),
    Column("collector", String(36), nullable=False),
    Column("worker_id", ForeignKey("workers.id"), nullable=False),
    Column("assignment_id", String(32), nullable=False),
    Column("position", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("golden", Boolean, nullable=False),
    Column("created", DateTime, nullable=False),
    UniqueConstraint(
        "owner_id", "collector", "assignment_id", "position", name="uq_quality_observations_once"
    ),
    Index(
        "ix_quality_observations_owner_id_collector_worker_id_id", "owner_id", "collector", "worker_id", "id"
    ),
)
"""What a quality-control collector (named by its uuid) has counted of a worker: one row per answer
(`position` is the task's place in the assignment) or per assignment (position -1). `value` is the
credit (1 right, fast, skipped, accepted; 0 otherwise) or, for INCOME, the reward; `golden` marks
answers to control tasks. The unique key is the rule that an event is counted once."""

quality_events = Table(
    "quality_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("owner_id", ForeignKey("requesters.id"), nullable=False),
    Column("pool_id", ForeignKey("pools.id"), nullable=False),
    Column("worker_id", ForeignKey("workers.id"), nullable=False),
    Column("assignment_id", String(32)),
    Column("source", String(8), nullable=False),
    Column("collector_type", String(32), nullable=False),
    Column("collector", String(36), nullable=False),
    Column("rule_index", Integer, nullable=False),
    Column("trigger", String(80), nullable=False),
    Column("values", JSON, nullable=False),
    Column("action", JSON, nullable=False),
    Column("outcome", JSON, nullable=False),
    Column("created", DateTime, nullable=False),
    UniqueConstraint(
        "owner_id", "collector", "rule_index", "worker_id", "trigger", name="uq_quality_events_once"
    ),
    Index("ix_quality_events_pool_id_id", "pool_id", "id"),
)
"""Each action a quality-control rule took: which worker, which rule of which collector (`source`:
the pool's or the project's quality_control), the collector's values, the action and what it did.
`trigger` names the event the rule heard; the unique key is the rule that an action is applied once
per event."""

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("worker_id", ForeignKey("workers.id"), nullable=False),
    Column("owner_id", ForeignKey("requesters.id"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("assignment_id", ForeignKey("assignments.id")),
    Column("bonus_id", ForeignKey("user_bonuses.id"), unique=True),
    Column("created", DateTime, nullable=False),
    CheckConstraint(
        "(kind = 'REWARD' AND assignment_id IS NOT NULL AND bonus_id IS NULL)"
        " OR (kind = 'BONUS' AND bonus_id IS NOT NULL)",
        name="ck_ledger_entries_kind",
    ),
    Index(
        "uq_ledger_entries_reward_assignment_id",
        "assignment_id",
        unique=True,
        sqlite_where=text("kind = 'REWARD'"),
        postgresql_where=text("kind = 'REWARD'"),
    ),
    Index("ix_ledger_entries_worker_id_kind", "worker_id", "kind"),
)
"""Every movement of money to a worker: the REWARD of an accepted assignment, or a BONUS (with the
assignment it names, if any). `amount` is in micro-USD, exact for rewards like 0.005 and whole-cent
bonuses alike, so sums add up. The unique keys allow one reward per assignment and one entry per
bonus."""

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("worker_id", ForeignKey("workers.id"), nullable=False, index=True),
    Column("session_hash", String(64), nullable=False, unique=True),
    Column("created", DateTime, nullable=False),
    Column("expires", DateTime, nullable=False),
    Column("revoked", DateTime),
)
"""A worker's signed-in browser: the SHA-256 of the random session id its cookie carries."""

requester_sessions = Table(
    "requester_sessions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("requester_id", ForeignKey("requesters.id"), nullable=False, index=True),
    Column("session_hash", String(64), nullable=False, unique=True),
    Column("created", DateTime, nullable=False),
    Column("expires", DateTime, nullable=False),
    Column("revoked", DateTime),
)
"""A requester's signed-in browser (signed in with an API token): the SHA-256 of its session id."""

sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("subject", String(300), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_sign_in_failures_subject_at", "subject", "at"),
)
"""Each failed sign-in, once under the account name (`account:<name>`) and once under the client
address (`address:<ip>`): the rate limit counts them within a window, in every server process."""

invite_codes = Table(
    "invite_codes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("created", DateTime, nullable=False),
    Column("used_by", ForeignKey("workers.id")),
    Column("used", DateTime),
)
"""Codes that let a person sign up when sign-up is by invitation; each signs up one worker."""

server_keys = Table(
    "server_keys",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("secret", LargeBinary, nullable=False),
    Column("created", DateTime, nullable=False),
)
"""Secrets every server process shares, made once: the key that signs session cookies and form
tokens."""

aggregated_solutions = Table(
    "aggregated_solutions",
    metadata,
    Column("operation_id", String(64), primary_key=True),
    Column("task_id", String(32), primary_key=True),
    Column("pool_id", Id, nullable=False),
    Column("confidence", Float),
    Column("output_values", Text, nullable=False),
    sqlite_with_rowid=False,
)
"""The labels one SOLUTION.AGGREGATE operation produced, one row per task, paged by task_id.
`output_values` is the JSON object the API returns, serialized once when written; `confidence` is
NULL where a method gives no probability. Written only with their operation's end, in its
transaction, so the keys need no foreign-key checks, which would cost two lookups per label."""
