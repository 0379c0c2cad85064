"""Leases: an exclusive hold on a name that lasts as long as its holder, and
that the operating system or the database ends when the holder dies, even by
`kill -9`. A worker holds one for its life, an import one for its batch; a
starting worker asks `is_held` to tell the work of a dead process from work
still under way.

- PostgreSQL: a session-level advisory lock on a connection of the lease's
  own (never Django's shared one, which closes and reopens between
  requests and tasks); the server ends the lock when the connection drops.
  Workers on several machines see each other's leases.
- SQLite: `flock` on a file under `XINYONG_DATA_DIR/locks/`; the kernel ends
  the lock when the process exits. SQLite runs on one machine, so do its
  workers.
"""

import contextlib
import fcntl
import hashlib
import os
import re
import time
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from xinyong.core.db import dialect

_TRIES = 3
_PAUSE = 0.05  # seconds


def lock_key(name: str) -> int:
    """The 64-bit PostgreSQL advisory lock key of a name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def _lock_path(name: str) -> Path:
    safe = re.sub(r"[^\w.\-]+", "_", name)[:100]
    return Path(settings.DATA_DIR) / "locks" / f"{safe}-{lock_key(name) & 0xFFFFFFFF:08x}.lock"


def _on_postgresql() -> bool:
    return dialect().has_advisory_locks


class Lease:
    """`with Lease(name) as lease:` holds `name` in the block if it was free
    (`lease.held` says whether it was). On PostgreSQL `lease.connection` is
    the lease's own connection, outside every transaction of Django's: what
    it writes is seen at once (an import's progress)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.held = False
        self.connection: BaseDatabaseWrapper | None = None
        self._file: TextIO | None = None

    def acquire(self) -> bool:
        # `is_held` takes the lock for an instant to look: a holder-to-be
        # that meets such a probe tries again before it gives up.
        for attempt in range(_TRIES):
            if attempt:
                time.sleep(_PAUSE)
            if self._try():
                return True
        return False

    def _try(self) -> bool:
        if _on_postgresql():
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
            self.held = dialect(self.connection).try_advisory_lock(lock_key(self.name))
            if not self.held:
                self.connection.close()
                self.connection = None
            return self.held
        path = _lock_path(self.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            handle = open(path, "a+")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                return False
            # A holder that was releasing may have removed the file we locked.
            try:
                if os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino:
                    self._file = handle
                    self.held = True
                    return True
            except FileNotFoundError:
                pass
            handle.close()

    def release(self) -> None:
        if self.connection is not None:
            self.connection.close()  # ends the session and its advisory lock
            self.connection = None
        if self._file is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._file.name)
            self._file.close()
            self._file = None
        self.held = False

    def __enter__(self) -> "Lease":
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def is_held(name: str) -> bool:
    """Whether a living process holds `name` (it may be this one)."""
    if _on_postgresql():
        key = lock_key(name)
        # Ask without a trace: try the lock on a connection of its own and
        # let go at once (Django's connection may be inside a transaction).
        probe = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            free = dialect(probe).try_advisory_lock(key)
            if free:
                dialect(probe).advisory_unlock(key)
        finally:
            probe.close()
        return not free
    try:
        handle = open(_lock_path(name))
    except FileNotFoundError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False
