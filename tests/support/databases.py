"""Fresh, migrated, empty databases on SQLite and on a throwaway PostgreSQL.

Each database is cloned from a template migrated once, which is much faster than migrating
every time. KVORUM_TEST_BACKENDS=sqlite (or postgresql) narrows the backends while developing.
"""

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from kvorum.store import db, migrate
from tests.support.pgserver import PostgresServer

BACKENDS = [name for name in os.environ.get("KVORUM_TEST_BACKENDS", "sqlite,postgresql").split(",") if name]

_TEMPLATE = "kvorum_template"


class Databases:
    """Hands out fresh databases; the PostgreSQL server starts on the first PostgreSQL database."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._sqlite_template: Path | None = None
        self._postgres: PostgresServer | None = None
        self._names = itertools.count()

    @property
    def postgres(self) -> PostgresServer:
        """The server, with the migrated template database on it."""
        if self._postgres is None:
            server = PostgresServer().start()
            server.create_database(_TEMPLATE)
            engine = db.create(server.url_for(_TEMPLATE))
            migrate.upgrade(engine)
            engine.dispose()
            self._postgres = server
        return self._postgres

    def _sqlite(self) -> Path:
        if self._sqlite_template is None:
            path = self._folder / "template.db"
            engine = db.create(f"sqlite:///{path}")
            migrate.upgrade(engine)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            self._sqlite_template = path
        return self._sqlite_template

    @contextmanager
    def fresh(self, backend: str, folder: Path) -> Iterator[str]:
        """The URL of a new database of `backend` (an SQLite file goes in `folder`), dropped after."""
        if backend == "sqlite":
            path = folder / "kvorum.db"
            shutil.copyfile(self._sqlite(), path)
            yield f"sqlite:///{path}"
            return
        server = self.postgres
        name = f"kvorum_test_{os.getpid()}_{next(self._names)}"
        server.create_database(name, template=_TEMPLATE)
        try:
            yield server.url_for(name)
        finally:
            server.drop_database(name)

    def close(self) -> None:
        if self._postgres is not None:
            self._postgres.stop()
            self._postgres = None

    def __enter__(self) -> "Databases":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
