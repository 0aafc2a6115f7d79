"""SQLite writers queue on kvorum's own locks rather than on SQLite's sleeping busy handler."""

import fcntl
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from kvorum.store import db


def _lock_is_free(path: Path) -> bool:
    descriptor = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)  # closing drops a lock taken here
    return True


def test_a_write_holds_the_cross_process_lock(tmp_path: Path) -> None:
    database = db.Database(db.create(f"sqlite:///{tmp_path / 'k.db'}"))
    lock = tmp_path / "k.db.writer-lock"
    try:
        with database.write() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            assert not _lock_is_free(lock)  # another process would wait here, not in SQLite
        assert _lock_is_free(lock)
        with database.read() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 0
            assert _lock_is_free(lock)  # readers never queue
    finally:
        database.dispose()


def test_busy_writers_of_two_handles_all_succeed_one_at_a_time(tmp_path: Path) -> None:
    """Two handles stand for two server processes: each has its own lock file descriptor."""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    handles = [db.Database(db.create(url)) for _ in range(2)]
    with handles[0].write() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    inside, most = 0, 0
    guard = threading.Lock()

    def write(handle: db.Database) -> None:
        nonlocal inside, most
        for _ in range(50):
            with handle.write() as conn:
                with guard:
                    inside += 1
                    most = max(most, inside)
                conn.execute(text("INSERT INTO t VALUES (1)"))
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=write, args=(handle,)) for handle in handles for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert most == 1
        with handles[1].read() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 300
    finally:
        for handle in handles:
            handle.dispose()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_databases_need_no_lock_file(url: str) -> None:
    database = db.Database(db.create(url))
    try:
        with database.write() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        database.dispose()


def test_postgresql_plans_each_statement_for_its_values(database_url: str) -> None:
    if db.is_sqlite(database_url):
        pytest.skip("a PostgreSQL setting")
    database = db.Database(db.create(database_url))
    try:
        for _ in range(2):  # a new connection, and one back from the pool
            with database.read() as conn:
                assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "force_custom_plan"
    finally:
        database.dispose()
