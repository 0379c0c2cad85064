"""How strict a field's disclosure is, for two uses: refusing a loosening
without a recorded reason, and the public view, which applies the strictest
of a record's version and the item's current version (a tightening reaches
records already published; a loosening reaches only records checked against
a version that has it).

A field's disclosure is `is_public`, `masking` and its role: for a natural
person the `subject_name` role masks the name and the `subject_id_number`
role hides the number (records.selectors.public).
"""

from collections.abc import Mapping

# From the loosest to the strictest. An unknown masking counts as hidden.
MASKING_STRICTNESS = {"": 0, "phone": 1, "person_name": 2, "id_number": 3, "hidden": 4}
# Roles that make a value personal data for a natural person.
PRIVATE_ROLES = frozenset({"subject_name", "subject_id_number", "subject_kind"})


def masking_rank(masking: object) -> int:
    return MASKING_STRICTNESS.get(str(masking or ""), MASKING_STRICTNESS["hidden"])


def stricter_masking(first: object, second: object) -> str:
    """The stricter of two maskings (the first on a tie)."""
    a, b = str(first or ""), str(second or "")
    return b if masking_rank(b) > masking_rank(a) else a


def loosened(before: Mapping[str, object], after: Mapping[str, object]) -> list[str]:
    """The disclosure attributes of a field that `after` makes less strict
    than `before` (dicts with `is_public`, `masking`, `role`)."""
    out = []
    if not before.get("is_public") and after.get("is_public"):
        out.append("is_public")
    if masking_rank(after.get("masking")) < masking_rank(before.get("masking")):
        out.append("masking")
    old_role, new_role = before.get("role") or "", after.get("role") or ""
    if old_role in PRIVATE_ROLES and new_role != old_role:
        out.append("role")
    return out
