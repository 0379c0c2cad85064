"""Signed reports: the platform's Ed25519 key, and a signature that travels inside the PDF.

The design, chosen for being the simplest that is robust:

1. WeasyPrint prints the report to PDF bytes ``P`` (ending in a newline after ``%%EOF``).
2. The signed envelope is the canonical JSON (sorted keys, no spaces, UTF-8) of
   ``{"v", "number", "subject", "kind", "issued", "sha256", "key"}``, where ``sha256`` is
   the SHA-256 of ``P`` and ``key`` the signing key's id.
3. The Ed25519 signature covers ``DOMAIN ‖ P ‖ envelope`` (the domain string keeps a
   report signature from being mistaken for any other signature of the key).
4. The file given out is ``P`` followed by one PDF comment line:
   ``%XYSIG1 <base64 of the envelope with "sig" added>\\n``. PDF readers ignore what
   follows ``%%EOF`` (pypdf and browsers open the file as usual); base64 keeps every
   byte of the line printable and free of ``%%EOF``.

`verify_file` needs nothing but the file and the public keys (offline): it takes the
last ``%XYSIG1`` line, requires it to end the file, to be canonical base64 of canonical
JSON, the hash to match ``P`` and the signature to verify. Any byte changed anywhere
fails one of these: inside ``P`` the hash, inside the line the encoding, the envelope or
the signature, and a byte added or removed after it the "ends the file" rule.

The keys are kept like the data key (`core.crypto`): `XINYONG_SIGNING_KEY`
(comma-separated, URL-safe base64 of 32-byte Ed25519 private keys; the first signs, all
verify), or, when unset, the file `signing_key` in the data directory (one key a line,
the first signs), made once with mode 0600. A report names its key by id (the first 8
bytes of the SHA-256 of the raw public key, hex), so a rotated key's old reports still
verify while its line stays in the ring (docs/deploy.md, "Report signing key").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils.translation import gettext as _

from xinyong.core.crypto import ensure_key_file

ENV_VAR = "XINYONG_SIGNING_KEY"
KEY_FILE_NAME = "signing_key"
MARKER = b"%XYSIG1 "
DOMAIN = b"xinyong-report-signature-v1\n"
VERSION = 1


class SigningKeyError(Exception):
    """The signing key is missing or malformed."""


def _raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_id(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw_public(public)).hexdigest()[:16]


def _private_from_text(text: str) -> Ed25519PrivateKey:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError) as error:
        raise SigningKeyError(_("签名密钥格式错误（应为 32 字节的 URL 安全 base64）")) from error
    if len(raw) != 32:
        raise SigningKeyError(_("签名密钥格式错误（应为 32 字节的 URL 安全 base64）"))
    return Ed25519PrivateKey.from_private_bytes(raw)


def key_file() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE_NAME


@dataclass(frozen=True)
class SigningRing:
    """`current` signs; every key of `public` verifies (by id)."""

    current: Ed25519PrivateKey
    current_id: str
    public: dict[str, Ed25519PublicKey]


def signing_ring() -> SigningRing:
    """The platform's keys, read from the environment or the data directory each time
    (a few microseconds; a rotation takes effect without a restart)."""
    texts = [t for t in os.environ.get(ENV_VAR, "").split(",") if t.strip()]
    if not texts:
        path = key_file()
        # The same 32 random bytes in URL-safe base64 as a data key: an Ed25519 seed.
        ensure_key_file(path)
        texts = [line for line in path.read_text().splitlines() if line.strip()]
    if not texts:
        raise SigningKeyError(_("未配置签名密钥"))
    privates = [_private_from_text(t) for t in texts]
    public = {public_key_id(p.public_key()): p.public_key() for p in privates}
    current = privates[0]
    return SigningRing(
        current=current, current_id=public_key_id(current.public_key()), public=public
    )


def public_keys_text(ring: SigningRing | None = None) -> str:
    """The public keys, one a line (URL-safe base64 of the raw key), current first: what
    `xinyong report verify --public-key FILE` reads on a machine without the private keys."""
    ring = ring or signing_ring()
    return "".join(
        base64.urlsafe_b64encode(_raw_public(k)).decode() + "\n" for k in ring.public.values()
    )


def public_keys_from_text(text: str) -> dict[str, Ed25519PublicKey]:
    keys: dict[str, Ed25519PublicKey] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        try:
            raw = base64.urlsafe_b64decode(line.strip().encode())
            key = Ed25519PublicKey.from_public_bytes(raw)
        except (binascii.Error, ValueError) as error:
            raise SigningKeyError(_("公钥格式错误（应为 32 字节的 URL 安全 base64）")) from error
        keys[public_key_id(key)] = key
    return keys


def _canonical(envelope: dict[str, object]) -> bytes:
    return json.dumps(envelope, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Signed:
    data: bytes  # the file to give out
    sha256: str
    signature: str  # base64
    key_id: str


def sign_pdf(
    pdf: bytes,
    *,
    number: str,
    subject: str,
    kind: str,
    issued: str,
    ring: SigningRing | None = None,
) -> Signed:
    ring = ring or signing_ring()
    if not pdf.endswith(b"\n"):
        pdf += b"\n"
    digest = hashlib.sha256(pdf).hexdigest()
    envelope: dict[str, object] = {
        "v": VERSION,
        "number": number,
        "subject": subject,
        "kind": kind,
        "issued": issued,
        "sha256": digest,
        "key": ring.current_id,
    }
    signature = ring.current.sign(DOMAIN + pdf + _canonical(envelope))
    sig_text = base64.b64encode(signature).decode()
    line = base64.b64encode(_canonical({**envelope, "sig": sig_text}))
    return Signed(
        data=pdf + MARKER + line + b"\n", sha256=digest, signature=sig_text, key_id=ring.current_id
    )


@dataclass(frozen=True)
class Verdict:
    valid: bool
    number: str = ""
    subject: str = ""
    kind: str = ""
    issued: str = ""
    sha256: str = ""
    reason: str = ""  # why it is not valid, in Chinese


def verify_file(data: bytes, *, keys: dict[str, Ed25519PublicKey] | None = None) -> Verdict:
    """Offline: the file's own signature line against the given public keys (default:
    the platform's ring)."""
    at = data.rfind(MARKER)
    if at < 0:
        return Verdict(False, reason=_("文件中没有平台签名"))
    body, line = data[:at], data[at + len(MARKER) :]
    if not line.endswith(b"\n") or b"\n" in line[:-1]:
        return Verdict(False, reason=_("签名之后有多余内容"))
    encoded = line[:-1]
    try:
        decoded = base64.b64decode(encoded, validate=True)
        envelope = json.loads(decoded.decode())
    except (binascii.Error, ValueError):
        return Verdict(False, reason=_("签名行已损坏"))
    if not isinstance(envelope, dict) or base64.b64encode(_canonical(envelope)) != encoded:
        return Verdict(False, reason=_("签名行已损坏"))
    named = Verdict(
        False,
        number=str(envelope.get("number", "")),
        subject=str(envelope.get("subject", "")),
        kind=str(envelope.get("kind", "")),
        issued=str(envelope.get("issued", "")),
        sha256=str(envelope.get("sha256", "")),
    )
    sig_text = envelope.pop("sig", "")
    if envelope.get("v") != VERSION or not isinstance(sig_text, str):
        return _invalid(named, _("签名版本不受支持"))
    if hashlib.sha256(body).hexdigest() != envelope.get("sha256"):
        return _invalid(named, _("报告内容与签名不符（已被改动）"))
    ring_keys = keys if keys is not None else signing_ring().public
    public = ring_keys.get(str(envelope.get("key", "")))
    if public is None:
        return _invalid(named, _("签名密钥不是本平台的密钥"))
    try:
        public.verify(
            base64.b64decode(sig_text, validate=True), DOMAIN + body + _canonical(envelope)
        )
    except (InvalidSignature, binascii.Error, ValueError):
        return _invalid(named, _("签名无效"))
    return Verdict(
        True,
        number=named.number,
        subject=named.subject,
        kind=named.kind,
        issued=named.issued,
        sha256=named.sha256,
    )


def _invalid(named: Verdict, reason: str) -> Verdict:
    return Verdict(
        False,
        number=named.number,
        subject=named.subject,
        kind=named.kind,
        issued=named.issued,
        sha256=named.sha256,
        reason=reason,
    )
