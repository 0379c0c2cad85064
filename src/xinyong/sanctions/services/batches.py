"""A bulk check on the task queue: the upload answers at once, a worker checks.

- `check_batch_submit` (the staff page): refuses what can be told at once
  (permission, domain, unreadable file, no header, more rows than the limit
  declared), keeps the file encrypted under `MEDIA_ROOT/checks/`, creates
  the batch 排队中 and enqueues `sanctions.tasks.check_batch` on commit.
- `check_batch_run` (the worker): under the batch's lease, reads the file,
  resolves and looks up the rows a chunk at a time (the batch's
  `checked_rows` after each, for the page's progress bar), then writes every
  row's `Check`, the coverage index, the result sheet and the audit row in
  ONE transaction that also marks the batch 已完成. A worker killed before
  that commit leaves no `Check` of the batch; one killed after it left the
  batch done, which a second run skips: the rows are never written twice.
- `check_batch_recover_stalled` (every worker, at start and every minute):
  a batch whose worker died (its lease free, its task gone) is queued again,
  or failed after `MAX_ATTEMPTS` with the reason in Chinese.
"""

import datetime as dt
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.crypto import DataKeyError, decrypted_copy, encrypt_stream
from xinyong.core.errors import ApplicationError
from xinyong.core.tasks.jobs import StalledJobs, requeue_stalled
from xinyong.core.tasks.leases import Lease
from xinyong.core.tasks.queue import task_alive
from xinyong.ingest.progress import estimate_rows
from xinyong.orgs.models import Department, User
from xinyong.sanctions import matching
from xinyong.sanctions.audit_actions import CHECK_BATCH_FAIL, CHECK_BATCH_SUBMIT, CHECK_BULK
from xinyong.sanctions.models import Check, CheckBatch
from xinyong.sanctions.reference import domain_get
from xinyong.sanctions.services.bulk import ensure_readable, read_queries, result_sheet
from xinyong.sanctions.services.checks import (
    _new_check,
    _write_checked,
    build_hits,
    ensure_may_check,
    insert_checks,
)

Status = CheckBatch.Status
# A batch is tried this many times (a worker killed each time) before it fails.
MAX_ATTEMPTS = 3
# Rows resolved and looked up together between two progress updates.
CHUNK_ROWS = 1_000
_FILE_CHUNK = 1 << 20


def batch_lease(batch_id: int) -> str:
    return f"sanctions.check_batch:{batch_id}"


def _stored_path(batch: CheckBatch) -> Path:
    return Path(settings.MEDIA_ROOT) / batch.stored_file


def _file_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(_FILE_CHUNK):
            yield chunk


def check_batch_submit(
    *,
    actor: User,
    department: Department | None,
    domain_code: str,
    matter: str,
    path: Path,
    file_name: str = "",
    request: HttpRequest | None = None,
) -> CheckBatch:
    """Queue a bidders file (`path`, a plain temporary copy of the upload)
    for a worker; the batch page shows its progress and then its result."""
    ensure_may_check(actor, department)
    domain = domain_get(domain_code)
    assert department is not None  # noqa: S101 - ensure_may_check refused a user without one
    ensure_readable(path)
    with transaction.atomic():
        batch = CheckBatch.objects.create(
            status=Status.QUEUED,
            officer=actor,
            department=department,
            domain_id=domain.id,
            matter=(matter or "").strip()[:200],
            file_name=file_name[:200],
            expected_rows=estimate_rows(path),
            created_at=clock.now(),
        )
        today = clock.today()
        relative = Path("checks") / f"{today:%Y}" / f"{today:%m}" / f"{batch.pk}{path.suffix[:10]}"
        absolute = Path(settings.MEDIA_ROOT) / relative
        absolute.parent.mkdir(parents=True, exist_ok=True)
        batch.stored_file = str(relative)
        batch.size, batch.digest = encrypt_stream(_file_chunks(path), absolute)
        batch.save(update_fields=["stored_file", "size", "digest"])
        audit_record(
            actor=actor,
            action=CHECK_BATCH_SUBMIT,
            obj=batch,
            after={
                "domain": domain.code,
                "matter": batch.matter,
                "file": batch.file_name,
                "size": batch.size,
            },
            request=request,
        )
        transaction.on_commit(partial(_enqueue, batch.pk), robust=True)
    return batch


def _enqueue(batch_id: int) -> None:
    from xinyong.sanctions.tasks import check_batch

    result = check_batch.enqueue(batch_id)
    CheckBatch.objects.filter(pk=batch_id).update(task_id=str(result.id))


def check_batch_run(*, batch_id: int) -> CheckBatch | None:
    """The worker's task. Does nothing for a batch that has ended or that
    another process holds; a batch found 核查中 was left by a worker that
    died, and this run is its next attempt."""
    with Lease(batch_lease(batch_id)) as lease:
        if not lease.held:
            return None
        found = (
            CheckBatch.objects.select_related("officer", "department", "domain")
            .filter(pk=batch_id)
            .first()
        )
        if found is None or found.status not in (Status.QUEUED, Status.RUNNING):
            return found
        if found.attempts >= MAX_ATTEMPTS:
            return _fail(found, _out_of_attempts(found.attempts))
        CheckBatch.objects.filter(pk=batch_id).update(
            status=Status.RUNNING, attempts=F("attempts") + 1, checked_rows=0
        )
        try:
            return _check(found)
        except ApplicationError as exc:  # the file: unreadable, no header, too long, empty
            return _fail(found, exc.message)
        except DataKeyError:
            return _fail(found, _("保存的文件无法解密（密钥已更换？），请重新上传"))


def _check(batch: CheckBatch) -> CheckBatch:
    path = _stored_path(batch)
    if not batch.stored_file or not path.is_file():
        raise ApplicationError("file_missing", _("保存的文件已缺失，请重新上传"))
    with decrypted_copy(path) as plain:
        queries = read_queries(plain)
    if not queries:
        raise ApplicationError("empty_file", _("文件中没有需要核查的行"))
    CheckBatch.objects.filter(pk=batch.pk).update(rows=len(queries))
    domain = domain_get(batch.domain.code)
    today = clock.today()
    resolutions: list[matching.Resolution] = []
    all_hits: list[list[dict[str, object]]] = []
    for start in range(0, len(queries), CHUNK_ROWS):
        chunk = [q for _n, q in queries[start : start + CHUNK_ROWS]]
        found = matching.resolve_many(chunk)
        resolutions += found
        all_hits += build_hits(found, domain, today)
        # Autocommit, outside any transaction: the batch page sees it at once.
        CheckBatch.objects.filter(pk=batch.pk).update(checked_rows=len(resolutions))
    return _write(batch, queries, resolutions, all_hits, today)


@transaction.atomic
def _write(
    batch: CheckBatch,
    queries: list[tuple[int, matching.Query]],
    resolutions: list[matching.Resolution],
    all_hits: list[list[dict[str, object]]],
    today: dt.date,
) -> CheckBatch:
    """Every row's `Check` and the batch done, in one transaction."""
    locked = CheckBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status not in (Status.QUEUED, Status.RUNNING):
        return locked
    officer, department = batch.officer, batch.department
    domain = domain_get(batch.domain.code)
    checks = [
        _new_check(
            officer, department, domain, locked.matter, query, Check.Channel.BULK, resolution,
            hits, today, batch=locked, row=number,
        )
        for (number, query), resolution, hits in zip(queries, resolutions, all_hits, strict=True)
    ]  # fmt: skip
    insert_checks(checks)
    _write_checked(checks, resolutions, department, today)
    locked.rows = len(queries)
    locked.checked_rows = len(queries)
    locked.hit_rows = sum(1 for h in all_hits if h)
    locked.result = result_sheet(queries, resolutions, all_hits)
    locked.status = Status.DONE
    locked.failure_reason = ""
    locked.finished_at = clock.now()
    stored = _stored_path(locked)
    locked.stored_file = ""
    locked.save(
        update_fields=[
            "rows", "checked_rows", "hit_rows", "result", "status", "failure_reason",
            "finished_at", "stored_file",
        ]
    )  # fmt: skip
    audit_record(
        actor=officer,
        action=CHECK_BULK,
        obj=locked,
        after={
            "domain": domain.code,
            "matter": locked.matter,
            "rows": locked.rows,
            "hit_rows": locked.hit_rows,
            "persons": sum(1 for _n, q in queries if q.id_number),
        },
    )
    # The upload (with its ID numbers) is not kept once it is answered.
    transaction.on_commit(partial(stored.unlink, missing_ok=True))
    return locked


def _out_of_attempts(attempts: int) -> str:
    return _(
        "核查进程意外中止（已尝试 %(n)d 次），本批次未留下任何核查记录，"
        "请重新上传（较大的名单可拆分后上传），或联系信用办"
    ) % {"n": attempts}


@transaction.atomic
def _fail(batch: CheckBatch, reason: str) -> CheckBatch:
    locked = CheckBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status not in (Status.QUEUED, Status.RUNNING):
        return locked
    stored = _stored_path(locked) if locked.stored_file else None
    locked.status = Status.FAILED
    locked.failure_reason = reason
    locked.finished_at = clock.now()
    locked.stored_file = ""
    locked.save(update_fields=["status", "failure_reason", "finished_at", "stored_file"])
    audit_record(action=CHECK_BATCH_FAIL, obj=locked, after={"reason": reason})
    if stored is not None:
        transaction.on_commit(partial(stored.unlink, missing_ok=True))
    return locked


def _is_queued(batch: CheckBatch) -> bool:
    from xinyong.sanctions.tasks import check_batch

    return task_alive(check_batch, batch.task_id, batch.created_at)


def check_batch_recover_stalled() -> list[int]:
    """A worker's recovery: a batch 排队中 whose task is gone, or 核查中
    whose lease is free (its worker died; it wrote no `Check`), is queued
    again, or failed once `MAX_ATTEMPTS` were made. Returns the ids touched."""
    return requeue_stalled(
        StalledJobs(
            model=CheckBatch,
            is_queued=_is_queued,
            lease=batch_lease,
            fail=_fail,
            out_of_attempts=_out_of_attempts,
            enqueue=_enqueue,
            max_attempts=MAX_ATTEMPTS,
            reset={"checked_rows": 0},
        )
    )
