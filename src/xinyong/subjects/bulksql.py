"""Moved to `xinyong.core.db.bulk` (the one bulk-SQL module). This name stays
until `subjects.resolution` and `records.services` import from there;
nothing new should use it."""

from xinyong.core.db.bulk import any_of, db_datetime, insert, select

__all__ = ["any_of", "db_datetime", "insert", "select"]
