"""Engines and transactions for both back ends.

PostgreSQL plans every statement for its values (see _tune_postgresql).
SQLite runs in WAL mode with foreign keys on. Write transactions start with BEGIN IMMEDIATE so
that two writers queue on the busy timeout instead of failing when a read lock is upgraded.
Writers queue on locks of their own first, a thread lock within a process and an flock on a file
next to the database across processes: SQLite's busy handler sleeps in steps of up to 100 ms, so
writers left to contend for its lock wait far longer than the lock is held, while a writer
waiting on these locks wakes as soon as the holder is done.
"""

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_file(url: str) -> Path | None:
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create(url: str) -> Engine:
    """An engine for a kvorum database URL; creates the folder of an SQLite file."""
    if is_sqlite(url):
        path = _sqlite_file(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _tune_sqlite(engine)
        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    _tune_postgresql(engine)
    return engine


def _tune_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # psycopg prepares the statements a connection runs often; PostgreSQL would then plan them
        # once for any values, on the estimates of the moment: a young database's, or a small
        # pool's, are wrong for the next. Planning for the values at hand costs far less than such
        # a plan (a scan of a whole table where an index finds the rows).
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_custom_plan")
        dbapi_connection.commit()


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun explicitly below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("kvorum_write", False)
        connection.connection.dbapi_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")  # type: ignore[union-attr]


class Database:
    """A thin handle on an engine that hands out read and write transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self._writer: AbstractContextManager[Any] = nullcontext()
        if self.sqlite:
            path = _sqlite_file(engine.url.render_as_string())
            self._writer = threading.Lock() if path is None else _WriterLock(Path(f"{path}.writer-lock"))

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that will write; committed on success, rolled back on any error."""
        with (
            self._writer,
            self.engine.connect().execution_options(kvorum_write=True) as conn,
            conn.begin(),
        ):
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()
        if isinstance(self._writer, _WriterLock):
            self._writer.close()


class _WriterLock:
    """One writer at a time among this process's threads and every process on the database."""

    def __init__(self, path: Path) -> None:
        self._threads = threading.Lock()
        self._file = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def __enter__(self) -> None:
        self._threads.acquire()
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def __exit__(self, *_: object) -> None:
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._threads.release()

    def close(self) -> None:
        os.close(self._file)
