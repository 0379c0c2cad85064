"""Receiving an upload of up to 200 MB without handling it twice: the file
is streamed, encrypted as it comes (`core.crypto`, so that no clear copy
ever reaches the disk), into a temporary file under MEDIA_ROOT while the
plain file's SHA-256 is computed, and then moved into place (a rename on
the same file system) instead of being copied and read again. A file over
the limit is stopped as its bytes pass the limit: never written in full,
never kept."""

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import (
    FileUploadHandler,
    StopUpload,
    TemporaryFileUploadHandler,
)
from django.utils.translation import gettext as _

from xinyong.core.crypto import FileEncryptor
from xinyong.core.env import env_int

DEFAULT_MAX_UPLOAD_MB = 200


def max_upload_bytes() -> int:
    """The largest file a department may submit (`XINYONG_MAX_UPLOAD_MB`)."""
    return env_int("XINYONG_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024


def too_large_message() -> str:
    return _("文件超过 %(max)d MB 的上限，未保存，请分成几个文件上传") % {
        "max": max_upload_bytes() // 1024 // 1024
    }


def incoming_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "uploads" / ".incoming"


class _IncomingFile(TemporaryUploadedFile):
    """Django's temporary upload, made in `incoming_dir()`, holding the file
    encrypted; `sha256` (of the plain file) is set once it is all received."""

    sha256: str | None = None

    def __init__(
        self,
        name: str,
        content_type: str | None,
        size: int,
        charset: str | None,
        content_type_extra: dict[str, bytes] | None = None,
    ) -> None:
        directory = incoming_dir()
        directory.mkdir(parents=True, exist_ok=True)
        _stem, ext = os.path.splitext(name)
        file = tempfile.NamedTemporaryFile(suffix=".upload" + ext[:10], dir=directory)
        UploadedFile.__init__(self, file, name, content_type, size, charset, content_type_extra)


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Every file to disk, encrypted (none kept in memory, none in clear),
    with the plain file's SHA-256 as `sha256`. A file that passes
    `max_upload_bytes()` is deleted at once and the rest of the request is
    read and dropped; `refused` tells the view why."""

    file: _IncomingFile
    refused = False

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, bytes] | None = None,
    ) -> None:
        # The base class's bookkeeping only: its parent's temporary file would
        # be made in the system's temporary directory and never used.
        FileUploadHandler.new_file(
            self, field_name, file_name, content_type, content_length, charset, content_type_extra
        )
        self.limit = max_upload_bytes()
        if content_length is not None and content_length > self.limit:
            self._refuse()
        self.file = _IncomingFile(file_name, content_type, 0, charset, content_type_extra)
        self.encryptor = FileEncryptor(self.file)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) > self.limit:
            self.file.close()  # a temporary file: closing deletes it
            self._refuse()
        self.encryptor.write(raw_data)

    def _refuse(self) -> None:
        self.refused = True
        # Read the rest of the request and drop it, so that the browser gets
        # the page that says why (a reset connection shows only an error).
        raise StopUpload(connection_reset=False)

    def file_complete(self, file_size: int) -> UploadedFile:
        self.encryptor.close()
        super().file_complete(file_size)  # rewinds the file and sets its (plain) size
        self.file.sha256 = self.encryptor.sha256.hexdigest()
        return self.file


def keep_upload(
    upload: UploadedFile, path: Path, fallback: Callable[[UploadedFile, Path], tuple[int, str]]
) -> tuple[int, str]:
    """Put the uploaded file at `path`, encrypted; returns its plain size and
    SHA-256. A file received by `HashingUploadHandler` (encrypted already)
    is moved; any other is written by `fallback(upload, path)` (which
    encrypts it and returns the same pair)."""
    if not isinstance(upload, _IncomingFile) or upload.sha256 is None:
        return fallback(upload, path)
    digest = upload.sha256
    upload.flush()
    try:
        os.replace(upload.temporary_file_path(), path)
    except OSError:  # another file system: copy the encrypted bytes instead
        shutil.copyfile(upload.temporary_file_path(), path)
    os.chmod(path, 0o600)  # encrypted or not, the stored originals are the platform's only
    return int(upload.size or 0), digest
