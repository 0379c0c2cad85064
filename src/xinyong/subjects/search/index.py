"""The subject-name search index: kept by triggers on `subjects_subject`,
created by migration `subjects.0002` (its DDL per database, and what each
object is for: `core.db.sqlite`, `core.db.postgresql`).

Names are indexed by their matching form `subjects_subject.name_key`
(`subjects.naming.name_key`). Natural persons are never indexed.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from xinyong.core.db import dialect


@contextmanager
def subject_index_deferred(connection: BaseDatabaseWrapper | None = None) -> Iterator[None]:
    """A block (an import) whose new subjects enter the search index in bulk
    at its end rather than one by one, where the database's triggers work
    row by row (SQLite; elsewhere the block is as any other). Subjects that
    existed before the block are indexed at once when renamed inside it. The
    block is all or nothing (a savepoint): on an error none of it stays."""
    connection = connection if connection is not None else default_connection
    with transaction.atomic(using=connection.alias), dialect(connection).search_index_deferred():
        yield


def ensure_triggers(connection: BaseDatabaseWrapper | None = None) -> None:
    """Put back the index's triggers if a table rebuild of subjects dropped
    them (SQLite's "remake table", on most migrations of subjects); run after
    every migrate (`SubjectsConfig.ready`)."""
    dialect(connection).ensure_search_triggers()


def index_objects(connection: BaseDatabaseWrapper | None = None) -> dict[str, set[str]]:
    """The index's objects in the database, by type ("table", "trigger", …)."""
    return dialect(connection).search_index_objects()
