"""Receiving an upload of up to 200 MB without handling it twice: the file
is streamed into a temporary file under MEDIA_ROOT while its SHA-256 is
computed, and then moved into place (a rename on the same file system)
instead of being copied and read again."""

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler


def incoming_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "uploads" / ".incoming"


class _IncomingFile(TemporaryUploadedFile):
    """Django's temporary upload, made in `incoming_dir()`."""

    def __init__(
        self,
        name: str,
        content_type: str | None,
        size: int,
        charset: str | None,
        content_type_extra: dict[str, str] | None = None,
    ) -> None:
        directory = incoming_dir()
        directory.mkdir(parents=True, exist_ok=True)
        _stem, ext = os.path.splitext(name)
        file = tempfile.NamedTemporaryFile(suffix=".upload" + ext[:10], dir=directory)
        UploadedFile.__init__(self, file, name, content_type, size, charset, content_type_extra)


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Every file to disk (none kept in memory), with its SHA-256 as `sha256`."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.file = _IncomingFile(
            self.file_name, self.content_type, 0, self.charset, self.content_type_extra
        )
        self.digest = hashlib.sha256()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.digest.update(raw_data)
        self.file.write(raw_data)

    def file_complete(self, file_size: int) -> UploadedFile:
        uploaded = super().file_complete(file_size)
        uploaded.sha256 = self.digest.hexdigest()
        return uploaded


def keep_upload(
    upload: UploadedFile, path: Path, fallback: Callable[[UploadedFile, Path], tuple[int, str]]
) -> tuple[int, str]:
    """Put the uploaded file at `path`; returns its size and SHA-256. A file
    received by `HashingUploadHandler` is moved; any other is written by
    `fallback(upload, path)` (which returns the same pair)."""
    digest = getattr(upload, "sha256", None)
    if digest is None or not hasattr(upload, "temporary_file_path"):
        return fallback(upload, path)
    upload.file.flush()
    try:
        os.replace(upload.temporary_file_path(), path)
    except OSError:  # another file system: copy instead
        return fallback(upload, path)
    os.chmod(path, 0o644)  # a temporary file is the owner's only (as Django's storage does)
    return path.stat().st_size, digest
