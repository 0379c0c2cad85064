import itertools
from dataclasses import dataclass

from django.utils.translation import gettext as _

from xinyong.catalog.selectors import version_schema_by_id
from xinyong.core.errors import NotFoundError
from xinyong.core.masking import mask_id_number, mask_person_name, mask_phone
from xinyong.orgs.models import User
from xinyong.orgs.permissions import ensure_department_access
from xinyong.records import disclosure
from xinyong.records.models import DisclosureRuleSet, Record, RecordQuerySet


def record_get_for(user: User, pk: int) -> Record:
    """A record for its department's users and the credit office only."""
    record = (
        Record.objects.select_related("item", "department", "subject", "version")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise NotFoundError("not_found", _("未找到该记录，或您无权访问"))
    ensure_department_access(user, record.department)
    return record


def record_history(record: Record) -> list[dict]:
    """The record's contents, newest first: the current one, then each earlier revision."""
    labels = {f["key"]: f["label"] for f in record.version.schema["fields"]}
    history = [
        {
            "revision": record.revision,
            "data": record.data,
            "since": None,
            "until": None,
            "batch": record.source_batch_id,
            "row": record.source_row,
        }
    ]
    for revision in record.revisions.order_by("-revision"):
        history.append(
            {
                "revision": revision.revision,
                "data": revision.data,
                "since": None,
                "until": revision.replaced_at,
                "batch": revision.source_batch_id,
                "row": revision.source_row,
            }
        )
    # Each content was in force from the moment its predecessor was replaced
    # (the first from the record's creation): `updated_at` also moves when
    # the record is published, ended or withdrawn, so it is not that moment.
    for newer, older in itertools.pairwise(history):
        newer["since"] = older["until"]
    history[-1]["since"] = record.created_at
    # What changed from each revision to the next newer one.
    for newer, older in itertools.pairwise(history):
        newer["changes"] = [
            {
                "label": labels.get(k, k),
                "before": older["data"].get(k, ""),
                "after": newer["data"].get(k, ""),
            }
            for k in sorted(set(newer["data"]) | set(older["data"]))
            if newer["data"].get(k) != older["data"].get(k)
        ]
    return history


def record_fields(record: Record) -> list[tuple[str, str]]:
    return [(f["label"], record.data.get(f["key"], "")) for f in record.version.schema["fields"]]


# -- public reads ---------------------------------------------------------------

_MASKS = {"id_number": mask_id_number, "person_name": mask_person_name, "phone": mask_phone}
# 行政相对人类别 as written in the 双公示 data, for records without a subject.
_PERSON_KIND_TEXT = "自然人"


def record_list_public() -> RecordQuerySet:
    """Public records with what a list or a record page needs joined in:
    a page of records is one query; `record_public_fields` then runs
    without queries (catalog versions come from their cache, not joined)."""
    return Record.objects.publicly_visible().select_related("item", "department", "subject")


def _schema(record: Record) -> dict:
    """The schema of the record's version: the loaded version's if the caller
    joined it, else from the per-process cache (public pages do not join it)."""
    if Record.version.is_cached(record):
        return record.version.schema
    return version_schema_by_id(record.version_id)


def record_is_person(record: Record) -> bool:
    """Whether the record's subject is a natural person: by its subject, or,
    for a record without one, by its 行政相对人类别. Needs `subject` loaded."""
    if record.subject is not None:
        return record.subject.kind == "person"
    kind_keys = [f["key"] for f in _schema(record)["fields"] if f.get("role") == "subject_kind"]
    return any(record.data.get(key) == _PERSON_KIND_TEXT for key in kind_keys)


@dataclass(frozen=True, slots=True)
class PublicValue:
    """One public field of a record, as the public may see it."""

    key: str
    role: str  # the field's role in the catalog (subject_name, doc_number, …) or ""
    label: str
    value: str  # masked


def _text(value: object) -> str:
    return "" if value is None else str(value)


def record_public_values(record: Record) -> list[PublicValue]:
    """The fields of a record that the public may see, in catalog order.

    Only fields whose schema entry is public; each masked per its `masking`
    (`hidden` omits it). For a natural person (个人信息保护法; DESIGN.md
    principle 5) the name is masked too and no identity number is shown
    (neither the subject's nor any field masked as one), whatever the
    catalog says. Every public path (pages, API, CSV, change feed) reads
    records through this function.
    """
    person = record_is_person(record)
    out = []
    for spec in _schema(record)["fields"]:
        if not spec.get("is_public"):
            continue
        masking = spec.get("masking") or ""
        role = spec.get("role") or ""
        if masking == "hidden":
            continue
        if person and (role == "subject_id_number" or masking == "id_number"):
            continue
        value = _text(record.data.get(spec["key"]))
        if masking in _MASKS:
            value = _MASKS[masking](value)
        if person and role == "subject_name" and masking != "person_name":
            value = mask_person_name(value)
        out.append(PublicValue(spec["key"], role, spec["label"], value))
    return out


def record_public_fields(record: Record) -> list[tuple[str, str]]:
    """The public fields of a record as (label, value); see `record_public_values`."""
    return [(v.label, v.value) for v in record_public_values(record)]


def record_disclosure(record: Record) -> dict:
    """The record's disclosure window, for pages: dates, the rule set applied
    (name and legal basis) and the tier's Chinese label. One query."""
    rule_set = None
    tier_label = ""
    if record.disclosure_rule not in ("", disclosure.VALIDITY, disclosure.NO_RULE):
        rule_set = DisclosureRuleSet.objects.filter(code=record.disclosure_rule).first()
    if rule_set is not None:
        for tier in rule_set.rules.get("tiers", []):
            if isinstance(tier, dict) and tier.get("key") == record.disclosure_tier:
                tier_label = tier.get("label", "")
    return {
        "publish_due": record.publish_due,
        "published_on": record.published_on,
        "published_on_time": record.published_on_time,
        "disclosure_end": record.disclosure_end,
        "rule_code": record.disclosure_rule,
        "rule_name": rule_set.name if rule_set else "",
        "rule_basis": rule_set.basis if rule_set else "",
        "tier": record.disclosure_tier,
        "tier_label": tier_label,
        "unpublished_on": record.unpublished_on,
        "unpublish_reason": record.unpublish_reason,
        "unpublish_reason_label": record.get_unpublish_reason_display()
        if record.unpublish_reason
        else "",
        "withdrawn_reason": record.withdrawn_reason,
        "disputed": record.disputed,
    }
