"""Accounts (requesters and workers) and their API tokens, stored as SHA-256 hashes only."""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Column, Connection, Row, Select, Table, bindparam, insert, select, update

from kvorum.store.tables import (
    api_tokens,
    requester_sessions,
    requesters,
    web_sessions,
    worker_tokens,
    workers,
)


@dataclass(frozen=True)
class Accounts:
    """An account table, the table of its API tokens and the table of its web sessions."""

    accounts: Table
    tokens: Table
    owner: Column[Any]
    sessions: Table
    session_owner: Column[Any]

    @cached_property
    def by_token_query(self) -> Select[Any]:
        """Every API request runs it, so it is built once."""
        return (
            select(self.accounts)
            .join(self.tokens, self.owner == self.accounts.c.id)
            .where(self.tokens.c.token_hash == bindparam("token_hash"))
        )

    @cached_property
    def by_session_query(self) -> Select[Any]:
        """Every signed-in page runs it, so it is built once: the account of a live session."""
        return (
            select(self.accounts)
            .join(self.sessions, self.session_owner == self.accounts.c.id)
            .where(
                self.sessions.c.session_hash == bindparam("session_hash"),
                self.sessions.c.revoked.is_(None),
                self.sessions.c.expires > bindparam("now"),
            )
        )


REQUESTERS = Accounts(
    requesters, api_tokens, api_tokens.c.requester_id, requester_sessions, requester_sessions.c.requester_id
)
WORKERS = Accounts(workers, worker_tokens, worker_tokens.c.worker_id, web_sessions, web_sessions.c.worker_id)


def insert_account(conn: Connection, kind: Accounts, *, now: datetime, **values: Any) -> int:
    statement = insert(kind.accounts).values(created=now, **values).returning(kind.accounts.c.id)
    return int(conn.execute(statement).scalar_one())


def by_name(conn: Connection, kind: Accounts, *, name: str) -> Row[Any] | None:
    return conn.execute(select(kind.accounts).where(kind.accounts.c.name == name)).first()


def by_id(conn: Connection, kind: Accounts, *, account_id: int) -> Row[Any] | None:
    return conn.execute(select(kind.accounts).where(kind.accounts.c.id == account_id)).first()


def insert_token(
    conn: Connection, kind: Accounts, *, account_id: int, token_hash: str, now: datetime
) -> None:
    conn.execute(
        insert(kind.tokens).values({kind.owner.name: account_id, "token_hash": token_hash, "created": now})
    )


def by_token(conn: Connection, kind: Accounts, *, token_hash: str) -> Row[Any] | None:
    return conn.execute(kind.by_token_query, {"token_hash": token_hash}).first()


def update_worker(conn: Connection, *, worker_id: int, **values: Any) -> None:
    """Set columns of a worker (`profile`, `password_hash`)."""
    conn.execute(update(workers).where(workers.c.id == worker_id).values(**values))
