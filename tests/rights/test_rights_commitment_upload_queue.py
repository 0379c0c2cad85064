"""Commitment uploads on the task queue: a chunk of rows per transaction,
a dead worker's upload taken up again after its last committed chunk (each
row recorded once), and nothing published or sent on until the file is done."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from support.tasks import run_ready_tasks
from xinyong.core.identifiers import uscc_with_checks
from xinyong.core.models import AuditLog, OutboxMessage
from xinyong.core.tasks.leases import Lease
from xinyong.rights.models import Commitment, CommitmentUpload
from xinyong.rights.services import commitment_upload as service

pytestmark = pytest.mark.django_db

HEADER = "承诺类型,主体类别,主体名称,证件号码,联系电话,联系人,承诺事项,签署日期"


def voluntary_rows(n: int) -> list[str]:
    return [
        f"主动型,单位,神农架承诺{i}有限公司,{uscc_with_checks(f'91429021{i:08d}')},0719-1,,,2026/11/02"
        for i in range(1, n + 1)
    ]


@pytest.fixture
def submit(clerk, department, django_capture_on_commit_callbacks):
    def make(rows: list[str]) -> CommitmentUpload:
        content = ("\n".join([HEADER, *rows]) + "\n").encode()
        with django_capture_on_commit_callbacks(execute=True):
            upload = service.commitment_upload_submit(
                actor=clerk,
                department=department,
                upload=SimpleUploadedFile("承诺.csv", content, "text/csv"),
            )
        upload.refresh_from_db()  # its task id, set once enqueued
        return upload

    return make


def sent(upload: CommitmentUpload) -> int:
    keys = [
        f"Commitment:{pk}"
        for pk in Commitment.objects.filter(upload=upload).values_list("pk", flat=True)
    ]
    return OutboxMessage.objects.filter(topic="rights.commitment", key__in=keys).count()


class Killed(BaseException):
    """As a worker killed between two chunks: nothing after it runs."""


def test_a_dead_worker_leaves_whole_chunks_unpublished_and_the_next_goes_on(
    submit, monkeypatch, django_capture_on_commit_callbacks, client_as, clerk
):
    monkeypatch.setattr(service, "CHUNK_ROWS", 2)
    upload = submit(voluntary_rows(5))
    stored = Path(settings.MEDIA_ROOT) / upload.stored_file
    assert upload.status == "queued" and stored.is_file()
    assert b"91429021" not in stored.read_bytes()  # kept encrypted
    real = service._write_chunk
    calls = []

    def dies_on_the_second_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "_write_chunk", dies_on_the_second_chunk)
    with pytest.raises(Killed):
        service.commitment_upload_run(upload_id=upload.pk)
    monkeypatch.setattr(service, "_write_chunk", real)
    upload.refresh_from_db()
    # The first chunk (rows 2–3) is recorded, not yet public nor sent on.
    assert (upload.status, upload.attempts, upload.position, upload.received) == (
        "running", 1, 3, 2,
    )  # fmt: skip
    assert Commitment.objects.filter(upload=upload, is_published=False).count() == 2
    assert sent(upload) == 0
    page = (
        client_as(clerk)
        .get(reverse("rights:commitment_upload_detail", args=[upload.pk]))
        .content.decode()
    )
    assert "正在处理：已处理 2 行" in page and 'http-equiv="refresh"' in page
    assert "神农架承诺1有限公司" not in Client().get(reverse("portal:commitments")).content.decode()

    # The next worker's recovery finds it (its task failed, the lease is free).
    DBTaskResult.objects.filter(pk=upload.task_id).update(status="FAILED")
    with django_capture_on_commit_callbacks(execute=True):
        assert service.commitment_upload_recover_stalled() == [upload.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert run_ready_tasks() == 1
    upload.refresh_from_db()
    assert (upload.status, upload.attempts, upload.received, upload.accepted) == ("done", 2, 5, 5)
    # Each row once, all published and sent on at the end, the file gone.
    made = Commitment.objects.filter(upload=upload)
    assert made.count() == 5 and made.filter(is_published=True).count() == 5
    assert sorted(made.values_list("signer_name", flat=True)) == sorted(
        f"神农架承诺{i}有限公司" for i in range(1, 6)
    )
    assert sent(upload) == 5
    assert not stored.exists()
    assert AuditLog.objects.filter(action="commitment_upload.process").count() == 1
    assert "神农架承诺1有限公司" in Client().get(reverse("portal:commitments")).content.decode()


def test_an_upload_held_by_a_living_worker_is_left_alone(submit):
    upload = submit(voluntary_rows(1))
    with Lease(service.upload_lease(upload.pk)):
        assert service.commitment_upload_run(upload_id=upload.pk) is None
        CommitmentUpload.objects.filter(pk=upload.pk).update(status="running", attempts=1)
        DBTaskResult.objects.filter(pk=upload.task_id).update(status="FAILED")
        assert service.commitment_upload_recover_stalled() == []
    assert not Commitment.objects.exists()


def test_out_of_attempts_fails_and_publishes_what_was_recorded(
    submit, monkeypatch, django_capture_on_commit_callbacks, client_as, clerk
):
    monkeypatch.setattr(service, "CHUNK_ROWS", 1)
    upload = submit(voluntary_rows(3))
    real = service._write_chunk
    calls = []

    def dies_after_one(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "_write_chunk", dies_after_one)
    with pytest.raises(Killed):
        service.commitment_upload_run(upload_id=upload.pk)
    CommitmentUpload.objects.filter(pk=upload.pk).update(attempts=service.MAX_ATTEMPTS)
    DBTaskResult.objects.filter(pk=upload.task_id).update(status="FAILED")
    with django_capture_on_commit_callbacks(execute=True):
        assert service.commitment_upload_recover_stalled() == [upload.pk]
    upload.refresh_from_db()
    assert upload.status == "failed" and "已尝试 3 次" in upload.failure_reason
    assert (upload.received, upload.accepted, upload.position) == (1, 1, 2)
    assert Commitment.objects.get(upload=upload).is_published and sent(upload) == 1
    page = (
        client_as(clerk)
        .get(reverse("rights:commitment_upload_detail", args=[upload.pk]))
        .content.decode()
    )
    assert "第 2 行及以前的行已处理" in page and "http-equiv" not in page


def test_a_second_delivery_of_the_task_records_nothing_twice(
    submit, django_capture_on_commit_callbacks
):
    upload = submit(voluntary_rows(2))
    with django_capture_on_commit_callbacks(execute=True):
        run_ready_tasks()
    DBTaskResult.objects.filter(pk=upload.task_id).update(status="READY")
    with django_capture_on_commit_callbacks(execute=True):
        run_ready_tasks()
    assert Commitment.objects.filter(upload=upload).count() == 2
    upload.refresh_from_db()
    assert (upload.received, upload.accepted) == (2, 2)
