"""Bulk SQL for the resolver's hot path: a constant handful of statements per chunk.

The ORM builds one placeholder and one Python conversion per value of an
`__in` list, one model instance per `bulk_create` row, and on SQLite caps an
INSERT at 999 parameters (124 subjects). At 2,000–5,000 rows per call that
is most of the resolver's time and dozens of statements, so the hot path
writes its few statements itself:

- a list of values travels as ONE parameter: `col = ANY(%s)` (a PostgreSQL
  array) or `col IN (SELECT value FROM json_each(%s))` (SQLite's JSON1);
  both use the column's index;
- inserts are one statement `INSERT … SELECT * FROM UNNEST(array, …)` on
  PostgreSQL, multi-row `INSERT … VALUES (…), (…)` on SQLite (batched under
  its parameter limit), with the same `ON CONFLICT …` and `RETURNING id`
  (SQLite ≥ 3.35).

Everything else in the app uses the ORM.
"""

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

from xinyong.core.bulk import execute_binary

# Well under PostgreSQL's 65,535 and SQLite's 32,766 (default since 3.32).
_MAX_PARAMS = 30_000


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def any_of(column: str, values: Iterable[Any]) -> tuple[str, list[Any]]:
    """SQL `column ∈ values` with the whole list as one parameter."""
    values = list(values)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return (
        f"{column} IN (SELECT value FROM json_each(%s))",
        [json.dumps(values, ensure_ascii=False)],
    )


def select(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        execute_binary(cursor, sql, params)
        return cursor.fetchall()


def db_datetime(value) -> Any:
    """An aware datetime as the backend stores it (SQLite: naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(value)


def _param_limit() -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        return min(
            _MAX_PARAMS, connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        )
    if connection.vendor == "postgresql":
        return _MAX_PARAMS
    return connection.features.max_query_params or 999


def insert(
    model: type[Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    suffix: str = "",
    suffix_params: Sequence[Any] = (),
    returning: bool = False,
) -> list[int]:
    """Insert `rows` (values in the order of `fields`) in as few statements as
    the parameter limit allows.

    `suffix` is an `ON CONFLICT …` clause; with `returning`, the new ids come
    back in the order of `rows` (as Django's own `bulk_create` relies on).
    PostgreSQL gets one array per column through UNNEST, as Django 5.2's
    `bulk_create` does: planning a statement of thousands of placeholders
    costs more than the insert itself."""
    if not rows:
        return []
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        raise RuntimeError("xinyong needs PostgreSQL or SQLite 3.35+ (INSERT … RETURNING)")
    opts = model._meta
    model_fields = [opts.get_field(name) for name in fields]
    head = (
        f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in model_fields)}) "
    )
    tail = (f" {suffix}" if suffix else "") + (" RETURNING id" if returning else "")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # varchar[] rather than varchar(50)[]: no silent truncation.
            types = [f.db_type(connection).split("(")[0] for f in model_fields]
            arrays = ", ".join(f"(%s)::{db_type}[]" for db_type in types)
            execute_binary(
                cursor,
                f"{head}SELECT * FROM UNNEST({arrays}){tail}",
                [*map(list, zip(*rows, strict=True)), *suffix_params],
            )
            return [row[0] for row in cursor.fetchall()] if returning else []
        width = len(model_fields)
        per_statement = max(1, (_param_limit() - len(suffix_params)) // width)
        row_sql = "(" + ", ".join(["%s"] * width) + ")"
        ids: list[int] = []
        for start in range(0, len(rows), per_statement):
            part = rows[start : start + per_statement]
            params = [value for row in part for value in row]
            params.extend(suffix_params)
            cursor.execute(f"{head}VALUES {', '.join([row_sql] * len(part))}{tail}", params)
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())
    return ids
