"""The rule engine: quality-control rules act on the events that feed their collectors.

It runs inside the transaction of each event (subscribed in services/subscriptions.py), so what
a rule does commits or rolls back with the change that made it fire. The rules of an event's pool
are its own quality_control.configs and its project's. Every action taken is recorded as a
quality event (GET /api/v1/pools/{id}/quality-events), once per rule, worker and event.
"""

from sqlalchemy import Connection

from kvorum.services.assignments import lifecycle
from kvorum.services.assignments.events import AccessLost, AssignmentEvent, Subscribers
from kvorum.services.pools.model import Pool
from kvorum.services.quality import actions, collectors
from kvorum.services.quality.collectors import Hearing, Reading
from kvorum.services.quality.model import Collector, Rule, parse
from kvorum.store import quality as store


def collectors_of(pool: Pool) -> tuple[Collector, ...]:
    """The pool's collectors, then its project's."""
    own = parse(pool.settings.quality_control.configs, "POOL", pool.id)
    project_qc = (pool.project_spec or {}).get("quality_control") or {}
    return own + parse(project_qc.get("configs") or (), "PROJECT", pool.project_id)


def hear(conn: Connection, event: AssignmentEvent | AccessLost, events: Subscribers) -> None:
    """Count the event in every collector it feeds, and apply the rules whose conditions now hold."""
    if not collectors.may_feed(event):
        return
    pool = lifecycle.pool_of_event(conn, event)
    found = collectors_of(pool)
    if not found:
        return
    hearing = Hearing(conn, events, pool, event, event.at)
    heard = [(collector, collectors.hear(hearing, collector)) for collector in found]
    for collector, reading in collectors.readings(hearing, heard):
        for rule in collector.rules:
            if rule.fires(reading.values):
                _act(hearing, collector, rule, reading)


def _act(hearing: Hearing, collector: Collector, rule: Rule, reading: Reading) -> None:
    outcome = actions.apply(hearing, collector, rule, reading)
    if outcome is None:
        return
    action = {"type": rule.action, **({"parameters": dict(rule.parameters)} if rule.parameters else {})}
    store.record_event(
        hearing.conn,
        values={
            "owner_id": hearing.pool.owner_id,
            "pool_id": hearing.pool.id,
            "worker_id": reading.worker_id,
            "assignment_id": None if reading.assignment is None else reading.assignment.id,
            "source": collector.source,
            "collector_type": collector.type,
            "collector": collector.uuid,
            "rule_index": rule.index,
            "trigger": hearing.trigger,
            "values": dict(reading.values),
            "action": action,
            "outcome": outcome,
            "created": hearing.now,
        },
    )
