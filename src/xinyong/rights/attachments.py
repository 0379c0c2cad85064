"""Attachments of an application: checked by content, stored encrypted
outside the web root (`XINYONG_PRIVATE_ROOT`, default `<data dir>/private`)."""

import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.crypto import encrypt_stream, plain_chunks
from xinyong.core.errors import ApplicationError
from xinyong.rights.models import Objection, ObjectionAttachment

StoredFile = TypeVar("StoredFile", bound=models.Model)

MAX_BYTES = 10 * 1024 * 1024  # 10 MB each (issue 14)
MAX_FILES = 5
# The first bytes of each accepted type: the name and the browser's claim are not trusted.
SIGNATURES = (
    (b"%PDF-", ObjectionAttachment.ContentType.PDF),
    (b"\xff\xd8\xff", ObjectionAttachment.ContentType.JPEG),
    (b"\x89PNG\r\n\x1a\n", ObjectionAttachment.ContentType.PNG),
)


def storage_dir() -> Path:
    return Path(settings.XINYONG_PRIVATE_ROOT) / "objections"


def _sniff(file: UploadedFile) -> str | None:
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return str(content_type)
    return None


def check_attachments(files: Sequence[UploadedFile]) -> list[str]:
    """The content type of each file, or a 422 naming the file and the rule."""
    if len(files) > MAX_FILES:
        raise ApplicationError(
            "too_many_files",
            _("证明材料：最多上传 %(n)d 个文件") % {"n": MAX_FILES},
            {"attachments": "too_many"},
            status=422,
        )
    types = []
    for f in files:
        name = f.name or ""
        if (f.size or 0) > MAX_BYTES:
            raise ApplicationError(
                "file_too_large",
                _("证明材料“%(name)s”：超过 10 MB") % {"name": name},
                {"attachments": name},
                status=422,
            )
        content_type = _sniff(f)
        if content_type is None:
            raise ApplicationError(
                "file_type",
                _("证明材料“%(name)s”：只接受 PDF、JPG 或 PNG 文件（按文件内容识别）")
                % {"name": name},
                {"attachments": name},
                status=422,
            )
        types.append(content_type)
    return types


def store_files(
    model: type[StoredFile],
    *,
    parent: dict[str, Any],
    directory: Path,
    files: Sequence[UploadedFile],
    types: Sequence[str],
) -> list[StoredFile]:
    """Encrypt each checked file into `directory` under a random name and keep
    its row (`model`, created with `parent`, e.g. {"objection": o}): the one
    way an application's attachments (objections, repairs, complaints) are kept."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = []
    for f, content_type in zip(files, types, strict=True):
        stored_name = secrets.token_hex(16)
        size, digest = encrypt_stream(f.chunks(), directory / stored_name)
        stored.append(
            model._default_manager.create(
                **parent,
                original_name=(f.name or "")[:200],
                content_type=content_type,
                size=size,
                sha256=digest,
                stored_name=stored_name,
                uploaded_at=clock.now(),
            )
        )
    return stored


def store_attachments(
    objection: Objection, files: Sequence[UploadedFile], types: Sequence[str]
) -> list[ObjectionAttachment]:
    return store_files(
        ObjectionAttachment,
        parent={"objection": objection},
        directory=storage_dir(),
        files=files,
        types=types,
    )


def attachment_chunks(attachment: ObjectionAttachment) -> Iterator[bytes]:
    return plain_chunks(storage_dir() / attachment.stored_name)
