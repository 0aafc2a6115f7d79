"""The assignments TSV export, which toloka-kit's get_assignments_df reads: one row per task of each
assignment of a pool.

Columns come in Toloka's order: `INPUT:<field>` for each input field of the project, `OUTPUT:<field>`
for each output field (the worker's answer), `GOLDEN:<field>` (the known answer of a control or
training task), `HINT:text` and `HINT:default_language` (a training task's hint), then the
`ASSIGNMENT:<name>` columns asked for, in the order of ASSIGNMENT_COLUMNS.

Cells are written so that `pandas.read_csv(sep="\\t")`, as toloka-kit calls it, reads back what was
stored: strings as they are, and quoted (inner quotes doubled) when they hold a tab, a line break,
a carriage return or a quote; numbers and objects as JSON; booleans as true/false; date-times as
the API writes them; a missing value as an empty cell.
"""

from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Row

from kvorum.schemas.common import format_datetime
from kvorum.schemas.ids import parse_id
from kvorum.services import search as search_rules
from kvorum.services.context import Context
from kvorum.services.errors import NotFound, Problems, ValidationFailed
from kvorum.store import pools as pool_store
from kvorum.store import projects as project_store
from kvorum.store.exports import ExportFilter, assignments_for_export

ASSIGNMENT_COLUMNS = (
    "link",
    "assignment_id",
    "task_id",
    "task_suite_id",
    "worker_id",
    "status",
    "started",
    "submitted",
    "accepted",
    "rejected",
    "skipped",
    "expired",
    "reward",
)
DEFAULT_ASSIGNMENT_COLUMNS = ("link", "assignment_id", "worker_id", "status", "started")
"""What toloka-kit asks for unless told otherwise, and what a request without `field` gets."""
HINT_COLUMNS = ("text", "default_language")

STATUSES = {
    "ACTIVE": "ACTIVE",
    "SUBMITTED": "SUBMITTED",
    "APPROVED": "ACCEPTED",
    "REJECTED": "REJECTED",
    "SKIPPED": "SKIPPED",
    "EXPIRED": "EXPIRED",
}
"""The export's status names and the assignment statuses they select: the file says APPROVED."""
LABELS = {status: name for name, status in STATUSES.items()}

PARAMETERS = ("status", "startTimeFrom", "startTimeTo", "excludeBanned", "field", "addRowDelimiter")

BATCH = 1_000
"""Assignments fetched from the database cursor at a time."""
CHUNK_LINES = 2_000
"""Lines handed to the server per write."""


@dataclass(frozen=True, slots=True)
class ExportRequest:
    statuses: tuple[str, ...]
    """Assignment statuses (ACCEPTED, not APPROVED)."""
    started_from: datetime | None
    started_to: datetime | None
    exclude_banned: bool
    fields: tuple[str, ...] | None
    """The column names of `field`, as sent; None when it was not sent."""
    row_delimiter: bool
    """An empty line after each assignment's rows."""


@dataclass(frozen=True, slots=True)
class Columns:
    """The columns of one export, by group, each in the file's order."""

    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    golden: tuple[str, ...]
    hints: tuple[str, ...]
    assignment: tuple[str, ...]

    def header(self) -> list[str]:
        groups = (
            ("INPUT", self.inputs),
            ("OUTPUT", self.outputs),
            ("GOLDEN", self.golden),
            ("HINT", self.hints),
            ("ASSIGNMENT", self.assignment),
        )
        return [f"{prefix}:{name}" for prefix, names in groups for name in names]


def export(
    ctx: Context, *, caller: int, pool_id: str, params: Mapping[str, str], link_base: str
) -> Generator[str, None, None]:
    """The file's text in chunks, the header line first, read from the database only as they are
    consumed. The request and the pool are checked now, so that a bad request is refused before
    any text is sent. `link_base` is the server's address, for the ASSIGNMENT:link column."""
    request = parse(params)
    key = parse_id(pool_id)
    with ctx.db.read() as conn:
        pool = None if key is None else pool_store.get(conn, owner_id=caller, pool_id=key)
        if pool is None:
            raise NotFound(f"Pool {pool_id} does not exist")
        project = project_store.get(conn, owner_id=caller, project_id=pool.project_id)
    assert project is not None
    columns = choose_columns(project.spec["task_spec"], request.fields)
    where = ExportFilter(
        owner_id=caller,
        pool_id=pool.id,
        project_id=pool.project_id,
        statuses=request.statuses,
        started_from=request.started_from,
        started_to=request.started_to,
        banned_at=ctx.clock.now() if request.exclude_banned else None,
    )
    return _text(ctx, where, columns, request.row_delimiter, link_base)


def parse(params: Mapping[str, str]) -> ExportRequest:
    """The query parameters toloka-kit's GetAssignmentsTsvParameters sends; every bad one is named
    (the columns of `field` are checked against the project's fields once the pool is found)."""
    problems = Problems()
    for name in params:
        if name not in PARAMETERS:
            problems.add(
                name, "VALUE_NOT_ALLOWED", f"unknown parameter {name!r}; use {', '.join(PARAMETERS)}"
            )
    statuses = _statuses(params.get("status", "APPROVED"), problems)
    started_from = _moment(params, "startTimeFrom", problems)
    started_to = _moment(params, "startTimeTo", problems)
    if started_from is not None and started_to is not None and started_to < started_from:
        problems.add("startTimeTo", "VALUE_OUT_OF_BOUNDS", "startTimeTo is before startTimeFrom")
    field = params.get("field")
    request = ExportRequest(
        statuses=statuses,
        started_from=started_from,
        started_to=started_to,
        exclude_banned=_flag(params, "excludeBanned", problems),
        fields=None if field is None else tuple(name.strip() for name in field.split(",") if name.strip()),
        row_delimiter=_flag(params, "addRowDelimiter", problems),
    )
    problems.raise_if_any("Invalid export parameters")
    return request


def _statuses(text: str, problems: Problems) -> tuple[str, ...]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in STATUSES]
    if unknown or not names:
        problems.add(
            "status",
            "VALUE_NOT_ALLOWED",
            f"status is a comma-separated list of {', '.join(STATUSES)} (APPROVED: accepted)",
        )
    return tuple(dict.fromkeys(STATUSES[name] for name in names if name in STATUSES))


def _moment(params: Mapping[str, str], name: str, problems: Problems) -> datetime | None:
    text = params.get(name)
    if text is None:
        return None
    try:
        return search_rules.date_time(text)
    except ValueError as exc:
        problems.add(name, "INVALID_DATE_TIME_SYNTAX", f"{name}: {exc}")
        return None


def _flag(params: Mapping[str, str], name: str, problems: Problems) -> bool:
    text = params.get(name, "false").lower()
    if text not in ("true", "false"):
        problems.add(name, "BOOLEAN_EXPECTED", f"{name} is true or false")
    return text == "true"


def choose_columns(task_spec: Mapping[str, Any], fields: tuple[str, ...] | None) -> Columns:
    """The columns of the file. `field` picks the ASSIGNMENT columns, as in Toloka; it may also name
    INPUT, OUTPUT, GOLDEN or HINT columns, and a group it names is narrowed to those (kvorum)."""
    groups = {
        "INPUT": tuple(task_spec["input_spec"]),
        "OUTPUT": tuple(task_spec["output_spec"]),
        "GOLDEN": tuple(task_spec["output_spec"]),
        "HINT": HINT_COLUMNS,
        "ASSIGNMENT": ASSIGNMENT_COLUMNS,
    }
    named: dict[str, set[str]] = {prefix: set() for prefix in groups}
    unknown = []
    if fields is None:
        named["ASSIGNMENT"] = set(DEFAULT_ASSIGNMENT_COLUMNS)
    for field in fields or ():
        prefix, _, name = field.partition(":")
        if name in groups.get(prefix, ()):
            named[prefix].add(name)
        else:
            unknown.append(field)
    if unknown:
        columns = ", ".join(_all_columns(groups))
        message = f"unknown column {unknown[0]!r}; the columns are {columns}"
        raise ValidationFailed(
            "Invalid export parameters", {"field": {"code": "VALUE_NOT_ALLOWED", "message": message}}
        )

    def pick(prefix: str) -> tuple[str, ...]:
        chosen = named[prefix]
        if not chosen and prefix != "ASSIGNMENT":
            return groups[prefix]
        return tuple(name for name in groups[prefix] if name in chosen)

    return Columns(pick("INPUT"), pick("OUTPUT"), pick("GOLDEN"), pick("HINT"), pick("ASSIGNMENT"))


def _all_columns(groups: Mapping[str, tuple[str, ...]]) -> list[str]:
    return [f"{prefix}:{name}" for prefix, names in groups.items() for name in names]


def _text(
    ctx: Context, where: ExportFilter, columns: Columns, row_delimiter: bool, link_base: str
) -> Generator[str, None, None]:
    """The header line, then the rows, read from one database cursor while the text is consumed."""
    yield "\t".join(cell(name) for name in columns.header()) + "\n"
    lines: list[str] = []
    with ctx.db.read() as conn:
        for row in assignments_for_export(conn, where, batch=BATCH):
            lines.extend(rows_of(row, columns, link_base))
            if row_delimiter:
                lines.append("\n")
            if len(lines) >= CHUNK_LINES:
                yield "".join(lines)
                lines = []
    if lines:
        yield "".join(lines)


_ABOUT: dict[str, Callable[[Row[Any], str], Any]] = {
    "link": lambda row, base: f"{base}/api/v1/assignments/{row.id}",
    "assignment_id": lambda row, _: row.id,
    "task_suite_id": lambda row, _: row.task_suite_id,
    "worker_id": lambda row, _: str(row.worker_id),
    "status": lambda row, _: LABELS[row.status],
    "started": lambda row, _: row.created,
    "submitted": lambda row, _: row.submitted,
    "accepted": lambda row, _: row.accepted,
    "rejected": lambda row, _: row.rejected,
    "skipped": lambda row, _: row.skipped,
    "expired": lambda row, _: row.expired,
    "reward": lambda row, _: row.reward,
}
"""The ASSIGNMENT columns that are the same on every row of an assignment (all but task_id)."""


def rows_of(row: Row[Any], columns: Columns, link_base: str) -> Iterator[str]:
    """The lines of one assignment: one per task, in the order the tasks were issued."""
    tasks = orjson.loads(row.tasks)
    solutions = orjson.loads(row.solutions) if row.solutions is not None else []
    about = ["" if name == "task_id" else cell(_ABOUT[name](row, link_base)) for name in columns.assignment]
    task_id_at = columns.assignment.index("task_id") if "task_id" in columns.assignment else None
    for position, task in enumerate(tasks):
        inputs = task.get("input_values") or {}
        outputs = solutions[position]["output_values"] if position < len(solutions) else {}
        known = task.get("known_solutions")
        golden = known[0].get("output_values") or {} if known else {}
        hints = {"text": task.get("message_on_unknown_solution")}
        if task_id_at is not None:
            about[task_id_at] = cell(task["id"])
        cells = [
            *[cell(inputs.get(name)) for name in columns.inputs],
            *[cell(outputs.get(name)) for name in columns.outputs],
            *[cell(golden.get(name)) for name in columns.golden],
            *[cell(hints.get(name)) for name in columns.hints],
            *about,
        ]
        yield "\t".join(cells) + "\n"


def cell(value: Any) -> str:
    """One value as a TSV cell that pandas.read_csv(sep="\\t") reads back as it was."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, datetime):
        return format_datetime(value)
    else:
        text = orjson.dumps(value).decode()
    if "\t" in text or "\n" in text or "\r" in text or '"' in text:
        return '"' + text.replace('"', '""') + '"'
    return text
