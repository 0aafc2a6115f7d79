"""Bonuses requesters give workers, on top of assignment rewards
(https://toloka.ai/docs/guide/bonus/). A bonus is counted in the worker's earnings at once."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row

from kvorum.schemas.bonus import UserBonusIn
from kvorum.schemas.ids import parse_id
from kvorum.services import search as search_rules
from kvorum.services.context import Context
from kvorum.services.errors import NotFound, Problems
from kvorum.store import assignments as assignment_store
from kvorum.store import bonuses as store
from kvorum.store.accounts import WORKERS, by_id

SEARCH = search_rules.SearchSpec(
    exact={
        "user_id": search_rules.numeric_id,
        "assignment_id": search_rules.text_value,
        "private_comment": search_rules.text_value,
    },
    ranges={"id": search_rules.numeric_id, "created": search_rules.date_time},
    sorts=frozenset({"id", "created"}),
    default_limit=50,
    max_limit=300,
)

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class UserBonus:
    id: int
    worker_id: int
    amount: Decimal
    """US dollars, whole cents."""
    assignment_id: str | None
    private_comment: str | None
    public_title: dict[str, str] | None
    public_message: dict[str, str] | None
    without_message: bool
    created: datetime

    @classmethod
    def from_row(cls, row: Row[Any]) -> "UserBonus":
        return cls(
            id=row.id,
            worker_id=row.worker_id,
            amount=(Decimal(row.amount_cents) * CENT).quantize(CENT),
            assignment_id=row.assignment_id,
            private_comment=row.private_comment,
            public_title=row.public_title,
            public_message=row.public_message,
            without_message=row.without_message,
            created=row.created,
        )


def _check(conn: Connection, caller: int, body: UserBonusIn, problems: Problems) -> int | None:
    """The worker's id if the bonus can be given: an existing worker and, if named, an assignment
    of theirs in the caller's pools."""
    worker_id = parse_id(body.user_id)
    if worker_id is None or by_id(conn, WORKERS, account_id=worker_id) is None:
        problems.add("user_id", "ENTITY_DOES_NOT_EXIST", f"worker {body.user_id} does not exist")
        return None
    if body.assignment_id is not None:
        found = assignment_store.get(conn, assignment_id=body.assignment_id)
        if found is None or found.owner_id != caller or found.worker_id != worker_id:
            message = f"assignment {body.assignment_id} of worker {body.user_id} does not exist"
            problems.add("assignment_id", "ENTITY_DOES_NOT_EXIST", message)
            return None
    return worker_id


def create(ctx: Context, *, caller: int, body: UserBonusIn) -> UserBonus:
    problems = Problems()
    with ctx.db.write() as conn:
        worker_id = _check(conn, caller, body, problems)
        problems.raise_if_any()
        assert worker_id is not None
        values = {
            "owner_id": caller,
            "worker_id": worker_id,
            "amount_cents": int(body.amount / CENT),
            "assignment_id": body.assignment_id,
            "private_comment": body.private_comment,
            "public_title": body.public_title,
            "public_message": body.public_message,
            "without_message": body.without_message,
            "created": ctx.clock.now(),
        }
        row = store.get(conn, owner_id=caller, bonus_id=store.create(conn, values=values))
    assert row is not None
    return UserBonus.from_row(row)


def get(ctx: Context, *, caller: int, bonus_id: str) -> UserBonus:
    key = parse_id(bonus_id)
    with ctx.db.read() as conn:
        row = None if key is None else store.get(conn, owner_id=caller, bonus_id=key)
    if row is None:
        raise NotFound(f"User bonus {bonus_id} does not exist")
    return UserBonus.from_row(row)


def find(ctx: Context, *, caller: int, params: dict[str, str]) -> search_rules.Page[UserBonus]:
    return search_rules.fetch_page(
        ctx,
        SEARCH,
        params,
        lambda conn, search: store.find(conn, owner_id=caller, search=search),
        UserBonus.from_row,
    )
