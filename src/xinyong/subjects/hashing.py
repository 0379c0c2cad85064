"""The digest that identifies a person without storing their ID number.

`id_digest` is HMAC-SHA256 over the normalised number, keyed by a key
derived (PBKDF2, once per process and secret) from the deployment's
`SECRET_KEY`. The same number always gives the same digest within one
deployment, a leaked table cannot be reversed by hashing every possible ID
number without the secret, and two deployments give different digests.

Beside the digest, `id_encrypted` keeps the number encrypted under the data
key (`core.crypto`, AES-GCM) for the exchange with the provincial platform;
only `services.subject_reveal_id` decrypts it.

Rotating `SECRET_KEY` changes every digest: the registry would then need a
re-keying run (not provided yet); keep the key with the database backups.
"""

import functools
import hashlib
import hmac

from django.conf import settings

from xinyong.core.crypto import decrypt_value, encrypt_value

_SALT = b"xinyong.subjects.id_digest.v1"
# The associated data of an encrypted ID: a value from elsewhere cannot pass for one.
ID_PURPOSE = b"xinyong.subjects.id_number"
_ROUNDS = 200_000


@functools.lru_cache(maxsize=4)
def _derived_key(secret: str) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", secret.encode(), _SALT, _ROUNDS)


def normalize_id_number(id_number: str) -> str:
    """Trimmed, with a lower-case check character `x` made `X`."""
    return id_number.strip().upper()


def id_digest(id_number: str) -> str:
    """Hex HMAC-SHA256 of the ID number (64 characters). The secret is read
    on each call (never at import), the derivation runs once per secret."""
    key = _derived_key(settings.SECRET_KEY)
    return hmac.digest(key, normalize_id_number(id_number).encode(), "sha256").hex()


def seal_id_number(id_number: str) -> str:
    """The normalised number encrypted under the current data key (`Subject.id_encrypted`)."""
    return encrypt_value(normalize_id_number(id_number), ID_PURPOSE)


def unseal_id_number(sealed: str) -> str:
    """The clear number of `Subject.id_encrypted`: for `services.subject_reveal_id` only."""
    return decrypt_value(sealed, ID_PURPOSE)
