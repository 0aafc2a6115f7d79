"""The `kvorum` command: thin wrappers that parse flags and call into the application."""

import asyncio
import csv
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import IO, Annotated, Any, get_args

import typer
import uvicorn
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from kvorum import demo as demo_package
from kvorum import simulate as crowd_simulation
from kvorum.clock import Clock
from kvorum.demo import html as demo_html
from kvorum.demo import run as demo_run
from kvorum.demo import terminal as demo_terminal
from kvorum.jobs.runner import Runner
from kvorum.schemas.worker import ClientType, Education, Gender, WorkerProfile
from kvorum.services.accounts import invites, workers
from kvorum.services.accounts import requesters as accounts
from kvorum.services.aggregated import service as aggregation
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, DomainError
from kvorum.settings import Settings
from kvorum.simulate import config as crowd_config
from kvorum.simulate import progress
from kvorum.simulate.server import DEFAULT_URL, checked_url
from kvorum.store import db, migrate
from kvorum.store.accounts import REQUESTERS, WORKERS, Accounts

app = typer.Typer(help="kvorum: a self-hosted crowdsourcing platform with a Toloka-compatible API.")
db_app = typer.Typer(help="Database schema.")
requester_app = typer.Typer(help="Requester accounts and API tokens.")
worker_app = typer.Typer(help="Worker accounts and API tokens.")
invite_app = typer.Typer(help="Invite codes for sign-up by invitation.")
app.add_typer(db_app, name="db")
app.add_typer(requester_app, name="requester")
app.add_typer(worker_app, name="worker")
app.add_typer(invite_app, name="invite")
console = Console(stderr=True, soft_wrap=True)

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url", envvar="KVORUM_DATABASE_URL", help="SQLAlchemy URL; default: embedded SQLite"
    ),
]


def _settings(database_url: str | None) -> Settings:
    """The settings, the flag over the environment; every command that opens the database says which."""
    settings = Settings(database_url=database_url) if database_url else Settings()
    console.print(f"database: {settings.database_url}")
    return settings


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


def _print_new_token(kind: Accounts, name: str, database_url: str | None) -> None:
    """Issue another API token for the account and print it as the last line."""
    try:
        token = accounts.issue_token(_context(database_url), kind, name=name)
    except DomainError as exc:
        raise _fail(exc.message) from None
    console.print(f"new API token for {name!r}:")
    print(token)


@requester_app.command("token")
def requester_token(name: str, database_url: DatabaseUrl = None) -> None:
    """Issue another API token for a requester; the last line printed is the token."""
    _print_new_token(REQUESTERS, name, database_url)


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


@worker_app.command("token")
def worker_token(name: str, database_url: DatabaseUrl = None) -> None:
    """Issue another worker API token; the last line printed is the token."""
    _print_new_token(WORKERS, name, database_url)


@invite_app.command("create")
def invite_create(
    count: Annotated[int, typer.Option(min=1, max=1000, help="how many codes")] = 1,
    database_url: DatabaseUrl = None,
) -> None:
    """Create invite codes for sign-up by invitation (KVORUM_SIGNUP=invite), one a line."""
    codes = invites.create_invites(_context(database_url), count=count)
    console.print(f"{len(codes)} invite code(s), each good for one sign-up:")
    print("\n".join(codes))


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
    console.print(f"kvorum serving http://{host}:{port}")
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


class LocalAccounts:
    """Simulated workers' accounts made in the server's database, as `kvorum worker create` makes
    them; a name that exists already gets a new token, so a crowd can come back."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def worker_tokens(self, names: Sequence[str]) -> list[str]:
        profile = WorkerProfile(languages=["EN"])
        make = partial(workers.create_worker, self.context, profile=profile)
        return [self._token(WORKERS, name, make) for name in names]

    def requester_token(self, name: str) -> str:
        return self._token(REQUESTERS, name, partial(accounts.create_requester, self.context))

    def _token(self, kind: Accounts, name: str, make: Callable[..., tuple[object, str]]) -> str:
        try:
            return make(name=name)[1]
        except Conflict:
            return accounts.issue_token(self.context, kind, name=name)


Share = Annotated[float | None, typer.Option(min=0, max=1, show_default=False)]


@app.command()
def simulate(
    config: Annotated[Path | None, typer.Option(help="crowd file (TOML); flags override it")] = None,
    url: Annotated[str | None, typer.Option(help=f"the server; default {DEFAULT_URL}")] = None,
    token: Annotated[
        str | None,
        typer.Option(envvar="KVORUM_TOKEN", help="requester API token; default: one for --requester"),
    ] = None,
    requester: Annotated[str, typer.Option(help="requester made or reused when no token is given")] = (
        "simulator"
    ),
    worker_tokens: Annotated[
        Path | None, typer.Option(help="name<TAB>token lines, for a server whose database is elsewhere")
    ] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="crowd size", show_default=False)] = None,
    spammers: Share = None,
    constant_spammers: Share = None,
    mediocre: Share = None,
    adversarial: Share = None,
    fast_clickers: Share = None,
    abandoning: Share = None,
    seed: Annotated[int | None, typer.Option(show_default=False)] = None,
    tasks: Annotated[
        int | None, typer.Option(help="generated ground truth: items", show_default=False)
    ] = None,
    classes: Annotated[
        int | None, typer.Option(help="generated ground truth: classes", show_default=False)
    ] = None,
    truth: Annotated[Path | None, typer.Option(help="ground truth TSV (a `label` column)")] = None,
    pool: Annotated[
        list[str] | None, typer.Option(help="work these pools (repeat) instead of making one")
    ] = None,
    max_assignments: Annotated[int | None, typer.Option(min=1, show_default=False)] = None,
    max_seconds: Annotated[float | None, typer.Option(min=0.001, show_default=False)] = None,
    time_scale: Annotated[float | None, typer.Option(min=0, show_default=False)] = None,
    overlap: Annotated[int | None, typer.Option(min=1, show_default=False)] = None,
    tasks_per_suite: Annotated[int | None, typer.Option(min=1, show_default=False)] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Run a simulated crowd against a live server through its HTTP API, and print what it did."""
    shares = {
        "random_spammer": spammers,
        "constant_spammer": constant_spammers,
        "mediocre": mediocre,
        "adversarial": adversarial,
        "fast_clicker": fast_clickers,
        "abandoning": abandoning,
    }
    flags: dict[str, Any] = {
        "seed": seed,
        "crowd": {
            "workers": workers,
            **{kind: {"share": share} for kind, share in shares.items()},
        },
        "truth": {"tasks": tasks, "classes": classes, "tsv": None if truth is None else str(truth)},
        "run": {
            "pools": pool or None,
            "max_assignments": max_assignments,
            "max_seconds": max_seconds,
            "time_scale": time_scale,
            "overlap": overlap,
            "tasks_per_suite": tasks_per_suite,
        },
    }
    try:
        document = crowd_config.merged(crowd_config.read(config) if config else {}, _given(flags))
        settings = crowd_config.parse(document)
        ground_truth = settings.truth.load(settings.simulation.seed)
        target = checked_url(url or DEFAULT_URL, explicit=url is not None)
    except crowd_simulation.SimulationError as exc:
        raise _fail(str(exc)) from None
    simulation = replace(settings.simulation, url=target)
    needs_database = worker_tokens is None or (token is None and not simulation.pools)
    local = LocalAccounts(_context(database_url)) if needs_database else None
    try:
        crowd_accounts: crowd_simulation.Accounts
        if worker_tokens is not None:
            crowd_accounts = crowd_simulation.TokenFile(worker_tokens)
        else:
            assert local is not None
            crowd_accounts = local
        if token is None and local is not None and not simulation.pools:
            token = local.requester_token(requester)
        console.print(f"simulating {simulation.crowd.workers} workers on {target}")
        with progress.progress_bar(console, simulation.expected_assignments(ground_truth)) as observe:
            result = crowd_simulation.run(
                replace(simulation, requester_token=token), ground_truth, crowd_accounts, observe
            )
    except crowd_simulation.SimulationError as exc:
        raise _fail(str(exc)) from None
    for line in progress.summary(result):
        console.print(line)


def _given(flags: dict[str, Any]) -> dict[str, Any]:
    """The flags that were given, as a document shaped like the crowd file."""
    given: dict[str, Any] = {}
    for key, value in flags.items():
        inner = _given(value) if isinstance(value, dict) else value
        if inner is not None and inner != {}:
            given[key] = inner
    return given


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


DEMO_PORT = 8080
SERVER_START_S = 60.0


def free_port(preferred: int | None = None) -> int:
    """`preferred` when nothing listens there on 127.0.0.1, else a port the system picks."""
    with socket.socket() as probe:
        if preferred is not None and probe.connect_ex(("127.0.0.1", preferred)) != 0:
            return preferred
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        return int(free.getsockname()[1])


@contextmanager
def time_travel_server(
    database_url: str, port: int, log_path: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`kvorum serve` in a process of its own, its clock movable (time-travel mode), until ready;
    its log goes to `log_path` (else a temporary file, shown if it does not start)."""
    env = {**os.environ, "KVORUM_TIME_TRAVEL": "true", "KVORUM_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "kvorum", "serve", "--port", str(port), "--database-url", database_url]
    with log_path.open("w+b") if log_path else tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            _wait_listening(process, port, log)
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()


def _wait_listening(process: subprocess.Popen[bytes], port: int, log: IO[bytes]) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline and process.poll() is None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    log.seek(0)
    error = log.read().decode(errors="replace")[-2000:]
    raise _fail(f"the server did not start on port {port}: {error}")


def _visitor(context: Context) -> tuple[str, str]:
    """A worker who signs in to the web pages: a new account with a fresh password on every run
    (the first free name of visitor, visitor-2, ...), so that a run never fails on a name taken."""
    password = secrets.token_urlsafe(9)
    for number in range(1, 1000):
        name = "visitor" if number == 1 else f"visitor-{number}"
        try:
            workers.create_worker(
                context, name=name, profile=WorkerProfile(languages=["EN"]), password=password
            )
        except Conflict:
            continue
        return name, password
    raise _fail("no free visitor name left")


@app.command()
def demo(
    tasks: Annotated[int, typer.Option(min=10, max=20_000, help="real tasks")] = 2000,
    workers_count: Annotated[int, typer.Option("--workers", min=2, max=1000, help="simulated workers")] = 200,
    seed: Annotated[int, typer.Option(help="draws the crowd and the items")] = 1,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="keep serving after the report")
    ] = True,
    port: Annotated[
        int | None, typer.Option(help=f"default {DEMO_PORT}, or a free one when it is taken")
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="the HTML report; default: next to the database")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Run a simulated crowd through kvorum's quality control and a static baseline; print the report."""
    settings = _settings(database_url)
    context = Context(db=_ready_database(settings), clock=Clock(), settings=settings)
    local = LocalAccounts(context)
    token = local.requester_token("demo")
    visitor, password = _visitor(context)
    chosen = free_port(DEMO_PORT) if port is None else port
    url = f"http://127.0.0.1:{chosen}"
    options = demo_run.Options(tasks=tasks, workers=workers_count, seed=seed)
    with time_travel_server(settings.database_url, chosen) as process, _demo_progress() as observe:
        console.print(f"kvorum serving {url} (time-travel clock: the crowd's hours pass in seconds)")
        try:
            result = asyncio.run(
                demo_package.demo(url, token, local, options, observe, database=settings.database_url)
            )
        except crowd_simulation.SimulationError as exc:
            raise _fail(str(exc)) from None
        finally:
            context.db.dispose()
        demo_terminal.show(console, result)
        target = report or _report_path(settings.database_url)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(demo_html.render(result), encoding="utf-8")
        console.print(f"report: {target.resolve()}")
        console.print(f"database: {settings.database_url}")
        if not serve_after:
            return
        console.print(f"serving {url} until Ctrl+C")
        console.print(f"requester API token (OAuth): {token}")
        console.print(f"worker sign-in at {url}/signin: name {visitor!r}, password {password!r}")
        signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # the server stops on the way out
        process.wait()


def _report_path(database_url: str) -> Path:
    """Next to an SQLite database, else in the working directory."""
    prefix = "sqlite:///"
    folder = Path(database_url[len(prefix) :]).parent if database_url.startswith(prefix) else Path()
    return folder / "demo-report.html"


@contextmanager
def _demo_progress() -> Iterator[demo_run.Observer]:
    """A bar per configuration, moved by the crowd's assignments."""
    columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, refresh_per_second=4) as bars:
        tasks: dict[str, TaskID] = {}

        def observe(name: str, done: int, expected: int) -> None:
            if name not in tasks:
                tasks[name] = bars.add_task(name, total=expected)
            bars.update(tasks[name], completed=done, total=max(expected, done))

        yield observe


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
