"""What a pool's progress page counts: answers per task, assignments by status, money spent.

Each is one grouped query, so a pool of a million tasks is counted in the database, not here.
Every query takes the owner, as every requester-side query does.
"""

from sqlalchemy import Connection, and_, case, func, select

from kvorum.store.tables import assignment_tasks, assignments, ledger_entries, tasks

ANSWERED = ("SUBMITTED", "ACCEPTED")
"""An assignment in these states holds answers the requester has (or may accept)."""


def answer_counts(conn: Connection, *, owner_id: int, pool_id: int) -> list[tuple[int, bool, bool, int]]:
    """(answers a task has, whether its overlap is infinite, whether it has all its overlap asks,
    how many tasks are so) for the pool's tasks."""
    answers = (
        select(assignment_tasks.c.task_id, func.count().label("n"))
        .join(assignments, assignments.c.id == assignment_tasks.c.assignment_id)
        .where(
            assignment_tasks.c.pool_id == pool_id,
            assignments.c.owner_id == owner_id,
            assignments.c.status.in_(ANSWERED),
        )
        .group_by(assignment_tasks.c.task_id)
        .subquery()
    )
    count = func.coalesce(answers.c.n, 0)
    finite = and_(tasks.c.infinite_overlap.is_(False), tasks.c.overlap.is_not(None))
    complete = case((and_(finite, count >= tasks.c.overlap), 1), else_=0)
    query = (
        select(count, tasks.c.infinite_overlap, complete, func.count())
        .select_from(tasks.outerjoin(answers, answers.c.task_id == tasks.c.id))
        .where(tasks.c.pool_id == pool_id, tasks.c.owner_id == owner_id)
        .group_by(count, tasks.c.infinite_overlap, complete)
    )
    rows = conn.execute(query)
    return [(int(n), bool(infinite), bool(done), int(tally)) for n, infinite, done, tally in rows]


def assignment_statuses(conn: Connection, *, owner_id: int, pool_id: int) -> dict[str, int]:
    query = (
        select(assignments.c.status, func.count())
        .where(assignments.c.pool_id == pool_id, assignments.c.owner_id == owner_id)
        .group_by(assignments.c.status)
    )
    return {status: int(count) for status, count in conn.execute(query)}


def spend(conn: Connection, *, owner_id: int, pool_id: int) -> dict[str, int]:
    """The ledger's entries for the pool's assignments summed by kind (REWARD, BONUS), in micro-USD."""
    query = (
        select(ledger_entries.c.kind, func.sum(ledger_entries.c.amount))
        .join(assignments, assignments.c.id == ledger_entries.c.assignment_id)
        .where(assignments.c.pool_id == pool_id, ledger_entries.c.owner_id == owner_id)
        .group_by(ledger_entries.c.kind)
    )
    return {kind: int(total) for kind, total in conn.execute(query)}
