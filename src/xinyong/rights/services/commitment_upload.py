"""A department's upload of signed commitments (xlsx, xls or csv), on the
task queue, read with intake's hostile-file-safe readers (`ingest.readers`:
kind by content, size, row, column and cell limits checked before reading).
Every row ends accepted (a commitment, `commitment_record`) or rejected with
its reasons, each naming the row and the field in Chinese; accepted +
rejected = received.

- `commitment_upload_submit` (the staff page) refuses what can be told at
  once (permission, size, an unreadable file, a header without the required
  columns, more rows than `XINYONG_COMMITMENT_UPLOAD_ROWS` declared), keeps
  the file encrypted under `MEDIA_ROOT/commitments/` and queues
  `rights.tasks.commitment_upload_task`.
- `commitment_upload_run` (the worker) counts the rows (refusing a file over
  the limit before it writes anything), then records `CHUNK_ROWS` rows per
  transaction, which also moves `position` on: the page shows the progress,
  and a worker killed on the way leaves whole chunks, which the next one
  skips. The rows' commitments are published and queued for the provincial
  platform in the transaction that marks the upload done, so a reader never
  sees half a file.
- `commitment_upload_recover_stalled` (every worker, every minute) queues an
  upload whose worker died again, or fails it after `MAX_ATTEMPTS`.
"""

import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.crypto import DataKeyError, decrypted_copy, encrypt_stream
from xinyong.core.env import env_int
from xinyong.core.errors import ApplicationError
from xinyong.core.tasks.jobs import StalledJobs, requeue_stalled
from xinyong.core.tasks.leases import Lease
from xinyong.core.tasks.queue import task_alive
from xinyong.core.text import hidden_character, storable
from xinyong.ingest.headers import header_key
from xinyong.ingest.progress import estimate_rows
from xinyong.ingest.readers import FileProblem, read_rows
from xinyong.ingest.uploads import max_upload_bytes, too_large_message
from xinyong.ingest.values import ValueProblem, clean_text, parse_date
from xinyong.orgs.models import Department, User
from xinyong.orgs.permissions import ensure_department_access
from xinyong.rights.audit_actions import (
    COMMITMENT_UPLOAD,
    COMMITMENT_UPLOAD_FAIL,
    COMMITMENT_UPLOAD_SUBMIT,
)
from xinyong.rights.commitment_models import PUBLISHED_TYPES
from xinyong.rights.models import Commitment, CommitmentType, CommitmentUpload
from xinyong.rights.services.commitments import Signer, commitment_outbox, commitment_record

Status = CommitmentUpload.Status
# An upload is tried this many times (a worker killed each time) before it fails.
MAX_ATTEMPTS = 3
# Rows recorded per transaction: short write transactions (SQLite has one
# writer), and the page's progress moves after each.
CHUNK_ROWS = 200
_FILE_CHUNK = 1 << 20

KIND_LABELS = {"单位": "legal", "法人及非法人组织": "legal", "个人": "person", "自然人": "person"}
TYPE_LABELS = {str(label): value for value, label in CommitmentType.choices}


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("type", "承诺类型", True),
    Column("kind", "主体类别", True, ("承诺主体类别",)),
    Column("name", "主体名称", True, ("承诺主体名称", "单位名称或姓名", "姓名")),
    Column("code", "证件号码", True, ("统一社会信用代码或身份证号码", "统一社会信用代码")),
    Column("phone", "联系电话", True, ("电话",)),
    Column("contact", "联系人", False),
    Column("matter", "承诺事项", False),
    Column("signed_on", "签署日期", True, ("承诺日期",)),
)
TEMPLATE_HEADER = [c.label for c in COLUMNS]
# The commitment's field each free-text column fills: its max_length bounds the cell.
_FIELD_OF_COLUMN = {
    "name": "signer_name",
    "phone": "phone",
    "contact": "contact_name",
    "matter": "matter",
}


def max_rows() -> int:
    """Rows of one file (a department's signed papers of some weeks)."""
    return max(env_int("XINYONG_COMMITMENT_UPLOAD_ROWS", 10_000), 1)


def _too_many_rows() -> FileProblem:
    return FileProblem(
        _("文件超过 %(n)d 行的上限，请分成几个文件上传") % {"n": max_rows()}, "too_many_rows"
    )


def _columns(header: list[object]) -> dict[str, int]:
    lookup = {header_key(n): c for c in COLUMNS for n in (c.label, c.key, *c.aliases)}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = lookup.get(header_key(cell))
        if column is not None:
            found.setdefault(column.key, index)
    missing = [c.label for c in COLUMNS if c.required and c.key not in found]
    if missing:
        raise FileProblem(
            _("表头缺少必填列：%(cols)s（第一行应为：%(all)s）")
            % {"cols": "、".join(missing), "all": "、".join(TEMPLATE_HEADER)},
            "missing_columns",
        )
    return found


@dataclass(slots=True)
class RowError:
    row: int
    field: str
    value: str
    message: str

    def as_json(self) -> dict[str, object]:
        # The value as sent, but a NUL written as its escape (PostgreSQL's JSON holds none).
        value = storable(self.value)
        return {"row": self.row, "field": self.field, "value": value, "message": self.message}


def _text_problem(key: str, text: str) -> str | None:
    """Why a free-text cell cannot be kept: a hidden character (NUL, a direction
    mark; PostgreSQL refuses NUL in any text) or more than its column holds."""
    problem = hidden_character(text)
    if problem is not None:
        return problem
    field = _FIELD_OF_COLUMN.get(key)
    most = getattr(Commitment._meta.get_field(field), "max_length", None) if field else None
    if most and len(text) > most:
        return _("不超过 %(n)d 个字") % {"n": most}
    return None


def _cell(row: list[object], found: dict[str, int], key: str) -> object:
    index = found.get(key)
    return row[index] if index is not None and index < len(row) else None


def _row_problems(
    row: list[object], found: dict[str, int], number: int
) -> tuple[dict[str, object], list[RowError]]:
    """The row's values, or what is wrong with them (every field checked)."""
    values: dict[str, object] = {}
    errors: list[RowError] = []
    for column in COLUMNS:
        raw = _cell(row, found, column.key)
        text = clean_text(raw) if raw is not None else ""
        if not text:
            if column.required:
                errors.append(RowError(number, column.label, "", _("必填，不能为空")))
            values[column.key] = ""
            continue
        if column.key == "type":
            value = TYPE_LABELS.get(text)
            if value is None:
                errors.append(
                    RowError(
                        number,
                        column.label,
                        text,
                        _("应为%(all)s之一") % {"all": "、".join(TYPE_LABELS)},
                    )
                )
            values["type"] = value
        elif column.key == "kind":
            kind = KIND_LABELS.get(text)
            if kind is None:
                errors.append(RowError(number, column.label, text, _("应为“单位”或“个人”")))
            values["kind"] = kind
        elif column.key == "signed_on":
            try:
                values["signed_on"] = parse_date(raw)
            except ValueProblem as problem:
                errors.append(RowError(number, column.label, text, str(problem)))
        else:
            why = _text_problem(column.key, text)
            if why is not None:
                errors.append(RowError(number, column.label, text, why))
            values[column.key] = text
    return values, errors


def _numbered_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    return enumerate(read_rows(path), start=1)


def _is_blank(row: list[object]) -> bool:
    return not any(clean_text(c) for c in row if c is not None)


def _header_columns(rows: Iterator[tuple[int, list[object]]]) -> dict[str, int]:
    header = next((row for _number, row in rows), None)
    if header is None:
        raise FileProblem(_("文件是空的"), "empty_file")
    return _columns(header)


# -- submit (the staff page) ----------------------------------------------------------


def upload_lease(upload_id: int) -> str:
    return f"rights.commitment_upload:{upload_id}"


def _stored_path(upload: CommitmentUpload) -> Path:
    return Path(settings.MEDIA_ROOT) / upload.stored_file


def _file_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(_FILE_CHUNK):
            yield chunk


def commitment_upload_submit(
    *,
    actor: User,
    department: Department,
    upload: UploadedFile,
    request: HttpRequest | None = None,
) -> CommitmentUpload:
    """Queue the file for a worker; its page shows the progress, then each
    row's outcome. What can be told at once is refused at once
    (ApplicationError, nothing kept)."""
    ensure_department_access(actor, department)
    if (upload.size or 0) > max_upload_bytes():
        raise ApplicationError("file_too_large", too_large_message())
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(suffix=".upload") as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
        handle.flush()
        path = Path(handle.name)
        try:
            _header_columns(_numbered_rows(path))
        except FileProblem as problem:
            raise ApplicationError(problem.code, problem.message) from None
        expected = estimate_rows(path)  # the lines after the first
        if expected is not None and expected > max_rows() * 2:
            # Declared far beyond the limit (blank lines aside): refused now;
            # the worker counts the rows exactly.
            raise ApplicationError("too_many_rows", _too_many_rows().message)
        with transaction.atomic():
            batch = CommitmentUpload.objects.create(
                department=department,
                uploaded_by=actor,
                original_name=(upload.name or "upload")[:200],
                sha256=digest.hexdigest(),
                expected_rows=expected,
                created_at=clock.now(),
            )
            today = clock.today()
            suffix = Path(upload.name or "").suffix.lower()[:10]
            relative = Path("commitments") / f"{today:%Y}" / f"{today:%m}" / f"{batch.pk}{suffix}"
            absolute = Path(settings.MEDIA_ROOT) / relative
            absolute.parent.mkdir(parents=True, exist_ok=True)
            encrypt_stream(_file_chunks(path), absolute)
            batch.stored_file = str(relative)
            batch.save(update_fields=["stored_file"])
            audit_record(
                actor=actor,
                action=COMMITMENT_UPLOAD_SUBMIT,
                obj=batch,
                after={"file": batch.original_name, "sha256": batch.sha256, "rows": expected},
                request=request,
            )
            transaction.on_commit(partial(_enqueue, batch.pk), robust=True)
    return batch


def _enqueue(upload_id: int) -> None:
    from xinyong.rights.tasks import commitment_upload_task

    result = commitment_upload_task.enqueue(upload_id)
    CommitmentUpload.objects.filter(pk=upload_id).update(task_id=str(result.id))


# -- run (the worker) -----------------------------------------------------------------


def commitment_upload_run(*, upload_id: int) -> CommitmentUpload | None:
    """The worker's task. Does nothing for an upload that has ended or that
    another process holds; one found 处理中 was left by a worker that died,
    and this run goes on after its last committed chunk."""
    with Lease(upload_lease(upload_id)) as lease:
        if not lease.held:
            return None
        found = CommitmentUpload.objects.filter(pk=upload_id).first()
        if found is None or not found.working:
            return found
        if found.attempts >= MAX_ATTEMPTS:
            return _fail(found, _out_of_attempts(found.attempts))
        CommitmentUpload.objects.filter(pk=upload_id).update(
            status=Status.RUNNING, attempts=F("attempts") + 1
        )
        try:
            return _process(found)
        except FileProblem as problem:
            return _fail(found, problem.message)
        except DataKeyError:
            return _fail(found, _("保存的文件无法解密（密钥已更换？），请重新上传"))


def _process(upload: CommitmentUpload) -> CommitmentUpload:
    path = _stored_path(upload)
    if not upload.stored_file or not path.is_file():
        raise FileProblem(_("保存的文件已缺失，请重新上传"), "file_missing")
    with decrypted_copy(path) as plain:
        rows = _numbered_rows(plain)
        found = _header_columns(rows)
        if sum(1 for _number, row in rows if not _is_blank(row)) > max_rows():
            raise _too_many_rows()
        rows = _numbered_rows(plain)
        next(rows)  # the header
        chunk: list[tuple[int, list[object]]] = []
        last = upload.position
        for number, row in rows:
            if number <= upload.position:
                continue  # recorded by an earlier attempt
            last = number
            if not _is_blank(row):
                chunk.append((number, row))
            if len(chunk) >= CHUNK_ROWS:
                if not _write_chunk(upload.pk, chunk, found, last):
                    return CommitmentUpload.objects.get(pk=upload.pk)
                chunk = []
        if chunk and not _write_chunk(upload.pk, chunk, found, last):
            return CommitmentUpload.objects.get(pk=upload.pk)
    return _finish(upload.pk, last)


@transaction.atomic
def _write_chunk(
    upload_id: int, chunk: list[tuple[int, list[object]]], found: dict[str, int], last: int
) -> bool:
    """Record the chunk's rows and move the upload's position to `last`, in
    one transaction. False when the upload is no longer running."""
    upload = (
        CommitmentUpload.objects.select_for_update()
        .select_related("department", "uploaded_by")
        .get(pk=upload_id)
    )
    if upload.status != Status.RUNNING:
        return False
    errors: list[RowError] = []
    for number, row in chunk:
        row_errors = _record_row(upload.uploaded_by, upload.department, upload, row, found, number)
        upload.received += 1
        if row_errors:
            upload.rejected += 1
            errors.extend(row_errors)
        else:
            upload.accepted += 1
    upload.errors = [*upload.errors, *(e.as_json() for e in errors)]
    upload.position = last
    upload.save(update_fields=["received", "accepted", "rejected", "errors", "position"])
    return True


@transaction.atomic
def _finish(upload_id: int, last: int) -> CommitmentUpload:
    """Done: the rows' commitments published (the types that are) and queued
    for the provincial platform, the file removed, the audit row written."""
    upload = CommitmentUpload.objects.select_for_update().get(pk=upload_id)
    if upload.status != Status.RUNNING:
        return upload
    _publish_rows(upload)
    stored = _stored_path(upload)
    upload.status = Status.DONE
    upload.position = max(upload.position, last)
    upload.finished_at = clock.now()
    upload.stored_file = ""
    upload.save(update_fields=["status", "position", "finished_at", "stored_file"])
    audit_record(
        actor=upload.uploaded_by,
        action=COMMITMENT_UPLOAD,
        obj=upload,
        after={
            "received": upload.received,
            "accepted": upload.accepted,
            "rejected": upload.rejected,
        },
    )
    # The file (with its ID numbers) is not kept once every row has its outcome.
    transaction.on_commit(partial(stored.unlink, missing_ok=True))
    return upload


def _publish_rows(upload: CommitmentUpload) -> None:
    """The upload's commitments become what single ones are at once: the
    published types public, each sent to the provincial platform."""
    made = Commitment.objects.filter(upload=upload)
    made.filter(type__in=PUBLISHED_TYPES).update(is_published=True)
    for commitment in made.select_related("text").order_by("pk").iterator(chunk_size=500):
        commitment_outbox(commitment, event="sign")


def _out_of_attempts(attempts: int) -> str:
    return _("处理进程意外中止（已尝试 %(n)d 次），请把未处理的行重新上传，或联系信用办") % {
        "n": attempts
    }


@transaction.atomic
def _fail(upload: CommitmentUpload, reason: str) -> CommitmentUpload:
    """Failed with its reason. Rows already recorded stay (each is a signed
    commitment in its own right) and are published now; the page says from
    which row on nothing was recorded."""
    locked = CommitmentUpload.objects.select_for_update().get(pk=upload.pk)
    if not locked.working:
        return locked
    stored = _stored_path(locked) if locked.stored_file else None
    _publish_rows(locked)
    locked.status = Status.FAILED
    locked.failure_reason = reason
    locked.finished_at = clock.now()
    locked.stored_file = ""
    locked.save(update_fields=["status", "failure_reason", "finished_at", "stored_file"])
    audit_record(action=COMMITMENT_UPLOAD_FAIL, obj=locked, after={"reason": reason})
    if stored is not None:
        transaction.on_commit(partial(stored.unlink, missing_ok=True))
    return locked


def _is_queued(upload: CommitmentUpload) -> bool:
    from xinyong.rights.tasks import commitment_upload_task

    return task_alive(commitment_upload_task, upload.task_id, upload.created_at)


def commitment_upload_recover_stalled() -> list[int]:
    """A worker's recovery: an upload 排队中 whose task is gone, or 处理中
    whose lease is free (its worker died), is queued again (it goes on after
    its last committed chunk), or failed once `MAX_ATTEMPTS` were made.
    Returns the ids touched."""
    return requeue_stalled(
        StalledJobs(
            model=CommitmentUpload,
            is_queued=_is_queued,
            lease=upload_lease,
            fail=_fail,
            out_of_attempts=_out_of_attempts,
            enqueue=_enqueue,
            max_attempts=MAX_ATTEMPTS,
        )
    )


def _record_row(
    actor: User,
    department: Department,
    batch: CommitmentUpload,
    row: list[object],
    found: dict[str, int],
    number: int,
) -> list[RowError]:
    values, errors = _row_problems(row, found, number)
    if errors:
        return errors
    try:
        with transaction.atomic():  # a refused row leaves nothing behind
            commitment_record(
                actor=actor,
                department=department,
                type=str(values["type"]),
                signer=Signer(
                    kind=str(values["kind"]),
                    name=str(values["name"]),
                    code=str(values["code"]),
                    phone=str(values["phone"]),
                    contact_name=str(values["contact"]),
                ),
                signed_on=values["signed_on"],  # type: ignore[arg-type]
                matter=str(values["matter"]),
                channel=Commitment.Channel.UPLOAD,
                upload=batch,
            )
    except ApplicationError as exc:
        field = _field_of(exc)
        return [RowError(number, field, str(_cell(row, found, _key_of(field)) or ""), exc.message)]
    return []


_DETAIL_FIELDS = {
    "signer.code": "证件号码",
    "signer.name": "主体名称",
    "signer.phone": "联系电话",
    "signer": "主体名称",
    "signed_on": "签署日期",
    "type": "承诺类型",
}


def _field_of(exc: ApplicationError) -> str:
    details = exc.details if isinstance(exc.details, dict) else {}
    for key in details:
        if key in _DETAIL_FIELDS:
            return _DETAIL_FIELDS[key]
    return "承诺类型" if exc.code == "no_text" else "主体名称"


def _key_of(label: str) -> str:
    return next((c.key for c in COLUMNS if c.label == label), "name")
