"""Fast inserts of many rows: the driver's own bulk path, not one SQLAlchemy parameter set per row.

SQLite gets executemany on the raw connection; PostgreSQL gets COPY. Both run inside the
caller's transaction.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], values: Sequence[tuple[Any, ...]]
) -> None:
    """Insert `values` (tuples in the order of `columns`) into `table`."""
    if not values:
        return
    driver = conn.connection.driver_connection
    assert driver is not None
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        with driver.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for value in values:
                copy.write_row(value)
        return
    marks = ", ".join("?" for _ in columns)
    driver.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", values)
