"""Runs a parsed Search against a table."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, and_
from sqlalchemy.sql import operators


@dataclass
class Search:
    """A parsed search: all conditions are ANDed; sort ends with a unique tiebreak key."""

    equals: dict[str, Any] = field(default_factory=dict)
    ranges: list[tuple[str, str, Any]] = field(default_factory=list)
    sort: list[tuple[str, bool]] = field(default_factory=list)
    limit: int = 50


_OPS = {"gt": operators.gt, "gte": operators.ge, "lt": operators.lt, "lte": operators.le}


def run(
    conn: Connection,
    base: Select[Any],
    columns: Mapping[str, ColumnElement[Any]],
    search: Search,
) -> tuple[Sequence[Row[Any]], bool]:
    """Rows of one page and whether more match. A NULL column never satisfies a range bound."""
    conditions: list[ColumnElement[bool]] = []
    for name, value in search.equals.items():
        column = columns[name]
        conditions.append(column.in_(value) if isinstance(value, list) else column == value)
    for name, op, value in search.ranges:
        column = columns[name]
        conditions.append(and_(column.is_not(None), _OPS[op](column, value)))
    query = base.where(*conditions) if conditions else base
    order = [columns[key].desc() if descending else columns[key].asc() for key, descending in search.sort]
    rows = conn.execute(query.order_by(*order).limit(search.limit + 1)).all()
    return rows[: search.limit], len(rows) > search.limit
