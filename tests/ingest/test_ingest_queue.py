"""Uploads go to the queue: the request answers at once, a worker imports,
the batch page shows the progress, and no batch stays 排队中 or 处理中 for
ever when a worker dies."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, TestCase
from django_tasks_db.models import DBTaskResult

from support.ingest_files import penalty_row, write_csv, write_xlsx
from support.tasks import run_ready_tasks
from xinyong.core.crypto import plain_chunks
from xinyong.core.models import AuditLog
from xinyong.core.tasks.leases import Lease
from xinyong.ingest import progress as progress_module
from xinyong.ingest import services
from xinyong.ingest.models import Batch
from xinyong.ingest.pipeline import Counts
from xinyong.ingest.progress import ProgressWriter, estimate_rows, progress_of
from xinyong.ingest.tasks import batch_import
from xinyong.ingest.uploads import incoming_dir
from xinyong.records.models import Record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]


def post(client, item, path):
    with open(path, "rb") as handle, TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/staff/ingest/upload/",
            {"item": item.pk, "file": SimpleUploadedFile(path.name, handle.read())},
        )


def test_an_upload_is_stored_queued_and_answered_before_any_import(
    tmp_path, client_as, clerk, xzcf
):
    path = write_csv(tmp_path / "九月.csv", [penalty_row(1), penalty_row(2)])
    client = client_as(clerk)
    response = post(client, xzcf, path)
    batch = Batch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/ingest/batches/{batch.pk}/"
    # Kept as received (moved from where it was streamed, not copied), with
    # its digest; encrypted at rest; queued, nothing imported yet.
    stored = Path(settings.MEDIA_ROOT) / batch.stored_file
    assert b"".join(plain_chunks(stored)) == path.read_bytes()
    assert "神农架".encode() not in stored.read_bytes()
    assert not [p for p in incoming_dir().iterdir() if "神农架".encode() in p.read_bytes()]
    assert not [p for p in incoming_dir().iterdir() if p.name.endswith(".upload.csv")]
    assert batch.digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (batch.status, batch.attempts, Record.objects.count()) == ("pending", 0, 0)
    result = DBTaskResult.objects.get()
    assert str(result.id) == batch.task_id and result.task_path == batch_import.module_path
    page = client.get(response["Location"]).content.decode()
    assert "排队中" in page and '<meta http-equiv="refresh" content="2">' in page
    assert "正在后台处理" in page

    assert run_ready_tasks() == 2  # the batch, then the public CSV files' build it queued
    batch.refresh_from_db()
    assert (batch.status, batch.attempts, batch.received, batch.accepted) == ("done", 1, 2, 2)
    assert batch.expected_rows == 2 and batch.started_at is not None
    assert Record.objects.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and 'http-equiv="refresh"' not in page and "<script" not in page
    (audit,) = AuditLog.objects.filter(action="batch.process")
    assert audit.actor == clerk and audit.after["accepted"] == 2


def test_the_upload_is_still_protected_from_cross_site_requests(tmp_path, clerk, xzcf):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    path = write_csv(tmp_path / "a.csv", [penalty_row(1)])
    response = client.post(
        "/staff/ingest/upload/",
        {"item": xzcf.pk, "file": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    assert response.status_code == 403 and not Batch.objects.exists()


def test_the_page_shows_progress_while_the_worker_imports(client_as, clerk, department, xzcf):
    batch = Batch.objects.create(
        department=department,
        item=xzcf,
        version_id=xzcf.current_version_id,
        source=Batch.Source.UPLOAD,
        status=Batch.Status.PROCESSING,
        created_at=dt.datetime(2025, 10, 9, 10, tzinfo=dt.UTC),
        expected_rows=8000,
        attempts=1,
    )
    counts = Counts()
    counts.received, counts.accepted, counts.rejected = 4000, 3900, 100
    writer = ProgressWriter(batch)  # the file (SQLite's way, readable on both)
    try:
        writer(counts)
        assert progress_of(batch) == (4000, 3900, 100, 8000) and progress_of(batch).percent == 50
        page = client_as(clerk).get(f"/staff/ingest/batches/{batch.pk}/").content.decode()
    finally:
        writer.close()
    assert "已读取 4000 行，通过 3900 行，退回 100 行" in page
    assert '<progress max="8000" value="4000"' in page and "50%" in page
    assert '<meta http-equiv="refresh"' in page and "<script" not in page
    assert progress_of(batch) == (0, 0, 0, 8000)  # the file went with the writer


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_outside_the_import_transaction(tmp_path, department, xzcf):
    """While the import's transaction is open, another connection sees the
    counts so far (and still none of the batch's records)."""
    from xinyong.ingest.pipeline import reading

    seen = []
    original = ProgressWriter.__call__

    def observe(self, counts):
        original(self, counts)
        batch = Batch.objects.get(pk=self.batch_id)
        if connection.vendor == "postgresql":  # the row, from a connection of its own
            other = connection.copy()
            try:
                with other.cursor() as cursor:
                    cursor.execute(
                        "SELECT b.status, b.received, b.accepted, b.rejected,"
                        " (SELECT count(*) FROM records_record r WHERE r.source_batch_id = b.id"
                        " AND r.status <> 'staged')"
                        " FROM ingest_batch b WHERE b.id = %s",
                        [self.batch_id],
                    )
                    seen.append(cursor.fetchone())
            finally:
                other.close()
        else:  # the file the batch page reads
            seen.append(("processing", *progress_of(batch)[:3], 0))

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(ProgressWriter, "__call__", observe)
    monkeypatch.setattr(ProgressWriter, "every", 0)  # every chunk, however fast
    monkeypatch.setattr(reading, "CHUNK_ROWS", 2)
    try:
        rows = [penalty_row(n) for n in range(1, 6)]
        rows[3]["处罚决定日期"] = "2023/02/30"
        batch = services.batch_submit_file(
            department=department, item=xzcf, path=write_csv(tmp_path / "a.csv", rows)
        )
    finally:
        monkeypatch.undo()
    assert (batch.status, batch.received) == ("done", 5)
    assert seen == [
        ("processing", 2, 2, 0, 0),
        ("processing", 4, 3, 1, 0),
        ("processing", 5, 4, 1, 0),
    ]


def test_rows_are_estimated_from_the_file(tmp_path):
    rows = [penalty_row(n) for n in range(1, 8)]
    assert estimate_rows(write_csv(tmp_path / "a.csv", rows)) == 7
    assert estimate_rows(write_xlsx(tmp_path / "a.xlsx", rows)) == 7
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    assert estimate_rows(tmp_path / "x.pdf") is None


# -- recovery ------------------------------------------------------------------------


@pytest.fixture
def queued(tmp_path, clerk, department, xzcf):
    """An upload queued (its task enqueued), not yet run."""

    def make(n_rows=3):
        path = write_csv(tmp_path / "q.csv", [penalty_row(n) for n in range(1, n_rows + 1)])
        upload = SimpleUploadedFile("q.csv", path.read_bytes())
        with TestCase.captureOnCommitCallbacks(execute=True):
            batch = services.batch_submit_upload(
                actor=clerk, department=department, item=xzcf, upload=upload
            )
        batch.refresh_from_db()
        return batch

    return make


def died_processing(batch, attempts=1):
    """What a worker killed mid-import leaves: 处理中, its lease free, nothing written."""
    DBTaskResult.objects.filter(pk=batch.task_id).update(
        status="FAILED", exception_class_path="xinyong.core.tasks.worker.WorkerDied"
    )
    Batch.objects.filter(pk=batch.pk).update(status="processing", attempts=attempts, received=4)


def recover():
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.batch_recover_stalled()


def test_a_batch_whose_worker_died_is_queued_again_and_done(queued):
    batch = queued()
    died_processing(batch)
    assert recover() == [batch.pk]
    batch.refresh_from_db()
    assert (batch.status, batch.received, batch.attempts) == ("pending", 0, 1)
    assert batch.task_id and DBTaskResult.objects.get(pk=batch.task_id).status == "READY"
    assert recover() == []  # queued now: nothing more to do
    assert run_ready_tasks() == 2  # the batch, then the public CSV files' build it queued
    batch.refresh_from_db()
    assert (batch.status, batch.attempts, batch.accepted) == ("done", 2, 3)


def test_a_batch_out_of_attempts_fails_with_its_reason(queued):
    batch = queued()
    died_processing(batch, attempts=services.max_attempts())
    assert recover() == [batch.pk]
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.received == 0
    assert "处理进程意外中止（已尝试 3 次）" in batch.failure_reason
    assert AuditLog.objects.get(action="batch.process").after["status"] == "failed"


def test_a_batch_whose_stored_file_changed_is_not_retried(queued):
    batch = queued()
    died_processing(batch)
    (Path(settings.MEDIA_ROOT) / batch.stored_file).write_bytes(b"x" * batch.size)
    assert recover() == [batch.pk]
    batch.refresh_from_db()
    assert batch.status == "failed" and "原始文件缺失或已损坏" in batch.failure_reason


def test_batches_at_work_or_in_the_queue_are_left_alone(queued):
    at_work, waiting = queued(), queued()
    died_processing(at_work)
    with Lease(services.batch_lease(at_work.pk)):  # its process lives
        assert recover() == []
    # The queued one's task is ready: it waits for a worker.
    waiting.refresh_from_db()
    assert waiting.status == "pending"


def test_a_queued_batch_whose_task_is_gone_is_queued_again(queued):
    batch = queued()
    DBTaskResult.objects.filter(pk=batch.task_id).delete()
    assert recover() == [batch.pk]
    batch.refresh_from_db()
    assert batch.status == "pending" and DBTaskResult.objects.get(pk=batch.task_id)


def test_a_batch_queued_without_its_task_waits_a_moment_then_is_queued(queued, pin_today):
    batch = queued()
    Batch.objects.filter(pk=batch.pk).update(task_id="")
    DBTaskResult.objects.all().delete()
    assert recover() == []  # its enqueue may be on its way
    Batch.objects.filter(pk=batch.pk).update(created_at=batch.created_at - dt.timedelta(hours=1))
    assert recover() == [batch.pk]


def test_a_task_for_a_batch_another_process_holds_does_nothing(queued):
    batch = queued()
    with Lease(services.batch_lease(batch.pk)):
        assert services.batch_run_queued(batch_id=batch.pk) is None
    batch.refresh_from_db()
    assert batch.status == "pending"


def test_the_progress_file_lives_in_the_data_dir():
    assert progress_module._path(7).parent == Path(settings.DATA_DIR) / "progress"
