"""The `kvorum` command: thin wrappers that parse flags and call into the application."""

import csv
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Annotated, get_args

import typer
import uvicorn
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kvorum.clock import Clock
from kvorum.jobs.runner import Runner
from kvorum.schemas.worker import ClientType, Education, Gender, WorkerProfile
from kvorum.services.accounts import requesters as accounts
from kvorum.services.accounts import workers
from kvorum.services.aggregated import service as aggregation
from kvorum.services.context import Context
from kvorum.services.errors import DomainError
from kvorum.settings import Settings
from kvorum.store import db, migrate
from kvorum.store.accounts import REQUESTERS

app = typer.Typer(help="kvorum: a self-hosted crowdsourcing platform with a Toloka-compatible API.")
db_app = typer.Typer(help="Database schema.")
requester_app = typer.Typer(help="Requester accounts and API tokens.")
worker_app = typer.Typer(help="Worker accounts and API tokens.")
app.add_typer(db_app, name="db")
app.add_typer(requester_app, name="requester")
app.add_typer(worker_app, name="worker")
console = Console(stderr=True, soft_wrap=True)

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url", envvar="KVORUM_DATABASE_URL", help="SQLAlchemy URL; default: embedded SQLite"
    ),
]


def _settings(database_url: str | None) -> Settings:
    return Settings(database_url=database_url) if database_url else Settings()


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=1)


def _ready_database(settings: Settings) -> db.Database:
    """Open the database, upgrading an embedded SQLite one; refuse an out-of-date server database."""
    engine = db.create(settings.database_url)
    current, head = migrate.current(engine), migrate.head()
    if current != head:
        if not db.is_sqlite(settings.database_url):
            engine.dispose()
            raise _fail(
                f"the database schema is at {current or 'nothing'}, this kvorum needs {head}: "
                "run `kvorum db upgrade` first"
            )
        migrate.upgrade(engine)
    return db.Database(engine)


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseUrl = None) -> None:
    """Apply all pending schema migrations."""
    settings = _settings(database_url)
    engine = db.create(settings.database_url)
    migrate.upgrade(engine)
    console.print(f"database at revision {migrate.current(engine)}")
    engine.dispose()


def _context(database_url: str | None) -> Context:
    settings = _settings(database_url)
    return Context(db=_ready_database(settings), clock=Clock(), settings=settings)


@requester_app.command("create")
def requester_create(name: str, database_url: DatabaseUrl = None) -> None:
    """Create a requester account; the last line printed is its API token."""
    try:
        requester, token = accounts.create_requester(_context(database_url), name=name)
    except DomainError as exc:
        raise _fail(exc.message) from None
    console.print(f"requester {requester.name!r} created with id {requester.id}; API token:")
    print(token)


@requester_app.command("token")
def requester_token(name: str, database_url: DatabaseUrl = None) -> None:
    """Issue another API token for a requester; the last line printed is the token."""
    try:
        token = accounts.issue_token(_context(database_url), REQUESTERS, name=name)
    except DomainError as exc:
        raise _fail(exc.message) from None
    console.print(f"new API token for {name!r}:")
    print(token)


def _choices(literal: object) -> str:
    """The values of a Literal type for a help text: "A, B or C"."""
    *others, last = get_args(literal)
    return f"{', '.join(others)} or {last}"


@worker_app.command("create")
def worker_create(
    name: str,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code, e.g. RU")] = None,
    languages: Annotated[str, typer.Option(help="comma-separated ISO 639-1 codes, e.g. EN,RU")] = "",
    password: Annotated[str | None, typer.Option(help="for signing in to the web pages")] = None,
    client_type: Annotated[str, typer.Option(help=_choices(ClientType))] = "BROWSER",
    adult_allowed: Annotated[bool, typer.Option(help="may see adult content")] = False,
    birth_date: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    gender: Annotated[str | None, typer.Option(help=_choices(Gender))] = None,
    education: Annotated[str | None, typer.Option(help=_choices(Education))] = None,
    city: Annotated[int | None, typer.Option(help="region id")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a worker account; the last line printed is its API token."""
    fields = {
        "country": country,
        "languages": [code.strip().upper() for code in languages.split(",") if code.strip()],
        "client_type": client_type,
        "adult_allowed": adult_allowed,
        "date_of_birth": birth_date,
        "gender": gender,
        "education": education,
        "city": city,
    }
    try:
        profile = WorkerProfile.model_validate(
            {key: value for key, value in fields.items() if value is not None}
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise _fail(f"invalid profile: {problems}") from None
    try:
        worker, token = workers.create_worker(
            _context(database_url), name=name, profile=profile, password=password
        )
    except DomainError as exc:
        raise _fail(exc.message) from None
    console.print(f"worker {worker.name!r} created with id {worker.id}; API token:")
    print(token)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8080,
    workers: Annotated[int, typer.Option(min=1, help="server processes")] = 1,
    database_url: DatabaseUrl = None,
) -> None:
    """Run the API server."""
    settings = _settings(database_url)
    _ready_database(settings).dispose()
    os.environ["KVORUM_DATABASE_URL"] = settings.database_url
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    console.print(f"kvorum serving http://{host}:{port} on {settings.database_url}")
    uvicorn.run(
        "kvorum.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config=None,
    )


@app.command()
def jobs(database_url: DatabaseUrl = None) -> None:
    """Run the background jobs without serving the API, until SIGINT or SIGTERM ends the current pass.

    For servers started with KVORUM_RUN_BACKGROUND_JOBS=false; several processes may run them at once.
    """
    context = _context(database_url)
    runner = Runner(context)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: runner.stop())
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    console.print(f"kvorum running background jobs on {context.settings.database_url}")
    try:
        runner.run()
    finally:
        context.db.dispose()


STAGES = {"reading": "reading answers", "aggregating": "aggregating", "writing": "writing labels"}


@app.command()
def aggregate(
    pool_id: str,
    out: Annotated[Path, typer.Option(help="the TSV file to write: task_id, OUTPUT:<field>..., confidence")],
    method: Annotated[
        str, typer.Option(help="DAWID_SKENE, WEIGHTED_DYNAMIC_OVERLAP, MAJORITY_VOTE or an extension type")
    ] = "DAWID_SKENE",
    field: Annotated[
        list[str] | None, typer.Option(help="an output field to aggregate; repeat for several; default: all")
    ] = None,
    skill: Annotated[
        str | None, typer.Option(help="the skill weighing answers (WEIGHTED_DYNAMIC_OVERLAP)")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Aggregate the answers of a pool into one label per task, written to a TSV file."""
    context = _context(database_url)
    columns = (TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console) as progress:
            bars = {stage: progress.add_task(text, total=None) for stage, text in STAGES.items()}

            def advance(stage: str, done: int, total: int) -> None:
                progress.update(bars[stage], completed=done, total=total)

            result = aggregation.of_pool(
                context, pool_id=pool_id, method=method, fields=field or [], skill_id=skill, progress=advance
            )
            with out.open("w", newline="", encoding="utf-8") as stream:
                writer = csv.writer(stream, delimiter="\t", lineterminator="\n")
                for written, row in enumerate(result.table()):
                    writer.writerow(row)
                    if written % 10_000 == 0:
                        advance("writing", written, result.labelled)
                advance("writing", result.labelled, result.labelled)
    except DomainError as exc:
        problems = "; ".join(f"{path}: {problem['message']}" for path, problem in (exc.payload or {}).items())
        raise _fail(f"{exc.message}{': ' + problems if problems else ''}") from None
    finally:
        context.db.dispose()
    console.print(f"{result.labelled} labels written to {out}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
