"""Submission batches from an upload, the API or the command line."""

import json
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.env import env_int
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.ingest import pipeline
from xinyong.ingest.models import Batch
from xinyong.ingest.readers import FileProblem, read_rows
from xinyong.orgs.models import Department
from xinyong.orgs.permissions import ensure_department_access

DEFAULT_MAX_UPLOAD_MB = 200
_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def max_upload_bytes() -> int:
    return env_int("XINYONG_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024


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


def _new_batch(*, department, item, source, actor, original_name) -> Batch:
    _check_item(item, department)
    return Batch.objects.create(
        department=department,
        item=item,
        version_id=item.current_version_id,
        source=source,
        original_name=original_name[:255],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
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


def _finish(batch: Batch, actor, request=None) -> Batch:
    audit_record(
        actor=actor,
        action="batch.process",
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


def batch_submit_upload(
    *, actor, department: Department, item: CatalogItem, upload: UploadedFile, request=None
) -> Batch:
    """A clerk's upload: keep the file as received, then process it."""
    ensure_department_access(actor, department)
    with transaction.atomic():
        batch = _new_batch(
            department=department,
            item=item,
            source=Batch.Source.UPLOAD,
            actor=actor,
            original_name=upload.name or "upload",
        )
        path = _storage_path(batch, upload.name or "upload")
        with open(path, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        batch.size = upload.size or path.stat().st_size
        batch.save(update_fields=["stored_file", "size"])
    if not _too_large(batch, batch.size):
        pipeline.process(
            batch, lambda: read_rows(path), parallel=pipeline.use_worker_process(batch.size)
        )
    return _finish(batch, actor, request)


def batch_submit_file(
    *, department: Department, item: CatalogItem, path: Path, actor=None
) -> Batch:
    """`xinyong import`: the same path as an upload, from a file on disk."""
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
        stored = _storage_path(batch, path.name)
        shutil.copyfile(path, stored)
        batch.size = stored.stat().st_size
        batch.save(update_fields=["stored_file", "size"])
    if not _too_large(batch, batch.size):
        pipeline.process(
            batch, lambda: read_rows(stored), parallel=pipeline.use_worker_process(batch.size)
        )
    return _finish(batch, actor or "命令行")


def _json_rows(records: list) -> list[list]:
    """A JSON array of objects → a header row (the union of keys, in order) and rows."""
    header: dict[str, int] = {}
    for index, entry in enumerate(records, start=1):
        if not isinstance(entry, dict):
            raise ApplicationError(
                "invalid_body", _("第%(n)d条不是 JSON 对象（应为“字段名: 值”）") % {"n": index}
            )
        for key in entry:
            header.setdefault(str(key), len(header))
    rows = [list(header)]
    for entry in records:
        row = [""] * len(header)
        for key, value in entry.items():
            row[header[str(key)]] = "" if value is None else value
        rows.append(row)
    return rows


def batch_submit_api(
    *, department: Department, item: CatalogItem, records: list, token=None
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
        payload = json.dumps(records, ensure_ascii=False).encode()
        stored.write_bytes(payload)
        batch.size = len(payload)
        batch.save(update_fields=["stored_file", "size"])
    if not _too_large(batch, batch.size):
        pipeline.process(batch, lambda: iter(rows))
    return _finish(batch, token or "接口")
