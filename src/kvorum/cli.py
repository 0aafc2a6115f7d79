"""The `kvorum` command: thin wrappers that parse flags and call into the application."""

import logging
import os
import sys
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from kvorum.clock import Clock
from kvorum.services import accounts
from kvorum.services.context import Context
from kvorum.services.errors import DomainError
from kvorum.settings import Settings
from kvorum.store import db, migrate

app = typer.Typer(help="kvorum: a self-hosted crowdsourcing platform with a Toloka-compatible API.")
db_app = typer.Typer(help="Database schema.")
requester_app = typer.Typer(help="Requester accounts and API tokens.")
app.add_typer(db_app, name="db")
app.add_typer(requester_app, name="requester")
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
        token = accounts.issue_token(_context(database_url), name=name)
    except DomainError as exc:
        raise _fail(exc.message) from None
    console.print(f"new API token for {name!r}:")
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


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
