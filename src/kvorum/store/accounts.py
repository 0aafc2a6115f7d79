"""Requester accounts and their API tokens (stored as SHA-256 hashes only)."""

from datetime import datetime

from sqlalchemy import Connection, Row, insert, select

from kvorum.store.tables import api_tokens, requesters


def insert_requester(conn: Connection, *, name: str, now: datetime) -> int:
    statement = insert(requesters).values(name=name, created=now).returning(requesters.c.id)
    return int(conn.execute(statement).scalar_one())


def requester_by_name(conn: Connection, *, name: str) -> Row[int, str] | None:
    return conn.execute(select(requesters.c.id, requesters.c.name).where(requesters.c.name == name)).first()


def insert_token(conn: Connection, *, requester_id: int, token_hash: str, now: datetime) -> None:
    conn.execute(insert(api_tokens).values(requester_id=requester_id, token_hash=token_hash, created=now))


def requester_by_token(conn: Connection, *, token_hash: str) -> Row[int, str] | None:
    query = (
        select(requesters.c.id, requesters.c.name)
        .join(api_tokens, api_tokens.c.requester_id == requesters.c.id)
        .where(api_tokens.c.token_hash == token_hash)
    )
    return conn.execute(query).first()
