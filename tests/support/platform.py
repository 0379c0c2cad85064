"""A platform in its own processes for a test: a fresh data directory and
database (a SQLite file, or a new PostgreSQL database when the suite runs
on PostgreSQL), migrated; read from outside the platform."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest


class Database:
    """The test's own database, read from outside the platform."""

    def __init__(self, data_dir: Path):
        self.url = ""
        self.admin_url = os.environ.get("DATABASE_URL", "")
        self.path = data_dir / "xinyong.sqlite3"
        if self.admin_url:
            import psycopg

            self.name = f"xinyong_kill_{os.getpid()}"
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                conn.execute(f'CREATE DATABASE "{self.name}"')
            self.url = urlunsplit(urlsplit(self.admin_url)._replace(path=f"/{self.name}"))

    def one(self, sql: str, *params):
        if self.url:
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchone()
        with sqlite3.connect(self.path) as conn:
            return conn.execute(sql, params).fetchone()

    def drop(self) -> None:
        if self.url:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def wait(condition, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    return None


@pytest.fixture
def platform(tmp_path):
    """(env, database, tmp_path) of a migrated platform for subprocesses."""
    data_dir = tmp_path / "data"
    database = Database(data_dir)
    env = {
        **os.environ,
        "XINYONG_DATA_DIR": str(data_dir),
        "XINYONG_TODAY": "2025-10-09",
        # The reading side in a forked process, as for any large upload.
        "XINYONG_INGEST_PARALLEL_BYTES": "0",
        "PYTHONIOENCODING": "utf-8",
        "DJANGO_SETTINGS_MODULE": "xinyong.settings",
    }
    env.pop("DATABASE_URL", None)
    if database.url:
        env["DATABASE_URL"] = database.url
    try:
        subprocess.run(
            [sys.executable, "-m", "xinyong", "migrate", "-v0"], env=env, check=True, timeout=180
        )
        yield env, database, tmp_path
    finally:
        database.drop()


_SUBMIT_UPLOAD = """
import sys
import django
django.setup()
from django.core.files import File
from xinyong.catalog.models import CatalogItem
from xinyong.ingest.services import batch_submit_upload
from xinyong.orgs.models import Department, User

department = Department.objects.create(name="林区市场监督管理局", short_code="scjg")
item = CatalogItem.objects.get(code="XZCF")
item.departments.add(department)
clerk = User.objects.create(username="clerk", role="clerk", department=department)
with open(sys.argv[1], "rb") as handle:
    batch = batch_submit_upload(
        actor=clerk, department=department, item=item, upload=File(handle, name="big.csv")
    )
print(batch.pk)
"""


def submit_upload(env: dict, path: Path) -> int:
    """A clerk of a new department 林区市场监督管理局 (scjg) uploads `path` as
    行政处罚 (queued for a worker); the batch's id."""
    setup = subprocess.run(
        [sys.executable, "-c", _SUBMIT_UPLOAD, str(path)],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return int(setup.stdout.split()[-1])


def received_so_far(env: dict, database: Database, batch: int) -> int:
    """The rows a running import has read, as its batch page shows them."""
    if database.url:
        return database.one("SELECT received FROM ingest_batch WHERE id = ?", batch)[0]
    progress = Path(env["XINYONG_DATA_DIR"]) / "progress" / f"batch-{batch}.json"
    try:
        return int(progress.read_text().strip("[]").split(",")[0])
    except (OSError, ValueError):
        return 0
