"""A bulk check on the task queue: queued at once, checked by a worker, every
row logged once; a worker that died leaves nothing and the next one redoes it."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from sanctions.factories import COMPANY_USCC, PERSON_ID
from support.tasks import run_ready_tasks
from xinyong.core.errors import ApplicationError
from xinyong.core.models import AuditLog
from xinyong.core.tasks.leases import Lease
from xinyong.sanctions.models import Check, CheckBatch, CheckedSubject
from xinyong.sanctions.services import batches

pytestmark = pytest.mark.django_db


def bidders_csv(tmp_path, rows, header="投标人名称,统一社会信用代码,身份证号码"):
    path = tmp_path / "bidders.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def submit(tmp_path, officer, django_capture_on_commit_callbacks):
    def make(rows=None, **kwargs):
        rows = (
            rows
            if rows is not None
            else [
                f",{COMPANY_USCC},",
                "神农架清白建筑有限公司,,",
                f"张三,,{PERSON_ID}",
            ]
        )
        with django_capture_on_commit_callbacks(execute=True):
            batch = batches.check_batch_submit(
                actor=officer, department=officer.department, domain_code="ZBTB",
                matter="招标 SNJ-9", path=bidders_csv(tmp_path, rows, **kwargs),
                file_name="bidders.csv",
            )  # fmt: skip
        batch.refresh_from_db()
        return batch

    return make


def run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return run_ready_tasks()


def test_queued_then_checked_by_a_worker_and_every_row_logged(
    submit, officer, company, company_on_sxbzx, person, django_capture_on_commit_callbacks
):
    batch = submit()
    stored = Path(settings.MEDIA_ROOT) / batch.stored_file
    assert (batch.status, batch.expected_rows) == ("queued", 3)
    assert PERSON_ID.encode() not in stored.read_bytes()  # kept encrypted
    assert not Check.objects.exists()
    assert AuditLog.objects.filter(action="check_batch.submit", object_id=str(batch.pk)).exists()

    assert run(django_capture_on_commit_callbacks) == 1
    batch.refresh_from_db()
    assert (batch.status, batch.rows, batch.checked_rows, batch.hit_rows) == ("done", 3, 3, 1)
    assert batch.attempts == 1 and batch.finished_at is not None and bytes(batch.result)
    checks = list(Check.objects.filter(batch=batch).order_by("row"))
    assert [c.row for c in checks] == [2, 3, 4]
    assert {
        (c.officer_id, c.department_id, c.domain.code, c.matter, c.channel) for c in checks
    } == {(officer.pk, officer.department_id, "ZBTB", "招标 SNJ-9", "bulk")}
    assert checks[0].hit_count == 1 and checks[0].feedback_due is not None
    assert PERSON_ID not in checks[2].query  # masked
    assert CheckedSubject.objects.filter(check_run__batch=batch).count() == 2
    assert not stored.exists()  # the upload is not kept once answered
    assert AuditLog.objects.get(action="check_batch.run").after["rows"] == 3


def test_a_second_run_writes_nothing_twice(submit, company, django_capture_on_commit_callbacks):
    batch = submit()
    task_id = batch.task_id
    run(django_capture_on_commit_callbacks)
    assert batches.check_batch_run(batch_id=batch.pk).status == "done"
    DBTaskResult.objects.filter(pk=task_id).update(status="READY")  # delivered twice
    run(django_capture_on_commit_callbacks)
    assert Check.objects.filter(batch=batch).count() == 3
    assert AuditLog.objects.filter(action="check_batch.run").count() == 1


def test_a_batch_held_by_a_living_worker_is_left_alone(submit):
    batch = submit()
    with Lease(batches.batch_lease(batch.pk)):
        assert batches.check_batch_run(batch_id=batch.pk) is None
        CheckBatch.objects.filter(pk=batch.pk).update(status="running", attempts=1)
        DBTaskResult.objects.filter(pk=batch.task_id).update(status="FAILED")
        assert batches.check_batch_recover_stalled() == []
    assert not Check.objects.exists()


class Killed(BaseException):
    """As a worker killed in the middle of the final write: nothing after it runs."""


def test_a_worker_that_died_mid_write_leaves_nothing_and_the_next_redoes_it(
    submit, company, company_on_sxbzx, monkeypatch, django_capture_on_commit_callbacks
):
    batch = submit()

    def die(*args, **kwargs):
        raise Killed

    # Dies after the Check rows were inserted, before the transaction's commit.
    monkeypatch.setattr(batches, "result_sheet", die)
    with pytest.raises(Killed):
        batches.check_batch_run(batch_id=batch.pk)
    monkeypatch.undo()
    batch.refresh_from_db()
    assert (batch.status, batch.attempts) == ("running", 1)
    assert not Check.objects.exists() and not CheckedSubject.objects.exists()
    # The worker's death as the next worker finds it: its task failed, the lease free.
    DBTaskResult.objects.filter(pk=batch.task_id).update(status="FAILED")
    with django_capture_on_commit_callbacks(execute=True):
        assert batches.check_batch_recover_stalled() == [batch.pk]
    batch.refresh_from_db()
    assert batch.status == "queued" and batch.task_id
    assert batches.check_batch_recover_stalled() == []  # queued: nothing more to do
    assert run(django_capture_on_commit_callbacks) == 1
    batch.refresh_from_db()
    assert (batch.status, batch.attempts, batch.hit_rows) == ("done", 2, 1)
    assert Check.objects.filter(batch=batch).count() == 3


def test_out_of_attempts_fails_with_the_reason(submit, django_capture_on_commit_callbacks):
    batch = submit()
    stored = Path(settings.MEDIA_ROOT) / batch.stored_file
    CheckBatch.objects.filter(pk=batch.pk).update(status="running", attempts=batches.MAX_ATTEMPTS)
    DBTaskResult.objects.filter(pk=batch.task_id).update(status="FAILED")
    with django_capture_on_commit_callbacks(execute=True):
        assert batches.check_batch_recover_stalled() == [batch.pk]
    batch.refresh_from_db()
    assert batch.status == "failed" and "已尝试 3 次" in batch.failure_reason
    assert stored.name and not stored.exists()
    assert not Check.objects.exists()


def test_a_file_the_worker_cannot_check_fails_with_its_reason(
    submit, client_as, officer, django_capture_on_commit_callbacks
):
    batch = submit(rows=[])  # a header and no row
    run(django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.failure_reason == "文件中没有需要核查的行"
    page = client_as(officer).get(f"/staff/checks/bulk/{batch.pk}/").content.decode()
    assert "文件中没有需要核查的行" in page and "http-equiv" not in page


def test_what_is_known_at_once_is_refused_at_once(submit, tmp_path, officer):
    with pytest.raises(ApplicationError, match="未找到表头"):
        submit(rows=["a,b"], header="甲,乙")
    with pytest.raises(ApplicationError, match="未知的领域代码"):
        batches.check_batch_submit(
            actor=officer,
            department=officer.department,
            domain_code="XXXX",
            matter="x",
            path=bidders_csv(tmp_path, []),
        )
    assert not CheckBatch.objects.exists()


def test_progress_is_shown_while_a_worker_checks(submit, client_as, officer):
    batch = submit(rows=[f"神农架投标{n}有限公司,," for n in range(10)])
    CheckBatch.objects.filter(pk=batch.pk).update(status="running", attempts=1, checked_rows=4)
    page = client_as(officer).get(f"/staff/checks/bulk/{batch.pk}/").content.decode()
    assert "正在核查：已核查 4 行" in page and 'max="10" value="4"' in page and "40%" in page
    assert '<meta http-equiv="refresh" content="2">' in page


def test_another_department_cannot_see_the_batch(submit, client_as, other_clerk):
    batch = submit()
    response = client_as(other_clerk).get(f"/staff/checks/bulk/{batch.pk}/")
    assert response.status_code == 404


def test_sheet_bytes_are_an_xlsx(submit, company, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    batch = submit()
    run(django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    rows = list(load_workbook(io.BytesIO(bytes(batch.result))).active.iter_rows(values_only=True))
    assert rows[0][3] == "核查结果" and len(rows) == 4
