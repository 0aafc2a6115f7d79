"""Bonuses requesters give workers, on top of assignment rewards
(https://toloka.ai/docs/guide/bonus/). A bonus enters the worker's ledger (ledger.py) as it is stored,
so it counts in their earnings at once."""

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Connection, Row

from kvorum.schemas import bonus as schema
from kvorum.schemas.common import format_datetime
from kvorum.schemas.ids import parse_id
from kvorum.schemas.rendered import RenderedJson
from kvorum.services import search as search_rules
from kvorum.services.bulk.bulk_type import BulkType, ItemCheck
from kvorum.services.bulk.params import CreateParams
from kvorum.services.context import Context
from kvorum.services.errors import NotFound
from kvorum.services.tasks.values import Errors
from kvorum.services.workforce import ledger
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


@dataclass(frozen=True, slots=True)
class NewBonus:
    """A bonus that passed its checks, not yet written."""

    owner_id: int
    worker_id: int
    amount_cents: int
    assignment_id: str | None
    private_comment: str | None
    public_title: dict[str, str] | None
    public_message: dict[str, str] | None
    without_message: bool

    def given(self, bonus_id: int, created: datetime) -> UserBonus:
        amount = (Decimal(self.amount_cents) * CENT).quantize(CENT)
        return UserBonus(
            bonus_id,
            self.worker_id,
            amount,
            self.assignment_id,
            self.private_comment,
            self.public_title,
            self.public_message,
            self.without_message,
            created,
        )


def _start(conn: Connection, caller: int) -> ItemCheck[NewBonus]:
    def check(sent: Mapping[str, Any], params: CreateParams, errors: Errors) -> NewBonus | None:
        """A bonus goes to an existing worker and, if it names one, for an assignment of theirs
        in the caller's pools."""
        worker_id = parse_id(sent["user_id"])
        if worker_id is None or by_id(conn, WORKERS, account_id=worker_id) is None:
            errors["user_id"] = _missing(f"worker {sent['user_id']} does not exist")
            return None
        assignment_id = sent.get("assignment_id")
        if assignment_id is not None:
            found = assignment_store.get(conn, assignment_id=assignment_id)
            if found is None or found.owner_id != caller or found.worker_id != worker_id:
                errors["assignment_id"] = _missing(
                    f"assignment {assignment_id} of this worker does not exist"
                )
                return None
        return NewBonus(
            owner_id=caller,
            worker_id=worker_id,
            amount_cents=int(Decimal(sent["amount"]) / CENT),
            assignment_id=assignment_id,
            private_comment=sent.get("private_comment"),
            public_title=sent.get("public_title"),
            public_message=sent.get("public_message"),
            without_message=sent.get("without_message", False),
        )

    return check


def _missing(message: str) -> dict[str, str]:
    return {"code": "ENTITY_DOES_NOT_EXIST", "message": message}


def _persist(conn: Connection, bonuses: Sequence[NewBonus], created: datetime) -> list[str]:
    """Store the bonuses, each with its ledger entry in the same transaction."""
    ids = []
    for bonus in bonuses:
        bonus_id = store.create(conn, values={**asdict(bonus), "created": created})
        ledger.record_bonus(
            conn,
            bonus_id=bonus_id,
            owner_id=bonus.owner_id,
            worker_id=bonus.worker_id,
            amount_cents=bonus.amount_cents,
            assignment_id=bonus.assignment_id,
            created=created,
        )
        ids.append(str(bonus_id))
    return ids


def render(found: UserBonus) -> dict[str, Any]:
    """The wire form of a bonus; its optional fields are absent when not set."""
    body: dict[str, Any] = {
        "id": str(found.id),
        "user_id": str(found.worker_id),
        "amount": str(found.amount),
        "without_message": found.without_message,
        "created": format_datetime(found.created),
    }
    optional = {
        "assignment_id": found.assignment_id,
        "private_comment": found.private_comment,
        "public_title": found.public_title,
        "public_message": found.public_message,
    }
    body.update({key: value for key, value in optional.items() if value is not None})
    return body


def _render_new(bonus: NewBonus, bonus_id: str, created: datetime) -> RenderedJson:
    return RenderedJson(orjson.dumps(render(bonus.given(int(bonus_id), created))).decode())


BATCH_CREATE = BulkType(
    noun="user bonus",
    operation_type="USER_BONUS.BATCH_CREATE",
    quota_action="user_bonus_create",
    log_create="USER_BONUS_CREATE",
    log_validate="USER_BONUS_VALIDATE",
    output_key="user_bonus_id",
    one=schema.USER_BONUS,
    many=schema.USER_BONUSES,
    units=lambda sent: 1,
    start=_start,
    persist=_persist,
    render=_render_new,
    sync_limit=10_000,
    async_limit=10_000,
)


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
