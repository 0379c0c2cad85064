"""Leases: held while their holder lives, free the moment it dies (kill -9
included), on either database."""

import os
import signal
import time

import pytest

from xinyong.core.tasks.leases import Lease, is_held


@pytest.mark.django_db
def test_a_lease_is_exclusive_and_released():
    with Lease("test:one") as first:
        assert first.held and is_held("test:one")
        with Lease("test:one") as second:
            assert not second.held
        assert is_held("test:one")  # the refused one took nothing away
        assert not is_held("test:two")
    assert not is_held("test:one")
    with Lease("test:one") as again:
        assert again.held


@pytest.mark.django_db(transaction=True)
def test_a_lease_ends_with_a_killed_holder():
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the holder: takes the lease, says so, waits to be killed
        try:
            lease = Lease("test:killed")
            os.write(write, b"1" if lease.acquire() else b"0")
            time.sleep(60)
        finally:
            os._exit(0)
    os.close(write)
    try:
        assert os.read(read, 1) == b"1"
        assert is_held("test:killed")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read)
    # PostgreSQL ends the session when it sees the socket close.
    deadline = time.monotonic() + 5
    while is_held("test:killed") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not is_held("test:killed")
