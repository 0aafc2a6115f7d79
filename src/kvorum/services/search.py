"""The search conventions every list endpoint shares: exact filters, ranges, sort, limit.

A resource declares a SearchSpec; `parse` turns query parameters into a Search or a
VALIDATION_ERROR that names the bad parameter. Unknown parameters are errors, not ignored:
a mistyped filter must not silently return everything.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Connection, Row

from kvorum.schemas.common import UtcDateTime
from kvorum.schemas.ids import parse_id
from kvorum.services.context import Context
from kvorum.services.errors import Problems
from kvorum.store.search import Search

RANGE_SUFFIXES = ("_gt", "_gte", "_lt", "_lte")
_DATETIME: TypeAdapter[datetime] = TypeAdapter(UtcDateTime)


def numeric_id(text: str) -> int:
    key = parse_id(text)
    if key is None:
        raise ValueError("expected an id (a string of digits)")
    return key


def text_value(text: str) -> str:
    return text


def integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError("expected an integer") from None


def date_time(text: str) -> datetime:
    try:
        return _DATETIME.validate_python(text)
    except ValidationError:
        raise ValueError("expected an ISO-8601 date-time such as 2030-01-02T03:04:05") from None


def one_of(*values: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in values:
            raise ValueError(f"expected one of {', '.join(values)}")
        return text

    return parse


Parser = Callable[[str], Any]


@dataclass(frozen=True)
class SearchSpec:
    """What a collection can be searched by."""

    exact: Mapping[str, Parser]
    ranges: Mapping[str, Parser]
    sorts: frozenset[str]
    default_limit: int
    max_limit: int
    tiebreak: str = "id"


Item = TypeVar("Item")


@dataclass(frozen=True, slots=True)
class Page(Generic[Item]):
    """One page of a search: the matching items in order, and whether more match."""

    items: list[Item]
    has_more: bool


def fetch_page(
    ctx: Context,
    spec: SearchSpec,
    params: Mapping[str, str],
    fetch: Callable[[Connection, Search], tuple[Sequence[Row[Any]], bool]],
    read: Callable[[Row[Any]], Item],
) -> Page[Item]:
    """One page of a search: the parameters parsed, the rows fetched by `fetch` in one read
    transaction, each turned into an item by `read`."""
    search = parse(spec, params)
    with ctx.db.read() as conn:
        rows, has_more = fetch(conn, search)
    return Page([read(row) for row in rows], has_more)


def parse(spec: SearchSpec, params: Mapping[str, str]) -> Search:
    """Query parameters -> Search; every bad parameter is named in one VALIDATION_ERROR."""
    problems = Problems()
    search = Search(limit=spec.default_limit)
    for name, raw in params.items():
        if name == "sort":
            search.sort = _parse_sort(spec, raw, problems)
        elif name == "limit":
            search.limit = _parse_limit(spec, raw, problems)
        elif name in spec.exact:
            search.equals[name] = _convert(spec.exact[name], raw, name, problems)
        else:
            field_name, op = _split_range(name)
            if field_name is None or field_name not in spec.ranges:
                problems.add(name, "VALUE_NOT_ALLOWED", f"unknown search parameter {name!r}")
            else:
                search.ranges.append((field_name, op, _convert(spec.ranges[field_name], raw, name, problems)))
    problems.raise_if_any("Invalid search parameters")
    if not any(key == spec.tiebreak for key, _ in search.sort):
        search.sort.append((spec.tiebreak, False))
    return search


def _convert(parser: Parser, raw: str, name: str, problems: Problems) -> Any:
    """The parsed value; a failure is recorded (and the search is then refused as a whole)."""
    try:
        return parser(raw)
    except ValueError as exc:
        problems.add(name, "INVALID_VALUE", f"{name}: {exc}")
        return None


def _split_range(name: str) -> tuple[str | None, str]:
    for suffix in sorted(RANGE_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return name.removesuffix(suffix), suffix[1:]
    return None, ""


def _parse_sort(spec: SearchSpec, raw: str, problems: Problems) -> list[tuple[str, bool]]:
    keys: list[tuple[str, bool]] = []
    for item in raw.split(","):
        item = item.strip()
        descending = item.startswith("-")
        key = item.removeprefix("-").removeprefix("+")
        if key not in spec.sorts:
            problems.add(
                "sort", "VALUE_NOT_ALLOWED", f"cannot sort by {key!r}; use {', '.join(sorted(spec.sorts))}"
            )
        elif any(existing == key for existing, _ in keys):
            problems.add("sort", "DUPLICATE_VALUE_IN_ARRAY", f"sort key {key!r} given twice")
        else:
            keys.append((key, descending))
    return keys


def _parse_limit(spec: SearchSpec, raw: str, problems: Problems) -> int:
    try:
        limit = int(raw)
    except ValueError:
        problems.add("limit", "INTEGER_EXPECTED", "limit must be an integer")
        return spec.default_limit
    if not 1 <= limit <= spec.max_limit:
        problems.add("limit", "VALUE_OUT_OF_BOUNDS", f"limit must be between 1 and {spec.max_limit}")
    return limit
