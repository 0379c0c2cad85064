"""The interface every database dialect answers: what differs between SQLite
and PostgreSQL, in one place (compare the `provider/` package of
opensanctions/yente, which hides its search backends behind one class).

Code elsewhere asks `core.db.dialect()` for the dialect of its connection and
calls these methods; it never branches on `connection.vendor` itself. A
method whose work one database does not need (ANALYZE on SQLite, a page
cache on PostgreSQL) is a no-op there, so callers stay unconditional.

The subject-name search index (tables and triggers on `subjects_subject`,
owned by the `subjects` app's migrations) is described in each dialect's
module: the text there is the live definition; the migrations freeze a copy.
"""

import abc
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, NamedTuple

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper


class Fragment(NamedTuple):
    """A piece of SQL and its parameters."""

    sql: str
    params: list[Any]


class Dialect(abc.ABC):
    """One database vendor's way of doing the things below, on one connection."""

    vendor: str
    # Whether the database has locks that end with the session that holds
    # them (PostgreSQL's advisory locks). Without them (SQLite, one machine),
    # `core.tasks.leases` locks files instead.
    has_advisory_locks: bool = False

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    # -- locks -------------------------------------------------------------------

    def try_advisory_lock(self, key: int) -> bool:
        """Take the session-level lock `key` on this connection if it is free."""
        raise NotImplementedError(f"{self.vendor} has no advisory locks")

    def advisory_unlock(self, key: int) -> None:
        raise NotImplementedError(f"{self.vendor} has no advisory locks")

    def transaction_lock(self, key: int) -> None:
        """Wait for the lock `key` until the current transaction ends. A no-op
        where the caller's transaction already excludes every other writer
        (SQLite's EXCLUSIVE transaction)."""
        return

    # -- shared counters (core.ratelimit) ----------------------------------------

    @abc.abstractmethod
    def counter_add(self, key: str, amount: int, *, expires: int) -> int:
        """Add `amount` to the shared counter `key` (created at 0, to be
        forgotten after the Unix time `expires`) and return its new value,
        as every process of the deployment sees it. Raises DatabaseError or
        sqlite3.Error when the store does not answer at once."""

    @abc.abstractmethod
    def counters_purge(self, now: int) -> None:
        """Forget the shared counters whose time is past."""

    def quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    # -- bulk SQL ----------------------------------------------------------------

    @abc.abstractmethod
    def any_of(self, column: str, values: Iterable[Any]) -> Fragment:
        """SQL `column ∈ values` with the whole list as ONE parameter, using
        the column's index (the ORM binds one parameter per value)."""

    @abc.abstractmethod
    def in_subquery(self, column_sql: str, subquery_sql: str, *, use_index: bool) -> str:
        """SQL `column ∈ (subquery)`, the subquery run once as a list of ids.
        `use_index=False` asks the planner not to pick the column's own index
        (where a planner would otherwise prefer it to an ordered one)."""

    @abc.abstractmethod
    def not_in_subquery(self, column_sql: str, subquery_sql: str) -> str:
        """SQL `column ∉ (subquery)`, true for a NULL column, the subquery
        run once as a list; a residual filter the planner takes as keeping
        almost every row (it must not change the plan it filters)."""

    @abc.abstractmethod
    def execute_binary(self, cursor: CursorWrapper, sql: str, params: Sequence[Any]) -> None:
        """Run `sql` on a Django cursor, large array parameters included."""

    @abc.abstractmethod
    def copy_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Append rows to `table` (quoted) the fastest way the database has."""

    @abc.abstractmethod
    def insert_many(
        self,
        table: str,
        columns: Sequence[str],
        db_types: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        suffix: str,
        suffix_params: Sequence[Any],
        returning: bool,
    ) -> list[int]:
        """INSERT `rows` in as few statements as the database allows;
        `suffix` (an ON CONFLICT clause) ends each one; with `returning`,
        the new ids in the order of `rows`."""

    @abc.abstractmethod
    def update_many(
        self,
        table: str,
        columns: Sequence[str],
        db_types: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        also: dict[str, Any],
    ) -> None:
        """UPDATE `table` SET each of `columns` from a row, WHERE id = the
        row's last value; `also` sets the same (already adapted) value on
        every row (e.g. `updated_at`)."""

    # -- one connection's session -------------------------------------------------

    @abc.abstractmethod
    def analyze(self, table: str, columns: Sequence[str]) -> None:
        """Refresh the planner's statistics of `columns` of `table`, inside
        the current transaction, where the planner needs it to see rows
        written by that transaction."""

    @abc.abstractmethod
    def check_constraints_per_statement(self) -> None:
        """Check deferred constraints (Django's foreign keys) as each
        statement ends rather than at COMMIT, until the transaction ends."""

    @abc.abstractmethod
    def yield_writes(self, seconds: float) -> None:
        """Between two write transactions of a long job (an import's chunks):
        give other writers a chance at the database. SQLite has one write
        lock, and a writer waiting in its busy handler polls at growing
        intervals (up to 100 ms), so a job that begins its next transaction
        at once keeps winning it: pause `seconds`. (PostgreSQL: nothing.)"""

    @abc.abstractmethod
    def page_cache(self, megabytes: int) -> AbstractContextManager[None]:
        """A context in which this connection keeps a page cache of
        `megabytes` (0 or less: as it is); given back afterwards."""

    @abc.abstractmethod
    def fetch_unprepared(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Run a read and return its rows, planned for these parameter values
        (never a cached generic plan). For statements whose best plan
        depends on the values, such as a `LIKE` search."""

    @abc.abstractmethod
    def explain(self, sql: str, params: Sequence[Any]) -> list[str]:
        """The database's plan for a statement, one line per step."""

    # -- the subject-name search index ----------------------------------------------

    @abc.abstractmethod
    def name_prefix(self, key: str, *, cap: int, exclude_kind: str) -> Fragment:
        """At most `cap` rows (id, name_key) of subjects whose name key starts
        with `key`, `exclude_kind` left out; by index."""

    @abc.abstractmethod
    def name_contains(
        self, key: str, pieces: Sequence[str], *, cap: int, exclude_kind: str
    ) -> Fragment:
        """At most `cap` rows (id, name_key) of subjects whose name key
        contains `key` (3 characters or more), `exclude_kind` left out: the
        trigram index asked for `pieces` (a few trigrams of `key`, or empty
        for the whole key), then the whole key checked."""

    @abc.abstractmethod
    def search_index_deferred(self) -> AbstractContextManager[None]:
        """A block whose new subjects enter the search index at its end, in
        set-based statements, rather than row by row (where that is cheaper)."""

    @abc.abstractmethod
    def search_index_objects(self) -> dict[str, set[str]]:
        """The search index's objects found in the database, by type
        ("table", "trigger", "index", "function"): for checks and tests."""

    @abc.abstractmethod
    def ensure_search_triggers(self) -> None:
        """Put back the search index's triggers where a table rebuild of
        `subjects_subject` dropped them (SQLite's "remake table")."""


# Well under PostgreSQL's 65,535 parameters a statement and SQLite's 32,766
# (its default since 3.32).
MAX_PARAMS = 30_000
