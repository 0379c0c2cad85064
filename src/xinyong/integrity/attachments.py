"""Evidence of a breach complaint: checked by `rights.attachments.check_attachments`
(the objection form's rules: PDF/JPG/PNG by content, size, count) and stored
encrypted under XINYONG_PRIVATE_ROOT/complaints."""

import secrets
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from xinyong.core import clock
from xinyong.core.crypto import encrypt_stream
from xinyong.integrity.models import ComplaintAttachment, GovComplaint


def storage_dir() -> Path:
    return Path(settings.XINYONG_PRIVATE_ROOT) / "complaints"


def store_attachments(
    complaint: GovComplaint, files: Sequence[UploadedFile], types: Sequence[str]
) -> list[ComplaintAttachment]:
    directory = storage_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = []
    for f, content_type in zip(files, types, strict=True):
        stored_name = secrets.token_hex(16)
        size, digest = encrypt_stream(f.chunks(), directory / stored_name)
        stored.append(
            ComplaintAttachment.objects.create(
                complaint=complaint,
                original_name=(f.name or "")[:200],
                content_type=content_type,
                size=size,
                sha256=digest,
                stored_name=stored_name,
                uploaded_at=clock.now(),
            )
        )
    return stored
