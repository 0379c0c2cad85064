"""Submission batches from an upload, the API or the command line."""

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.core.audit import AuditActor, audit_record, command_actor
from xinyong.core.crypto import (
    DataKeyError,
    decrypted_copy,
    encrypt_stream,
    encrypted_size,
    plain_chunks,
)
from xinyong.core.env import env_int
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.tasks.leases import Lease, is_held
from xinyong.core.tasks.queue import task_alive
from xinyong.ingest import pipeline
from xinyong.ingest.audit_actions import BATCH_PROCESS
from xinyong.ingest.models import Batch
from xinyong.ingest.pipeline import Counts
from xinyong.ingest.progress import ProgressWriter, estimate_rows, progress_clear
from xinyong.ingest.readers import FileProblem, ReadLimits, read_rows, sniff_kind
from xinyong.ingest.uploads import keep_upload, max_upload_bytes, too_large_message
from xinyong.orgs.models import ApiToken, Department, User
from xinyong.orgs.permissions import ensure_department_access
from xinyong.subjects.staging import pending_subject_batches, subject_batch_publish

logger = logging.getLogger(__name__)

_CHUNK_BYTES = 1 << 20
_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def _check_item(item: CatalogItem, department: Department) -> None:
    if not item.is_active or item.current_version_id is None:
        raise ApplicationError("item_inactive", _("目录事项“%(item)s”未启用") % {"item": item.name})
    if not item.departments.filter(pk=department.pk).exists():
        raise NotFoundError(
            "item_not_owned",
            _("“%(dept)s”不是目录事项“%(item)s”的报送部门")
            % {"dept": department.name, "item": item.name},
        )


def _storage_path(batch: Batch, name: str) -> Path:
    today = clock.today()
    safe = _UNSAFE.sub("_", Path(name).name)[:120] or "upload"
    relative = Path("uploads") / f"{today:%Y}" / f"{today:%m}" / f"{batch.pk}-{safe}"
    absolute = Path(settings.MEDIA_ROOT) / relative
    absolute.parent.mkdir(parents=True, exist_ok=True)
    batch.stored_file = str(relative)
    return absolute


def _new_batch(
    *,
    department: Department,
    item: CatalogItem,
    source: Batch.Source,
    actor: AuditActor | None,
    original_name: str,
) -> Batch:
    _check_item(item, department)
    return Batch.objects.create(
        department=department,
        item=item,
        version_id=item.current_version_id,
        source=source,
        original_name=original_name[:255],
        created_by=actor if isinstance(actor, User) else None,  # a token or the system: none
        created_at=clock.now(),
    )


def _too_large(batch: Batch, size: int) -> bool:
    if size > max_upload_bytes():
        pipeline.fail(
            batch,
            _("文件过大（%(size).1f MB），上限为 %(max)d MB，请分成几个文件上传")
            % {"size": size / 1024 / 1024, "max": max_upload_bytes() // 1024 // 1024},
        )
        return True
    return False


def _finish(batch: Batch, actor: AuditActor | None, request: HttpRequest | None = None) -> Batch:
    audit_record(
        actor=actor,
        action=BATCH_PROCESS,
        obj=batch,
        after={
            "status": batch.status,
            "received": batch.received,
            "accepted": batch.accepted,
            "rejected": batch.rejected,
            "reason": batch.failure_reason,
        },
        request=request,
    )
    return batch


def _store_chunks(chunks: Iterable[bytes], path: Path) -> tuple[int, str]:
    """Write a file as received, streamed and encrypted (`core.crypto`);
    returns its plain size and SHA-256."""
    return encrypt_stream(chunks, path)


def _file_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK_BYTES):
            yield chunk


def batch_submit_upload(
    *,
    actor: User,
    department: Department,
    item: CatalogItem,
    upload: UploadedFile,
    request: HttpRequest | None = None,
) -> Batch:
    """A clerk's upload: keep the file as received and queue the batch; a
    worker processes it (`batch_run_queued`) once this transaction commits.
    Answers at once: the batch page shows the progress. A file over the
    limit is refused and not kept (the upload handler stops it earlier)."""
    ensure_department_access(actor, department)
    if (upload.size or 0) > max_upload_bytes():
        raise ApplicationError("file_too_large", too_large_message())
    with transaction.atomic():
        batch = _new_batch(
            department=department,
            item=item,
            source=Batch.Source.UPLOAD,
            actor=actor,
            original_name=upload.name or "upload",
        )
        path = _storage_path(batch, upload.name or "upload")
        batch.size, batch.digest = keep_upload(
            upload, path, lambda upload, path: _store_chunks(upload.chunks(_CHUNK_BYTES), path)
        )
        batch.save(update_fields=["stored_file", "size", "digest"])
        transaction.on_commit(partial(_enqueue, batch.pk), robust=True)
    return batch


def batch_submit_file(
    *, department: Department, item: CatalogItem, path: Path, actor: AuditActor | None = None
) -> Batch:
    """`xinyong import`: the same path as an upload, from a file on disk, run
    in the foreground (this process, not a worker)."""
    if not path.is_file():
        raise FileProblem(_("找不到文件：%(path)s") % {"path": path}, "file_not_found")
    with transaction.atomic():
        batch = _new_batch(
            department=department,
            item=item,
            source=Batch.Source.CLI,
            actor=actor,
            original_name=path.name,
        )
        size = path.stat().st_size
        if _too_large(batch, size):  # failed, and the file not copied
            batch.size = size
            batch.save(update_fields=["size"])
            return _finish(batch, actor or command_actor())
        stored = _storage_path(batch, path.name)
        batch.size, batch.digest = _store_chunks(_file_chunks(path), stored)
        batch.save(update_fields=["stored_file", "size", "digest"])
    _process_now(batch)
    return _finish(batch, actor or command_actor())


def _json_rows(records: Sequence[object]) -> list[list[object]]:
    """A JSON array of objects → a header row (the union of keys, in order) and rows."""
    header: dict[str, int] = {}
    entries: list[dict[object, object]] = []
    for index, entry in enumerate(records, start=1):
        if not isinstance(entry, dict):
            raise ApplicationError(
                "invalid_body", _("第%(n)d条不是 JSON 对象（应为“字段名: 值”）") % {"n": index}
            )
        entries.append(entry)
        for key in entry:
            header.setdefault(str(key), len(header))
    most = ReadLimits.current().columns
    if len(header) > most:  # as a file's columns are limited (README, "Limits")
        raise ApplicationError(
            "too_many_columns",
            _("记录共有 %(n)d 个不同的字段名，超过 %(max)d 列的上限")
            % {"n": len(header), "max": most},
        )
    rows: list[list[object]] = [list(header)]
    for entry in entries:
        row: list[object] = [""] * len(header)
        for key, value in entry.items():
            row[header[str(key)]] = "" if value is None else value
        rows.append(row)
    return rows


def batch_submit_api(
    *,
    department: Department,
    item: CatalogItem,
    records: Sequence[object],
    token: ApiToken | None = None,
) -> Batch:
    """A department system's push: the JSON kept as received, processed like a file.

    Row numbers in errors count the array's entries from 1, plus the header
    line: entry 1 is "row 2", as in a spreadsheet.
    """
    if not isinstance(records, list) or not records:
        raise ApplicationError("invalid_body", _("请求体应为非空的 JSON 数组"))
    rows = _json_rows(records)
    with transaction.atomic():
        batch = _new_batch(
            department=department,
            item=item,
            source=Batch.Source.API,
            actor=None,
            original_name=f"api-{item.code}.json",
        )
        stored = _storage_path(batch, batch.original_name)
        try:
            payload = json.dumps(records, ensure_ascii=False).encode()
        except UnicodeEncodeError:
            # A lone surrogate ("\\ud800") is no UTF-8: keep the JSON as received, escaped;
            # validation then rejects its row and names the field.
            payload = json.dumps(records).encode()
        batch.size, batch.digest = _store_chunks([payload], stored)
        batch.save(update_fields=["stored_file", "size", "digest"])
    if not _too_large(batch, batch.size):
        _process_now(batch, lambda: iter(rows))
    return _finish(batch, token)


# -- processing, in the foreground or in a worker ------------------------------------


def batch_lease(batch_id: int) -> str:
    """The lease a process holds while it processes the batch (`core.tasks.leases`)."""
    return f"ingest.batch:{batch_id}"


def max_attempts() -> int:
    """How many times a batch may start processing before a worker that dies
    on it (killed, out of memory, a machine restart) fails it for good."""
    return max(env_int("XINYONG_IMPORT_ATTEMPTS", 3), 1)


# Opens the rows of a batch's file, each a list of cells (`ingest.readers.read_rows`).
RowsFactory = Callable[[], Iterable[list[object]]]


def _rows_factory(batch: Batch, path: Path) -> RowsFactory:
    if batch.source == Batch.Source.API:
        return lambda: iter(_json_rows(json.loads(path.read_bytes())))
    return lambda: read_rows(path)


def _run(batch: Batch, lease: Lease, rows_factory: RowsFactory | None = None) -> None:
    """One attempt at a batch, under its lease: counted and dated first (seen
    at once), then processed, its counts so far written where the batch page
    sees them (`ingest.progress`) while the import runs."""
    stored = Path(settings.MEDIA_ROOT) / batch.stored_file
    if rows_factory is not None:  # the rows are at hand (the API): no need to read the file
        _run_plain(batch, lease, stored, rows_factory)
        return
    try:
        with decrypted_copy(stored) as path:
            _run_plain(batch, lease, path)
    except DataKeyError as error:
        pipeline.fail(
            batch,
            _("保存的原始文件无法解密（%(reason)s），本批次未导入任何数据") % {"reason": error},
        )


def _run_plain(
    batch: Batch, lease: Lease, path: Path, rows_factory: RowsFactory | None = None
) -> None:
    """`_run` with the stored file decrypted to `path` (removed afterwards)."""
    batch.attempts += 1
    batch.started_at = clock.now()
    batch.expected_rows = estimate_rows(path) if batch.source != Batch.Source.API else None
    batch.status = Batch.Status.PROCESSING
    for name in Counts.__slots__:
        setattr(batch, name, 0)
    batch.save(
        update_fields=["attempts", "started_at", "expected_rows", "status", *Counts.__slots__]
    )
    writer = ProgressWriter(batch, lease.connection)
    try:
        pipeline.process(
            batch,
            rows_factory or _rows_factory(batch, path),
            parallel=pipeline.use_worker_process(batch.size, isolate=_read_apart(batch, path)),
            progress=writer,
        )
    finally:
        writer.close()


def _read_apart(batch: Batch, path: Path) -> bool:
    """Whether the batch's file is read in a process of its own whatever its
    size: an old .xls, whose reader (calamine) builds the whole sheet and
    aborts the process on a hostile one (`pipeline.use_worker_process`)."""
    if batch.source == Batch.Source.API:
        return False
    try:
        return sniff_kind(path) == "xls"
    except (FileProblem, OSError):
        return False


def _process_now(batch: Batch, rows_factory: RowsFactory | None = None) -> None:
    """Process a new batch in this process (the command line, the API)."""
    with Lease(batch_lease(batch.pk)) as lease:
        if lease.held:  # a new batch: nobody else has it
            _run(batch, lease, rows_factory)


def _enqueue(batch_id: int) -> None:
    from xinyong.ingest.tasks import batch_import

    result = batch_import.enqueue(batch_id)
    Batch.objects.filter(pk=batch_id).update(task_id=str(result.id))


def batch_run_queued(*, batch_id: int) -> Batch | None:
    """The worker's task: process a queued batch. Does nothing for a batch
    that has ended or that another process holds; a batch found 处理中 was
    left by a process that died, and this run is its next attempt."""
    with Lease(batch_lease(batch_id)) as lease:
        if not lease.held:
            return None
        batch = Batch.objects.select_related("version").filter(pk=batch_id).first()
        if batch is None or batch.status not in (Batch.Status.PENDING, Batch.Status.PROCESSING):
            return batch
        reason = _cannot_retry(batch, intact=_file_present(batch))
        if reason:
            pipeline.fail(batch, reason)
        else:
            _run(batch, lease)
    return _finish(batch, batch.created_by)


def _file_present(batch: Batch) -> bool:
    path = Path(settings.MEDIA_ROOT) / batch.stored_file
    # Encrypted (or, stored before encryption, plain) at its expected size.
    return (
        bool(batch.stored_file)
        and path.is_file()
        and path.stat().st_size in (encrypted_size(batch.size), batch.size)
    )


def _file_intact(batch: Batch) -> bool:
    """The stored file is there, whole and unchanged: it decrypts (every
    chunk authenticated) to the plain file whose SHA-256 was kept."""
    if not _file_present(batch):
        return False
    digest = hashlib.sha256()
    try:
        for chunk in plain_chunks(Path(settings.MEDIA_ROOT) / batch.stored_file):
            digest.update(chunk)
    except DataKeyError:
        return False
    return not batch.digest or digest.hexdigest() == batch.digest  # none: stored before digests


def _cannot_retry(batch: Batch, *, intact: bool) -> str:
    """Why a batch may not be (re)started, or "" if it may."""
    if batch.attempts >= max_attempts():
        return _(
            "处理进程意外中止（已尝试 %(n)d 次），本批次未导入任何数据。"
            "请检查文件（过大的文件可分成几个上传）后重新上传，或联系信用办"
        ) % {"n": batch.attempts}
    if not intact:
        return _("处理中断，且保存的原始文件缺失或已损坏，本批次未导入任何数据，请重新上传")
    return ""


def _is_queued(batch: Batch) -> bool:
    from xinyong.ingest.tasks import batch_import

    return task_alive(batch_import, batch.task_id, batch.created_at)


def batch_recover_stalled() -> list[int]:
    """A worker's recovery (at its start and every minute): no batch stays
    排队中 or 处理中 for ever. A batch 处理中 whose lease is free lost its
    process mid-way (nothing of it was committed); a batch 排队中 whose task
    is gone (failed with its dead worker, or never enqueued) is stalled.
    Each is queued again if attempts remain and its stored file is intact,
    or failed with the reason. Returns the ids of the batches it touched."""
    touched: list[int] = []
    # Subjects of batches that are done but whose process died before it
    # made them live (`pipeline.process`).
    for batch_id in pending_subject_batches():
        if Batch.objects.filter(pk=batch_id, status=Batch.Status.DONE).exists():
            subject_batch_publish(batch_id=batch_id)
    stalled = Batch.objects.filter(
        status__in=[Batch.Status.PENDING, Batch.Status.PROCESSING]
    ).order_by("pk")
    for batch in stalled:
        if batch.status == Batch.Status.PENDING and _is_queued(batch):
            continue
        if is_held(batch_lease(batch.pk)):
            continue
        reason = _cannot_retry(batch, intact=_file_intact(batch))
        changes: dict[str, object] = {name: 0 for name in Counts.__slots__}
        if reason:
            changes.update(
                status=Batch.Status.FAILED, failure_reason=reason, finished_at=clock.now()
            )
        else:
            changes.update(status=Batch.Status.PENDING, task_id="")
        # Only if no other worker's recovery got there first.
        if not Batch.objects.filter(pk=batch.pk, status=batch.status).update(**changes):
            continue
        if reason:
            # What the dead process staged goes now (a retry removes it first).
            pipeline.batch_discard(batch)
        progress_clear(batch.pk)
        touched.append(batch.pk)
        if reason:
            batch.refresh_from_db()
            _finish(batch, None)  # the worker: the system
        else:
            logger.warning("batch %s: its process died; queued again", batch.pk)
            transaction.on_commit(partial(_enqueue, batch.pk), robust=True)
    return touched
