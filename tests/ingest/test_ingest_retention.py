"""The stored originals are kept for the retention period (default five
years, `XINYONG_UPLOAD_RETENTION_DAYS`), then removed by a periodic task;
the batch stays, with a note."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from support.ingest_files import penalty_row, write_csv
from xinyong.core.models import AuditLog
from xinyong.core.tasks import periodic_tasks
from xinyong.ingest.models import Batch
from xinyong.ingest.retention import batch_remove_expired_originals
from xinyong.ingest.services import batch_submit_file
from xinyong.ingest.tasks import remove_expired_originals

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_batch(tmp_path, pin_today, department, xzcf) -> Batch:
    pin_today(dt.datetime(2020, 3, 2, 10, 0))
    return batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "a.csv", [penalty_row(1)])
    )


def test_an_original_is_kept_five_years_then_removed_with_a_note(
    old_batch, pin_today, client_as, clerk, django_capture_on_commit_callbacks
):
    stored = Path(settings.MEDIA_ROOT) / old_batch.stored_file
    pin_today(dt.datetime(2025, 3, 1, 10, 0))  # five years less a day
    assert batch_remove_expired_originals() == []
    assert stored.is_file()

    pin_today(dt.datetime(2025, 3, 3, 10, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert remove_expired_originals.call() == 1
    assert not stored.exists()
    batch = Batch.objects.get(pk=old_batch.pk)
    assert batch.stored_file == "" and batch.original_removed_at is not None
    assert (batch.status, batch.received) == ("done", 1)  # the batch and its counts stay
    assert AuditLog.objects.filter(action="batch.remove_originals").count() == 1

    client = client_as(clerk)
    page = client.get(f"/staff/ingest/batches/{batch.pk}/").content.decode()
    assert "原始文件已于 2025-03-03 按保存期限删除" in page
    assert client.get(f"/staff/ingest/batches/{batch.pk}/original").status_code == 404
    # A second run has nothing to do.
    assert batch_remove_expired_originals() == []


def test_the_retention_is_configurable(old_batch, pin_today, monkeypatch):
    monkeypatch.setenv("XINYONG_UPLOAD_RETENTION_DAYS", "30")
    pin_today(dt.datetime(2020, 3, 31, 10, 0))
    assert batch_remove_expired_originals() == []
    pin_today(dt.datetime(2020, 4, 2, 10, 0))
    assert batch_remove_expired_originals() == [old_batch.pk]


def test_the_workers_run_it_periodically():
    assert remove_expired_originals.module_path in {p.path for p in periodic_tasks()}
