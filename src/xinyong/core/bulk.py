"""Bulk writes for the hot paths (imports): the fastest way each database has.

- `insert_rows`: COPY … FROM STDIN on PostgreSQL; on SQLite one prepared
  INSERT run for every row (`executemany`).
- `execute_binary`: a statement whose parameters are large arrays. On
  PostgreSQL they go in binary form: psycopg's text form escapes every
  element in Python, which costs more than the statement itself.

Django's `bulk_create` builds a model instance per row and, on PostgreSQL
5.2, sends text arrays: fine for hundreds of rows, the bottleneck at millions.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows (values in the order of `columns`) into `table` (quoted)."""
    if not rows:
        return
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


def execute_binary(cursor, sql: str, params: Sequence[Any]) -> None:
    """Run `sql` on a Django cursor, with binary parameters where possible."""
    raw = cursor.cursor
    if connection.vendor == "postgresql" and type(raw).__name__ != "ClientCursor":
        # Straight to psycopg, so translate its errors as Django's cursor would
        # (callers catch django.db.IntegrityError).
        with connection.wrap_database_errors:
            raw.execute(sql, params, binary=True)
    else:
        cursor.execute(sql, params)
