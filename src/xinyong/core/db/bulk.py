"""Bulk SQL for the hot paths (imports, the daily job): a constant handful of
statements per chunk of thousands of rows, the fastest way each database has.

The ORM builds one placeholder and one Python conversion per value of an
`__in` list, one model instance per `bulk_create` row, and on SQLite caps an
INSERT at 999 parameters. At 2,000–5,000 rows per call that is most of the
time and dozens of statements, so the hot paths write their statements
through these functions; everything else uses the ORM.

- `any_of`: a list of values as ONE parameter, using the column's index;
- `insert`: INSERT … SELECT * FROM UNNEST(arrays) (PostgreSQL), multi-row
  VALUES under the parameter limit (SQLite), with ON CONFLICT and RETURNING;
- `insert_rows`: COPY (PostgreSQL), one prepared INSERT run for every row
  (SQLite), for rows nothing reads back;
- `update_rows`: COPY into a temporary table and one UPDATE … FROM
  (PostgreSQL), one prepared UPDATE run for every row (SQLite).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model

from xinyong.core.db import Fragment, dialect


def _concrete_fields(model: type[Model], names: Iterable[str]) -> list[Field[Any, Any]]:
    """The model's fields of these names, each a column of its table."""
    fields = []
    for name in names:
        field = model._meta.get_field(name)
        if not isinstance(field, Field) or field.column is None:
            raise TypeError(f"{model._meta.label}.{name} is not a column")
        fields.append(field)
    return fields


def _columns(fields: Sequence[Field[Any, Any]]) -> list[str]:
    return [field.column for field in fields if field.column is not None]


def _db_types(fields: Sequence[Field[Any, Any]]) -> list[str]:
    return [field.db_type(connection) or "" for field in fields]


def any_of(column: str, values: Iterable[Any]) -> Fragment:
    """SQL `column ∈ values` with the whole list as one parameter."""
    return dialect().any_of(column, values)


def select(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of a read whose parameters may be large arrays (`any_of`)."""
    with connection.cursor() as cursor:
        dialect().execute_binary(cursor, sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def execute_binary(cursor: CursorWrapper, sql: str, params: Sequence[Any]) -> None:
    """Run `sql` on a Django cursor, large array parameters included."""
    dialect().execute_binary(cursor, sql, params)


def db_datetime(value: dt.datetime) -> str | dt.datetime:
    """An aware datetime as the database stores it (SQLite: naive UTC text)."""
    adapted = connection.ops.adapt_datetimefield_value(value)
    if adapted is None:  # only for a None value, which the signature excludes
        raise ValueError("a datetime is required")
    return adapted


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Append rows (values in the order of `columns`) to `table` (quoted)."""
    if rows:
        dialect().copy_rows(table, columns, rows)


def insert(
    model: type[Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    suffix: str = "",
    suffix_params: Sequence[Any] = (),
    returning: bool = False,
) -> list[int]:
    """Insert `rows` (values in the order of `fields`) in as few statements
    as the database allows. `suffix` is an `ON CONFLICT …` clause; with
    `returning`, the new ids come back in the order of `rows` (as Django's
    own `bulk_create` relies on)."""
    if not rows:
        return []
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        raise RuntimeError("xinyong needs PostgreSQL or SQLite 3.35+ (INSERT … RETURNING)")
    model_fields = _concrete_fields(model, fields)
    db = dialect()
    return db.insert_many(
        db.quote(model._meta.db_table),
        _columns(model_fields),
        _db_types(model_fields),
        rows,
        suffix=suffix,
        suffix_params=suffix_params,
        returning=returning,
    )


def update_rows(
    model: type[Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    also: dict[str, Any] | None = None,
) -> None:
    """Set `fields` of each row of `model`'s table: a row is the values in
    the order of `fields`, then the id. `also` sets the same value of other
    fields on every row (e.g. `{"updated_at": now}`)."""
    if not rows:
        return
    model_fields = _concrete_fields(model, fields)
    also = also or {}
    also_fields = _concrete_fields(model, also)
    extra = dict(
        zip(
            _columns(also_fields),
            [f.get_db_prep_value(v, connection) for f, v in zip(also_fields, also.values())],  # noqa: B905 — same length by construction
            strict=True,
        )
    )
    db = dialect()
    db.update_many(
        db.quote(model._meta.db_table),
        _columns(model_fields),
        _db_types(model_fields),
        rows,
        also=extra,
    )
