"""Throwaway PostgreSQL server for tests, started from the installed binaries.

Tests need a real PostgreSQL (the store uses PostgreSQL-only SQL), but must not depend on a
system service or touch shared state, so each server lives in its own temp dir on a free port.
"""

from __future__ import annotations

import atexit
import getpass
import glob
import os
import shutil
import socket
import stat
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql

_BINARIES = ("initdb", "pg_ctl", "postgres")
_START_TIMEOUT_S = 60
_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",  # durability is pointless for throwaway data; these make tests much faster
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}


def _version_key(bindir: str) -> tuple[int, ...]:
    parts = Path(bindir).parent.name.split(".")
    return tuple(int(p) for p in parts if p.isdigit())


def find_bindir() -> Path:
    """Directory holding initdb/pg_ctl/postgres: PATH first, else the newest Debian install."""
    found = [shutil.which(b) for b in _BINARIES]
    if all(found):
        return Path(os.path.realpath(str(found[0]))).parent
    dirs = glob.glob("/usr/lib/postgresql/*/bin")
    candidates = [d for d in dirs if all(os.access(os.path.join(d, b), os.X_OK) for b in _BINARIES)]
    if not candidates:
        raise RuntimeError(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH or in "
            "/usr/lib/postgresql/*/bin; run `apt-get install postgresql` to get them."
        )
    return Path(max(candidates, key=_version_key))


def _free_port() -> int:
    """Let the kernel pick an unused port on 127.0.0.1 (tiny race until postgres binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _traversable(path: Path) -> bool:
    return all(p.stat().st_mode & stat.S_IXOTH for p in path.resolve().parents)


class PostgresServer:
    """One private PostgreSQL instance; trust auth, 127.0.0.1 only, removed on stop()."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.as_root = os.geteuid() == 0  # postgres refuses to run as root: use the postgres user
        self.user = "postgres" if self.as_root else getpass.getuser()
        self.port = 0
        self.tmpdir: Path | None = None
        self._running = False

    def _run(self, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        cmd = [*prefix, str(self.bindir / args[0]), *args[1:]]
        return subprocess.run(
            cmd, cwd=self.tmpdir, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout
        )

    def start(self) -> PostgresServer:
        """initdb into a fresh temp dir, then start and wait until it accepts connections."""
        base = tempfile.gettempdir()
        if self.as_root and not _traversable(Path(base) / "x"):
            base = "/tmp"  # the postgres user must be able to reach its data dir
        self.tmpdir = Path(tempfile.mkdtemp(prefix="kvorum-pg-", dir=base))
        if self.as_root:
            shutil.chown(self.tmpdir, user="postgres", group="postgres")
        data, log = self.tmpdir / "data", self.tmpdir / "server.log"
        try:
            initdb = ["-D", str(data), "-U", self.user, "--auth=trust", "--encoding=UTF8", "--locale=C"]
            res = self._run("initdb", *initdb, "--no-sync", timeout=120)
            if res.returncode != 0:
                raise RuntimeError(f"initdb failed:\n{res.stdout}\n{res.stderr}")
            self.port = _free_port()
            settings = {**_SETTINGS, "port": str(self.port), "unix_socket_directories": f"'{self.tmpdir}'"}
            with open(data / "postgresql.conf", "a") as conf:
                conf.writelines(f"{k} = {v}\n" for k, v in settings.items())
            self._running = True
            atexit.register(self.stop)
            start = ["start", "-w", "-t", str(_START_TIMEOUT_S), "-D", str(data), "-l", str(log)]
            res = self._run("pg_ctl", *start, timeout=_START_TIMEOUT_S + 30)
            if res.returncode != 0:
                log_text = log.read_text(errors="replace") if log.exists() else "(no log)"
                raise RuntimeError(f"pg_ctl start failed:\n{res.stdout}\n{res.stderr}\n{log_text}")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Kill the server immediately (no need for a clean shutdown) and delete its files; idempotent."""
        if self._running and self.tmpdir is not None:
            self._running = False
            atexit.unregister(self.stop)
            self._run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", str(self.tmpdir / "data"), timeout=60)
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def url_for(self, dbname: str) -> str:
        """SQLAlchemy URL for a database on this server."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def conninfo(self, dbname: str = "postgres") -> str:
        """libpq/psycopg connection string for a database on this server."""
        return f"host=127.0.0.1 port={self.port} user={self.user} dbname={dbname}"

    def create_database(self, name: str, template: str | None = None) -> None:
        """CREATE DATABASE, optionally cloned from a template (fast way to get a migrated schema)."""
        stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            stmt = sql.SQL("{} TEMPLATE {}").format(stmt, sql.Identifier(template))
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(stmt)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE, kicking out leftover connections so a leaked session can't block it."""
        stmt = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(stmt)
