"""Database-vendor differences, in one place: `dialect()` gives the dialect
of a connection (SQLite or PostgreSQL), whose methods are the one interface
(`base.Dialect`) the rest of the code calls instead of branching on
`connection.vendor`. Bulk SQL built on it: `core.db.bulk`.

This package imports nothing of ours but `core`'s own modules: apps above use
it, never the other way round.
"""

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

from xinyong.core.db.base import Dialect, Fragment
from xinyong.core.db.postgresql import PostgreSQLDialect
from xinyong.core.db.sqlite import SQLiteDialect

_DIALECTS: dict[str, type[Dialect]] = {
    SQLiteDialect.vendor: SQLiteDialect,
    PostgreSQLDialect.vendor: PostgreSQLDialect,
}


def dialect(connection: BaseDatabaseWrapper | None = None) -> Dialect:
    """The dialect of `connection` (Django's default connection if None)."""
    connection = connection if connection is not None else default_connection
    try:
        return _DIALECTS[connection.vendor](connection)
    except KeyError:
        raise NotImplementedError(
            f"xinyong supports SQLite and PostgreSQL, not {connection.vendor}"
        ) from None


__all__ = ["Dialect", "Fragment", "dialect"]
