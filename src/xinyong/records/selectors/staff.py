"""Reads of the staff pages: one department's record, its history, its disclosure window."""

import datetime as dt
import itertools
from typing import NotRequired, TypedDict

from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.catalog.permissions import can_read_restricted
from xinyong.catalog.schema import JsonObject
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.orgs.models import User
from xinyong.orgs.permissions import ensure_department_access
from xinyong.records import disclosure
from xinyong.records.audit_actions import RECORD_VIEW_RESTRICTED
from xinyong.records.disclosure.rules import Rules
from xinyong.records.models import DisclosureRuleSet, Record
from xinyong.records.selectors.public import public_until_text


def record_by_key(*, department_id: int, item_code: str, key: str) -> Record:
    """A department's live record of an item by its key, for a withdrawal by API.

    The key is the record's whole key (the catalog item's key fields joined
    by "|"), or, for an item keyed on several fields, the first of them alone
    when it names one record: a court withdraws a 失信被执行人 by its 执行案号
    (SXBZX is keyed on 执行案号 + 被执行人名称). A case number naming several
    debtors is refused, listing the whole keys to choose from."""
    key = key.strip()
    mine = Record.objects.live().filter(department_id=department_id, item__code__iexact=item_code)
    record = mine.filter(record_key=key).select_related("department").first()
    if record is not None or not key or "|" in key:
        if record is None:
            raise _no_record(item_code, key)
        return record
    found = list(
        mine.filter(record_key__startswith=f"{key}|")
        .select_related("department")
        .order_by("pk")[:6]
    )
    if not found:
        raise _no_record(item_code, key)
    if len(found) > 1:
        raise ApplicationError(
            "ambiguous_key",
            _("主键“%(key)s”对应本部门的多条记录，请使用完整主键：%(keys)s")
            % {"key": key, "keys": "；".join(r.record_key for r in found[:5])},
            {"keys": [r.record_key for r in found[:5]]},
        )
    return found[0]


def _no_record(item_code: str, key: str) -> NotFoundError:
    return NotFoundError(
        "not_found",
        _("本部门在目录事项“%(code)s”下没有主键为“%(key)s”的记录")
        % {"code": item_code, "key": key},
    )


def record_get_for(user: User, pk: int, *, request: HttpRequest | None = None) -> Record:
    """A record for its department's users and the credit office only; a
    record of a restricted item for the credit office and the item's reader
    departments only (`record_read_restricted`), the read audited."""
    record = (
        Record.objects.live()
        .select_related("item", "department", "subject", "version")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise NotFoundError("not_found", _("未找到该记录，或您无权访问"))
    if record.item.is_restricted:
        record_read_restricted(user, record, request=request)
    else:
        ensure_department_access(user, record.department)
    return record


def record_read_restricted(
    user: User, record: Record, *, request: HttpRequest | None = None
) -> None:
    """Refuse (as "not found") anyone but the credit office and the item's
    readers; audit the read of everyone else. Every path that shows a
    restricted record to staff calls it."""
    if not can_read_restricted(user, record.item):
        raise NotFoundError("not_found", _("未找到该记录，或您无权访问"))
    audit_record(
        actor=user,
        action=RECORD_VIEW_RESTRICTED,
        obj=record,
        object_label=f"{record.item.code} {record.doc_number}",
        request=request,
    )


class FieldChange(TypedDict):
    """A field whose value differs from one content of a record to the next."""

    label: str
    before: object
    after: object


class HistoryEntry(TypedDict):
    """One content of a record, as the staff record page lists it."""

    revision: int
    data: JsonObject
    since: dt.datetime | None  # in force from (the record's creation for the first)
    until: dt.datetime | None  # replaced at (None for the current content)
    batch: int | None
    row: int | None
    changes: NotRequired[list[FieldChange]]  # from the next older content; not on the oldest


def record_history(record: Record) -> list[HistoryEntry]:
    """The record's contents, newest first: the current one, then each earlier revision."""
    labels = {f["key"]: f["label"] for f in record.version.schema["fields"]}
    history: list[HistoryEntry] = [
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


class DisclosureInfo(TypedDict):
    """A record's disclosure window as the staff record page shows it."""

    publish_due: dt.date | None
    published_on: dt.date | None
    published_on_time: bool | None
    disclosure_end: dt.date | None
    rule_code: str
    rule_name: str
    rule_basis: str
    tier: str
    tier_label: str
    # Whether the tier was inferred by the platform (no 失信程度 stated), and why.
    tier_inferred: bool
    tier_note: str
    # The 公示截止日期 as shown (a date or 至法院移除), and the department's own
    # 公示截止期 where it differs from the computed one (else None).
    end_text: str
    department_end: str
    department_end_differs: bool
    unpublished_on: dt.date | None
    unpublish_reason: str
    unpublish_reason_label: str
    withdrawn_reason: str
    disputed: bool


def record_disclosure(record: Record) -> DisclosureInfo:
    """The record's disclosure window, for pages: dates, the rule set applied
    (name and legal basis) and the tier's Chinese label. One query."""
    rule_set = None
    tier_label = tier_note = ""
    tier_inferred = False
    if record.disclosure_rule not in ("", disclosure.VALIDITY, disclosure.NO_RULE):
        rule_set = DisclosureRuleSet.objects.filter(code=record.disclosure_rule).first()
    if rule_set is not None:
        for tier in rule_set.rules.get("tiers", []):
            if isinstance(tier, dict) and tier.get("key") == record.disclosure_tier:
                tier_label = tier.get("label", "")
        try:
            rules = Rules.parse(rule_set.rules)
        except ValueError:
            rules = None
        if rules is not None and record.disclosure_tier:
            decision = rules.decide(
                category=str(record.data.get(rules.category_field) or ""),
                amount=record.data.get(rules.amount_field),
                subject_kind=record.subject.kind if record.subject else None,
                content=str(record.data.get(rules.content_field) or ""),
                stated=str(record.data.get(rules.stated_tier_field) or ""),
            )
            tier_inferred, tier_note = decision.inferred, decision.note
    department_end = str(record.data.get("publish_until") or "")
    end_text = public_until_text(record)
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
        "tier_inferred": tier_inferred,
        "tier_note": tier_note,
        "end_text": end_text,
        "department_end": department_end,
        "department_end_differs": bool(department_end) and department_end != end_text,
        "unpublished_on": record.unpublished_on,
        "unpublish_reason": record.unpublish_reason,
        "unpublish_reason_label": record.get_unpublish_reason_display()
        if record.unpublish_reason
        else "",
        "withdrawn_reason": record.withdrawn_reason,
        "disputed": record.disputed,
    }
