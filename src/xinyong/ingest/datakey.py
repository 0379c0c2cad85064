"""Rotating the data key (`core.crypto`): a new key encrypts, every encrypted
value and stored file is re-encrypted under it, and the old key is kept
until all of it is done (`xinyong datakey rotate`).

Resumable: each subject, rejected row (its cells and its errors) and file is rewritten in its own small
transaction (or by an atomic rename), and what is under the current key
already is skipped, so a run cut short is simply run again. With the key in
the data dir's `data_key` file the command writes the new key first (the
file then holds the new and the old key: a rotation under way) and drops the
old one at the end; with `XINYONG_DATA_KEY` the operator puts the new key
first in the variable, runs the command, then removes the old one. Values
and files stored before encryption existed are encrypted on the way.
"""

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import orjson
from django.conf import settings
from django.db import transaction

from xinyong.core.audit import AuditActor, audit_record
from xinyong.core.crypto import (
    DataKeyError,
    FileEncryptor,
    decrypt_value,
    encrypt_value,
    file_key_id,
    generate_key,
    is_encrypted_file,
    is_encrypted_value,
    key_file,
    keyring,
    plain_chunks,
    reset_keyring,
    value_key_id,
    write_key_file,
)
from xinyong.ingest.audit_actions import DATAKEY_ROTATE
from xinyong.ingest.models import (
    REJECTED_ERRORS_PURPOSE,
    REJECTED_PURPOSE,
    Batch,
    RejectedRow,
)
from xinyong.subjects.hashing import ID_PURPOSE
from xinyong.subjects.models import Subject

_BATCH = 500


@dataclass
class Rotation:
    """What a run did."""

    new_key: bool = False  # this run made the new key (else it resumed one)
    subjects: int = 0
    rejected_rows: int = 0
    files: int = 0
    failed_files: list[str] = field(default_factory=list)
    old_keys_dropped: bool = False


def _stale(token: object, current: bytes) -> bool:
    return not is_encrypted_value(token) or value_key_id(str(token)) != current


def _reencrypt_subjects(current: bytes) -> int:
    done = 0
    last = 0
    while True:
        rows = list(
            Subject.objects.filter(pk__gt=last)
            .exclude(id_encrypted="")
            .order_by("pk")
            .values_list("pk", "id_encrypted")[:_BATCH]
        )
        if not rows:
            return done
        last = rows[-1][0]
        stale = [(pk, token) for pk, token in rows if _stale(token, current)]
        with transaction.atomic():
            for pk, token in stale:
                clear = decrypt_value(token, ID_PURPOSE)
                Subject.objects.filter(pk=pk, id_encrypted=token).update(
                    id_encrypted=encrypt_value(clear, ID_PURPOSE)
                )
        done += len(stale)


def _resealed(stored: object, purpose: bytes) -> str:
    """A rejected row's stored cells or errors under the current key (as
    `seal_rejected_values`/`seal_rejected_errors` write them); what was stored
    before encryption existed is the plain JSON."""
    if is_encrypted_value(stored):
        return encrypt_value(decrypt_value(str(stored), purpose), purpose)
    return encrypt_value(orjson.dumps(stored).decode(), purpose)


def _reencrypt_rejected(current: bytes) -> int:
    done = 0
    last = 0
    while True:
        rows = list(
            RejectedRow.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "values", "errors")[:_BATCH]
        )
        if not rows:
            return done
        last = rows[-1][0]
        changed: list[RejectedRow] = []
        for pk, values, errors in rows:
            if not (_stale(values, current) or _stale(errors, current)):
                continue
            changed.append(
                RejectedRow(
                    pk=pk,
                    values=_resealed(values, REJECTED_PURPOSE),
                    errors=_resealed(errors, REJECTED_ERRORS_PURPOSE),
                )
            )
        if changed:
            with transaction.atomic():
                RejectedRow.objects.bulk_update(changed, ["values", "errors"])
        done += len(changed)


def _reencrypt_file(batch: Batch, current: bytes) -> bool | None:
    """Rewrite one stored file under the current key: True if rewritten,
    None if nothing to do (or gone), False if it is damaged or changed (it
    stays as it is, and so does the old key)."""
    path = Path(settings.MEDIA_ROOT) / batch.stored_file
    if not path.is_file():
        return None
    if is_encrypted_file(path) and file_key_id(path) == current:
        return None
    tmp = path.with_name(path.name + ".rotating")
    try:
        with open(tmp, "wb") as handle:
            encryptor = FileEncryptor(handle)
            for chunk in plain_chunks(path):
                encryptor.write(chunk)
            encryptor.close()
            handle.flush()
            os.fsync(handle.fileno())
    except DataKeyError:
        tmp.unlink(missing_ok=True)
        return False
    if batch.digest and encryptor.sha256.hexdigest() != batch.digest:
        tmp.unlink(missing_ok=True)
        return False
    tmp.chmod(0o600)
    os.replace(tmp, path)
    return True


def datakey_rotate(
    *, actor: AuditActor, progress: Callable[[str], None] = lambda _message: None
) -> Rotation:
    """Rotate (or finish rotating) the data key; see the module's docstring."""
    result = Rotation()
    reset_keyring()
    ring = keyring()
    if not ring.from_env and len(ring.texts) == 1:
        write_key_file(key_file(), [generate_key(), *ring.texts])
        reset_keyring()
        ring = keyring()
        result.new_key = True
    current = ring.current
    progress(f"subjects: {current.hex()}")
    result.subjects = _reencrypt_subjects(current)
    progress(f"subjects: {result.subjects}")
    result.rejected_rows = _reencrypt_rejected(current)
    progress(f"rejected rows: {result.rejected_rows}")
    batches = (
        Batch.objects.exclude(stored_file="").order_by("pk").only("pk", "stored_file", "digest")
    )
    for batch in batches.iterator(chunk_size=_BATCH):
        outcome = _reencrypt_file(batch, current)
        if outcome:
            result.files += 1
        elif outcome is False:
            result.failed_files.append(batch.stored_file)
    progress(f"files: {result.files}")
    if not ring.from_env and len(ring.texts) > 1 and not result.failed_files:
        write_key_file(key_file(), [ring.texts[0]])
        reset_keyring()
        result.old_keys_dropped = True
    audit_record(
        actor=actor,
        action=DATAKEY_ROTATE,
        object_label=current.hex(),
        after={**asdict(result), "key": current.hex()},
    )
    return result
