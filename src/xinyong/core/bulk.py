"""Moved to `xinyong.core.db.bulk` (the one bulk-SQL module). This name stays
until `ingest.pipeline` imports from there; nothing new should use it."""

from xinyong.core.db.bulk import execute_binary, insert_rows

__all__ = ["execute_binary", "insert_rows"]
