"""The public shape of a record: which records the public may see, which of
their fields, masked how, and the one `PublicRecord` every public path shows
(portal pages, the open-data API and CSV, the change feed, and the apps that
build on them).

Which records: `record_list_public()` (`Record.objects.publicly_visible()`).
Which fields: `record_public_values()` (public fields only, masked; a natural
person's name masked and no identity number). `public_view()` shapes both.
Every text value also passes the free-text scrubber (`core.scrub.scrub_text`):
ID, mobile and bank card numbers, and the names `record_person_names()` gives,
are masked wherever a clerk typed them (违法事实, 处罚内容, 备注, …).
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from xinyong.catalog.privacy import stricter_masking
from xinyong.catalog.schema import JsonObject
from xinyong.catalog.selectors import version_schema_by_id
from xinyong.core.masking import mask_id_number, mask_person_name, mask_phone
from xinyong.core.scrub import scrub_text
from xinyong.records.disclosure.windows import UNTIL_REMOVED_ITEMS, UNTIL_REMOVED_TEXT
from xinyong.records.models import Record

_MASKS = {"id_number": mask_id_number, "person_name": mask_person_name, "phone": mask_phone}
# 行政相对人类别 as written in the 双公示 data, for records without a subject.
_PERSON_KIND_TEXT = "自然人"
# A department's own 公示截止期 (XZCF `publish_until`): kept in the record's
# data, never shown publicly; the public sees the platform's computed
# 公示截止日期 only (`PublicRecord.public_until`). Staff pages flag a difference.
DEPARTMENT_END_KEYS = frozenset({"publish_until"})


# -- the 双公示 kinds ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kind:
    """One of the two 双公示 items, as the public site names it."""

    slug: str  # in URLs: licences / penalties
    item_code: str
    label: StrOrPromise
    # The field whose value is the record's category (许可类别 / 处罚类别).
    category_key: str
    category_label: StrOrPromise


KINDS: dict[str, Kind] = {
    "licences": Kind(
        "licences", "XZXK", gettext_lazy("行政许可"), "license_category", gettext_lazy("许可类别")
    ),
    "penalties": Kind(
        "penalties", "XZCF", gettext_lazy("行政处罚"), "penalty_category", gettext_lazy("处罚类别")
    ),
}
KIND_BY_ITEM = {k.item_code: k for k in KINDS.values()}
SHUANGGONGSHI_ITEMS = tuple(KIND_BY_ITEM)


# -- which records, which fields ------------------------------------------------


def record_list_public() -> QuerySet[Record]:
    """Public records with what a list or a record page needs joined in:
    a page of records is one query; `record_public_fields` then runs
    without queries (catalog versions come from their cache, not joined)."""
    return Record.objects.publicly_visible().select_related("item", "department", "subject")


def _schema(record: Record) -> JsonObject:
    """The schema of the record's version: the loaded version's if the caller
    joined it, else from the per-process cache (public pages do not join it)."""
    if Record.version.is_cached(record):
        schema: JsonObject = record.version.schema
        return schema
    return version_schema_by_id(record.version_id)


def record_is_person(record: Record) -> bool:
    """Whether the record's subject is a natural person: by its subject, or,
    for a record without one, by its 行政相对人类别. Needs `subject` loaded."""
    if record.subject is not None:
        return record.subject.kind == "person"
    kind_keys = [f["key"] for f in _schema(record)["fields"] if f.get("role") == "subject_kind"]
    return any(record.data.get(key) == _PERSON_KIND_TEXT for key in kind_keys)


def _strictest_fields(record: Record, person: bool) -> list[JsonObject]:
    """The fields of the record's version, each with the strictest of its
    disclosure in that version and in the item's current version (matched
    by key): public only if public in both, the stricter masking, and for a
    natural person a field the current version makes the subject name or ID
    number is masked or hidden as one. A tightening of the catalog thus
    reaches records already published; a loosening reaches only records
    checked against a version that has it (DESIGN.md principle 5). Needs
    `item` loaded; the current schema comes from the per-process cache."""
    fields: list[JsonObject] = _schema(record)["fields"]
    current_id = record.item.current_version_id
    if current_id is None or current_id == record.version_id:
        return fields
    current = {f["key"]: f for f in version_schema_by_id(current_id)["fields"]}
    strictest = []
    for spec in fields:
        now = current.get(spec["key"])
        if now is None:
            strictest.append(spec)
            continue
        masking = stricter_masking(spec.get("masking"), now.get("masking"))
        if person and (now.get("role") or "") != (spec.get("role") or ""):
            if now.get("role") == "subject_id_number":
                masking = "hidden"
            elif now.get("role") == "subject_name":
                masking = stricter_masking(masking, "person_name")
        strictest.append(
            {
                **spec,
                "is_public": bool(spec.get("is_public")) and bool(now.get("is_public")),
                "masking": masking,
            }
        )
    return strictest


class PublicValue(NamedTuple):
    """One public field of a record, as the public may see it."""

    key: str
    role: str  # the field's role in the catalog (subject_name, doc_number, …) or ""
    label: str
    value: str  # masked


def _text(value: object) -> str:
    return "" if value is None else str(value)


class PublicField(NamedTuple):
    """How one field of a record is shown to the public."""

    key: str
    role: str
    label: str
    masks: tuple[Callable[[str], str], ...]  # applied in order


class PublicPlan(NamedTuple):
    """What the public sees of the records of one version."""

    fields: tuple[PublicField, ...]
    # The fields whose values are a person's name, masked wherever they appear.
    name_keys: tuple[str, ...]


# The public fields of (version, current version of its item, whether the subject
# is a person), derived from frozen schemas only: cached per process, emptied
# whenever a catalog version is saved or deleted (RecordsConfig.ready), as the
# schema cache is. See bench/README.md ("public field plans").
_PLANS: dict[tuple[int, int | None, bool], PublicPlan] = {}
_PLANS_MAX = 1024


def forget_public_plans(**_signal_kwargs: object) -> None:
    """Empty the cache of public field plans (a signal receiver)."""
    _PLANS.clear()


def public_plan(record: Record, person: bool) -> PublicPlan:
    """The fields of `record` the public may see, in catalog order, each with its
    masks: only fields public in both the record's version and the item's current
    one (`_strictest_fields`), `hidden` ones left out; for a natural person no
    identity number at all, and the subject-name field masked as a person's name
    whatever the catalog says. Needs `item` loaded. A caller that joined the
    version gets the plan of the schema it holds; pages, which do not join it,
    get the cached plan."""
    if Record.version.is_cached(record):
        return _make_plan(record, person)
    key = (record.version_id, record.item.current_version_id, person)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _make_plan(record, person)
        if len(_PLANS) >= _PLANS_MAX:
            _PLANS.clear()
        _PLANS[key] = plan
    return plan


def _make_plan(record: Record, person: bool) -> PublicPlan:
    return PublicPlan(tuple(_plan_fields(record, person)), _name_keys(record, person))


def _plan_fields(record: Record, person: bool) -> Iterator[PublicField]:
    for spec in _strictest_fields(record, person):
        if not spec.get("is_public") or spec["key"] in DEPARTMENT_END_KEYS:
            continue
        masking = spec.get("masking") or ""
        role = spec.get("role") or ""
        if masking == "hidden":
            continue
        if person and (role == "subject_id_number" or masking == "id_number"):
            continue
        masks = [_MASKS[masking]] if masking in _MASKS else []
        if person and role == "subject_name" and masking != "person_name":
            masks.append(mask_person_name)
        yield PublicField(spec["key"], role, spec["label"], tuple(masks))


def record_public_values(record: Record) -> list[PublicValue]:
    """The fields of a record that the public may see, in catalog order.

    Only fields whose schema entry is public; each masked per its `masking`
    (`hidden` omits it). For a natural person (个人信息保护法; DESIGN.md
    principle 5) the name is masked too and no identity number is shown
    (neither the subject's nor any field masked as one), whatever the
    catalog says. Every value then passes the scrubber. Every public path
    (pages, API, CSV, change feed) reads records through this function.
    """
    data = record.data
    out = []
    person = record_is_person(record)
    names = record_person_names(record, person)
    for f in public_plan(record, person).fields:
        text = _text(data.get(f.key))
        for mask in f.masks:
            text = mask(text)
        out.append(PublicValue(f.key, f.role, f.label, scrub_text(text, person_names=names)))
    return out


# -- personal data inside the values: the scrubber --------------------------------


def record_person_names(record: Record, person: bool | None = None) -> list[str]:
    """The names the scrubber masks in a record's public texts.

    The rule: a name the public view masks in its own field is masked
    wherever it appears in the record. So: for a natural person, the
    subject's registered name and the record's subject-name value; on any
    record, the value of a field the catalog masks as a person's name. A
    name the catalog publishes in its own field (法定代表人 of a company or a
    个体工商户, the operator, as the 双公示 standard publishes it) is not
    masked elsewhere either. Needs `subject` loaded.
    """
    if person is None:
        person = record_is_person(record)
    names: list[str] = []
    if person and record.subject is not None:
        names.append(record.subject.name)
    names.extend(_text(record.data.get(key)) for key in public_plan(record, person).name_keys)
    return [n for n in names if n]


def _name_keys(record: Record, person: bool) -> tuple[str, ...]:
    return tuple(
        spec["key"]
        for spec in _schema(record)["fields"]
        if spec.get("masking") == "person_name" or (person and spec.get("role") == "subject_name")
    )


def record_scrub(record: Record, text: str) -> str:
    """A text shown with a record (a value, a withdrawal's reason), scrubbed."""
    return scrub_text(text, person_names=record_person_names(record))


def record_public_fields(record: Record) -> list[tuple[str, str]]:
    """The public fields of a record as (label, value); see `record_public_values`."""
    return [(v.label, v.value) for v in record_public_values(record)]


# -- the one public shape of a record -------------------------------------------


def public_until_text(record: Record) -> str:
    """The 公示截止日期 as pages show it: the computed end, or 至法院移除 for
    an item whose entries end when the court removes them. Needs `item` loaded."""
    if record.disclosure_end is not None:
        return record.disclosure_end.isoformat()
    if record.item.code in UNTIL_REMOVED_ITEMS:
        return str(UNTIL_REMOVED_TEXT)
    return ""


@dataclass(slots=True)
class PublicRecord:
    id: int
    item_code: str
    item_name: str
    kind: Kind | None
    department_code: str
    department_name: str
    subject_id: int | None  # None for a natural person: no public page
    subject_name: str
    subject_uscc: str
    is_person: bool
    doc_number: str
    decision_date: dt.date | None
    category: str
    licence_status: str
    public_until: dt.date | None
    # The 公示截止日期 as shown: the date, or 至法院移除 for a list entry
    # that ends when the court removes it (never an empty "—").
    public_until_text: str
    disputed: bool
    updated_at: dt.datetime
    fields: list[tuple[str, str]] = field(default_factory=list)
    # Why the record was last corrected (`records.corrections.record_correct`),
    # scrubbed; only read with the fields (the full record is loaded then).
    correction: str = ""


def public_view(record: Record, *, with_fields: bool = False) -> PublicRecord:
    """The record as the public may see it. Needs item, department and subject
    loaded (`record_list_public()` joins them). Every value comes from
    `record_public_values`: a field that is not public is not here."""
    values = record_public_values(record)
    person = record_is_person(record)
    by_role = {v.role: v.value for v in values if v.role}
    by_key = {v.key: v.value for v in values}
    kind = KIND_BY_ITEM.get(record.item.code)
    return PublicRecord(
        id=record.pk,
        item_code=record.item.code,
        item_name=record.item.name,
        kind=kind,
        department_code=record.department.short_code,
        department_name=record.department.name,
        subject_id=None if person or record.subject_id is None else record.subject_id,
        subject_name=by_role.get("subject_name", ""),
        subject_uscc="" if person else by_role.get("subject_uscc", ""),
        is_person=person,
        # The document number field's public value: masked and scrubbed like the
        # others (the `doc_number` column holds the same text, in clear).
        doc_number=by_role.get("doc_number", ""),
        decision_date=record.decision_date if "decision_date" in by_role else None,
        category=by_key.get(kind.category_key, "") if kind is not None else "",
        licence_status=by_key.get("status", ""),
        public_until=record.disclosure_end,
        public_until_text=public_until_text(record),
        disputed=record.disputed,
        updated_at=record.updated_at,
        fields=[(v.label, v.value) for v in values] if with_fields else [],
        correction=record_scrub(record, record.correction_reason)
        if with_fields and record.correction_reason
        else "",
    )
