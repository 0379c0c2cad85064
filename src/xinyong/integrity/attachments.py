"""Evidence of a breach complaint: checked by `rights.attachments.check_attachments`
(the objection form's rules: PDF/JPG/PNG by content, size, count) and stored
encrypted under XINYONG_PRIVATE_ROOT/complaints."""

from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from xinyong.integrity.models import ComplaintAttachment, GovComplaint
from xinyong.rights.attachments import store_files


def storage_dir() -> Path:
    return Path(settings.XINYONG_PRIVATE_ROOT) / "complaints"


def store_attachments(
    complaint: GovComplaint, files: Sequence[UploadedFile], types: Sequence[str]
) -> list[ComplaintAttachment]:
    return store_files(
        ComplaintAttachment,
        parent={"complaint": complaint},
        directory=storage_dir(),
        files=files,
        types=types,
    )
