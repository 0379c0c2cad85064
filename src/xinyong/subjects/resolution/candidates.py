"""The candidates of a chunk, prepared once: name keys, ID digests, legacy
codes. Needs no database, so intake prepares them in its reading process."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from xinyong.core.columns import max_length
from xinyong.core.masking import mask_id_number
from xinyong.subjects.hashing import id_digest, seal_id_number
from xinyong.subjects.models import Subject, SubjectIdentifier
from xinyong.subjects.naming import name_key, variant_form

LEGACY_KINDS: tuple[str, ...] = tuple(SubjectIdentifier.Kind.values)
_KINDS = frozenset(Subject.Kind.values)
_NAME_MAX = max_length(Subject, "name")
_USCC_MAX = max_length(Subject, "uscc")
_CODE_MAX = max_length(SubjectIdentifier, "value")
_MASKED_MAX = max_length(Subject, "id_masked")


@dataclass(slots=True)
class SubjectCandidate:
    """A subject as one submitted row describes it.

    Codes are already normalised and checked by the caller; "" means absent
    (a code longer than its column cannot be valid and is ignored).
    `id_number` is a resident ID (or another personal document number) of a
    person or of an individual business's operator: hashed (for matching),
    masked (for screens) and encrypted (for the exchange), never stored in
    clear."""

    kind: str
    name: str
    uscc: str = ""
    registration_number: str = ""
    organization_code: str = ""
    tax_number: str = ""
    institution_cert: str = ""
    social_org_cert: str = ""
    id_number: str = ""


class Row(NamedTuple):
    """A candidate prepared for resolution ("" where absent)."""

    kind: str
    name: str  # cut to the subject's column; "" if the name has no key
    key: str  # `naming.name_key` of the name
    variant: str  # `naming.variant_form` of the key
    uscc: str
    legacy: tuple[tuple[str, str], ...]  # (kind, value) in `LEGACY_KINDS` order
    digest: str  # keyed digest of the ID number
    masked: str  # the ID number masked, fitting `Subject.id_masked`
    sealed: str = ""  # the ID number encrypted (`hashing.seal_id_number`)


def prepare(candidates: Sequence[SubjectCandidate]) -> list[Row | None]:
    """Compute keys and digests, once per distinct value in the chunk; None
    for a candidate without name and code."""
    keys: dict[str, str] = {}
    digests: dict[str, tuple[str, str, str]] = {}
    rows: list[Row | None] = []
    for c in candidates:
        if c.kind not in _KINDS:
            raise ValueError(f"unknown subject kind {c.kind!r}")
        name = c.name.strip() if c.name else ""
        key = keys.get(name)
        if key is None:
            key = keys[name] = name_key(name)
        if not key:
            name = ""
        elif len(name) > _NAME_MAX:
            name = name[:_NAME_MAX]
        legacy: tuple[tuple[str, str], ...] = ()
        # Most rows carry no legacy code: one test instead of five look-ups.
        if (
            c.registration_number
            or c.organization_code
            or c.tax_number
            or c.institution_cert
            or c.social_org_cert
        ):
            # A value longer than the column is no code of any of the five
            # kinds (the caller checks them); the record keeps it as sent.
            legacy = tuple(
                (kind, value)
                for kind in LEGACY_KINDS
                if (value := getattr(c, kind)) and len(value) <= _CODE_MAX
            )
        digest = masked = sealed = ""
        if c.id_number:
            found = digests.get(c.id_number)
            if found is None:
                masked = mask_id_number(c.id_number)
                if len(masked) > _MASKED_MAX:  # a long foreign document number
                    masked = masked[:4] + "*" * (_MASKED_MAX - 8) + masked[-4:]
                # Encrypted here, in intake's reading process, once per
                # distinct number of the chunk: the writer gets no clear ID.
                found = digests[c.id_number] = (
                    id_digest(c.id_number),
                    masked,
                    seal_id_number(c.id_number),
                )
            digest, masked, sealed = found
        uscc = c.uscc if c.uscc and len(c.uscc) <= _USCC_MAX else ""
        if not (key or uscc or legacy or digest):
            rows.append(None)
            continue
        rows.append(
            Row(
                kind=c.kind,
                name=name,
                key=key,
                variant=variant_form(key),
                uscc=uscc,
                legacy=legacy,
                digest=digest,
                masked=masked,
                sealed=sealed,
            )
        )
    return rows
