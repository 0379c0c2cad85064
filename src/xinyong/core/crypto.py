"""Encryption at rest: resident IDs, rejected rows' values, stored original uploads.

AES-256-GCM (`cryptography`'s `AESGCM`), not Fernet: the files need a
streaming format whose chunks are authenticated together with their
position and with "this is the last one" (associated data), so that a
chunk cannot be dropped, reordered or cut off unnoticed, and with no
base64 overhead on a 200 MB upload; one primitive serves values and files.

The keys are 32 random bytes, URL-safe base64. They come from
`XINYONG_DATA_KEY` (comma-separated; the first encrypts, all decrypt) or,
when that is unset, from the file `data_key` in the data directory (one
key a line, the first encrypts), generated there once with mode 0600 as
the secret key is (settings.py). Every ciphertext names its key by a
4-byte id (the start of the key's SHA-256), so that `xinyong datakey
rotate` can re-encrypt under a new key while the old one still decrypts.

Formats:

- a value: ``xy1:`` + base64url(key id ‖ 12-byte random nonce ‖ ciphertext
  ‖ tag), the associated data naming what the value is (`purpose`);
- a file: a 20-byte header (``XYF1`` ‖ key id ‖ 8-byte random nonce
  prefix ‖ chunk size) then chunks of `FILE_CHUNK` plaintext bytes, each
  ciphertext ‖ tag, the nonce being the prefix ‖ the chunk's 4-byte index,
  the associated data the header ‖ index ‖ final flag. The last chunk is
  always shorter than `FILE_CHUNK` (possibly empty) and flagged final, so
  the encrypted size follows from the plain size (`encrypted_size`).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import secrets
import struct
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.translation import gettext as _

ENV_VAR = "XINYONG_DATA_KEY"
KEY_FILE_NAME = "data_key"
VALUE_PREFIX = "xy1:"
FILE_MAGIC = b"XYF1"
FILE_CHUNK = 1 << 20  # plaintext bytes per chunk: memory stays bounded by it
_TAG = 16
_HEADER = struct.Struct(">4s4s8sI")  # magic, key id, nonce prefix, chunk size


class DataKeyError(Exception):
    """A value or file cannot be decrypted: unknown key, or tampered with."""


def generate_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def key_id(raw: bytes) -> bytes:
    return hashlib.sha256(raw).digest()[:4]


def _decode_key(text: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError) as error:
        raise DataKeyError(_("数据密钥格式错误（应为 32 字节的 URL 安全 base64）")) from error
    if len(raw) != 32:
        raise DataKeyError(_("数据密钥格式错误（应为 32 字节的 URL 安全 base64）"))
    return raw


def key_file() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE_NAME


def ensure_key_file(path: Path) -> None:
    """Create the key file with one new key, owner-only (0600), if it is missing."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two processes starting at once never each write their own key.
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(generate_key() + "\n")
    path.chmod(0o600)


def write_key_file(path: Path, keys: list[str]) -> None:
    """Replace the key file atomically (mode 0600), first key first."""
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("".join(k + "\n" for k in keys))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


@dataclass(frozen=True)
class KeyRing:
    """The keys: `current` encrypts, every one of `keys` decrypts."""

    current: bytes  # key id
    keys: dict[bytes, AESGCM]
    texts: tuple[str, ...]  # as configured, current first
    from_env: bool

    def cipher(self, kid: bytes) -> AESGCM:
        try:
            return self.keys[kid]
        except KeyError:
            raise DataKeyError(
                _(
                    "找不到加密该数据的数据密钥（密钥 %(kid)s），请检查 XINYONG_DATA_KEY 或数据目录中的 data_key"
                )
                % {"kid": kid.hex()}
            ) from None


def _load() -> tuple[KeyRing, int | None]:
    configured = os.environ.get(ENV_VAR, "").strip()
    mtime: int | None = None
    if configured:
        texts = [t.strip() for t in configured.split(",") if t.strip()]
        from_env = True
    else:
        path = key_file()
        ensure_key_file(path)
        mtime = path.stat().st_mtime_ns
        texts = [t.strip() for t in path.read_text().splitlines() if t.strip()]
        from_env = False
    if not texts:
        raise DataKeyError(_("数据密钥为空"))
    keys: dict[bytes, AESGCM] = {}
    for text in texts:
        raw = _decode_key(text)
        keys.setdefault(key_id(raw), AESGCM(raw))
    current = key_id(_decode_key(texts[0]))
    return KeyRing(current, keys, tuple(texts), from_env), mtime


_lock = threading.Lock()
_state: dict[str, object] = {}
_RECHECK = 1.0  # seconds between looks at the key file (a rotation changes it)


def keyring() -> KeyRing:
    """The keys, re-read when the environment or the key file changes (a
    running worker sees a rotation within a second)."""
    now = time.monotonic()
    with _lock:
        ring = _state.get("ring")
        source = (os.environ.get(ENV_VAR, ""), str(settings.DATA_DIR))
        if isinstance(ring, KeyRing) and _state.get("source") == source:
            if ring.from_env or now - float(_state["checked"]) < _RECHECK:  # type: ignore[arg-type]
                return ring
            _state["checked"] = now
            with contextlib.suppress(OSError):
                if key_file().stat().st_mtime_ns == _state.get("mtime"):
                    return ring
        ring, mtime = _load()
        _state.update(ring=ring, mtime=mtime, checked=now, source=source)
        return ring


def reset_keyring() -> None:
    """Forget the cached keys (tests, and the rotation command after writing the file)."""
    with _lock:
        _state.clear()


# -- values ---------------------------------------------------------------------------


def encrypt_value(plain: str, purpose: bytes) -> str:
    ring = keyring()
    nonce = secrets.token_bytes(12)
    sealed = ring.cipher(ring.current).encrypt(nonce, plain.encode(), purpose)
    return VALUE_PREFIX + base64.urlsafe_b64encode(ring.current + nonce + sealed).decode()


def is_encrypted_value(value: object) -> bool:
    return isinstance(value, str) and value.startswith(VALUE_PREFIX)


def value_key_id(token: str) -> bytes:
    return base64.urlsafe_b64decode(token[len(VALUE_PREFIX) :].encode())[:4]


def decrypt_value(token: str, purpose: bytes) -> str:
    if not is_encrypted_value(token):
        raise DataKeyError(_("不是加密的值"))
    try:
        raw = base64.urlsafe_b64decode(token[len(VALUE_PREFIX) :].encode())
    except (binascii.Error, ValueError) as error:
        raise DataKeyError(_("加密的值已损坏")) from error
    kid, nonce, sealed = raw[:4], raw[4:16], raw[16:]
    try:
        return keyring().cipher(kid).decrypt(nonce, sealed, purpose).decode()
    except InvalidTag as error:
        raise DataKeyError(_("加密的值已损坏或被篡改")) from error


# -- files ----------------------------------------------------------------------------


def encrypted_size(plain_size: int) -> int:
    """The size on disk of a file of `plain_size` bytes once encrypted."""
    return _HEADER.size + plain_size + _TAG * (plain_size // FILE_CHUNK + 1)


class _Sink(Protocol):
    def write(self, data: bytes, /) -> object: ...


class FileEncryptor:
    """Encrypts a stream written piecewise (`write`, then `close`) into `out`."""

    def __init__(self, out: _Sink) -> None:
        ring = keyring()
        self._out = out
        self._cipher = ring.cipher(ring.current)
        self._prefix = secrets.token_bytes(8)
        self._header = _HEADER.pack(FILE_MAGIC, ring.current, self._prefix, FILE_CHUNK)
        out.write(self._header)
        self._buffer = bytearray()
        self._index = 0
        self.plain_size = 0
        self.sha256 = hashlib.sha256()

    def _seal(self, data: bytes, final: bool) -> None:
        index = struct.pack(">I", self._index)
        aad = self._header + index + (b"\x01" if final else b"\x00")
        self._out.write(self._cipher.encrypt(self._prefix + index, data, aad))
        self._index += 1

    def write(self, data: bytes) -> None:
        self.plain_size += len(data)
        self.sha256.update(data)
        self._buffer += data
        while len(self._buffer) >= FILE_CHUNK:
            self._seal(bytes(self._buffer[:FILE_CHUNK]), final=False)
            del self._buffer[:FILE_CHUNK]

    def close(self) -> None:
        self._seal(bytes(self._buffer), final=True)
        self._buffer.clear()


def encrypt_stream(chunks: Iterable[bytes], path: Path) -> tuple[int, str]:
    """Write `chunks` encrypted to `path`; returns the plain size and SHA-256."""
    with open(path, "wb") as handle:
        encryptor = FileEncryptor(handle)
        for chunk in chunks:
            encryptor.write(chunk)
        encryptor.close()
    return encryptor.plain_size, encryptor.sha256.hexdigest()


def is_encrypted_file(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(FILE_MAGIC)) == FILE_MAGIC


def file_key_id(path: Path) -> bytes:
    with open(path, "rb") as handle:
        kid: bytes = _HEADER.unpack(handle.read(_HEADER.size))[1]
    return kid


def decrypt_chunks(path: Path) -> Iterator[bytes]:
    """The plain content of an encrypted file, chunk by chunk (each
    authenticated before it is given). Raises DataKeyError on a file cut
    short, reordered or altered."""
    with open(path, "rb") as handle:
        header = handle.read(_HEADER.size)
        if len(header) != _HEADER.size:
            raise DataKeyError(_("加密文件已损坏（文件头不完整）"))
        magic, kid, prefix, chunk = _HEADER.unpack(header)
        if magic != FILE_MAGIC:
            raise DataKeyError(_("不是加密文件"))
        cipher = keyring().cipher(kid)
        index = 0
        while True:
            sealed = handle.read(chunk + _TAG)
            final = len(sealed) < chunk + _TAG
            if final and handle.read(1):
                raise DataKeyError(_("加密文件已损坏"))
            packed = struct.pack(">I", index)
            aad = header + packed + (b"\x01" if final else b"\x00")
            try:
                yield cipher.decrypt(prefix + packed, sealed, aad)
            except InvalidTag as error:
                raise DataKeyError(_("加密文件已损坏、不完整或被篡改")) from error
            if final:
                return
            index += 1


def plain_chunks(path: Path) -> Iterator[bytes]:
    """The plain content of a stored file, encrypted or (stored before
    encryption) not."""
    if is_encrypted_file(path):
        yield from decrypt_chunks(path)
        return
    with open(path, "rb") as handle:
        while block := handle.read(FILE_CHUNK):
            yield block


@contextlib.contextmanager
def decrypted_copy(path: Path) -> Iterator[Path]:
    """The one way to read a stored file as a path: a plain temporary copy,
    owner-only, next to the stored files (`.incoming`), removed on exit. A
    plain (legacy) file is given as it is."""
    if not is_encrypted_file(path):
        yield path
        return
    directory = Path(settings.MEDIA_ROOT) / "uploads" / ".incoming"
    directory.mkdir(parents=True, exist_ok=True)
    # NamedTemporaryFile makes the file 0600.
    with tempfile.NamedTemporaryFile(
        prefix=".plain-", suffix=path.suffix[:10], dir=directory, delete=False
    ) as handle:
        plain = Path(handle.name)
        try:
            for block in decrypt_chunks(path):
                handle.write(block)
        except BaseException:
            handle.close()
            plain.unlink(missing_ok=True)
            raise
    try:
        yield plain
    finally:
        plain.unlink(missing_ok=True)
