"""Inbound feeds from the provincial platform: lists decided elsewhere
(失信被执行人 from the courts, 重大税收违法 from the tax authority) and repair
results, pulled incrementally by the province's cursor and applied through
lists' services.

Idempotent twice over: an item already received with the same content (its
digest, `InboundItem`) is skipped without a look; a changed or new one goes
to `lists.services.list_entry_receive` / `list_entry_receive_end`, which
change nothing when the data already says so. The cursor and the page's
items commit together: a pull killed half-way starts again at the page it
was on and finds its items already there.

An item (JSON) of a feed:

    {"id": "SX-2025-0001", "op": "list" | "remove", "list_code": "SXBZX",
     "subject": {"kind": "legal" | "person" | "individual_business", "name": …,
                 "uscc": …, "id_number": …},
     "document_number": …, "listed_on": "YYYY-MM-DD", "valid_until": …,
     "reasons": …, "basis": …, "decided_by": "神农架林区人民法院",
     "ended_on": …, "reason": …}
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError
from xinyong.core.identifiers.resident_id import check_resident_id
from xinyong.core.identifiers.uscc import check_uscc
from xinyong.exchange import client
from xinyong.exchange.audit_actions import INBOUND_PULL
from xinyong.exchange.formats import EXCHANGE_ACTOR
from xinyong.exchange.models import Cursor, InboundItem, InboundRun
from xinyong.lists import services as list_services
from xinyong.lists.models import ListType
from xinyong.orgs.models import Department
from xinyong.subjects.models import Subject
from xinyong.subjects.resolution.candidates import SubjectCandidate
from xinyong.subjects.services import subject_resolve_bulk


@dataclass(frozen=True, slots=True)
class Feed:
    name: str
    label: str
    repair: bool = False  # its removals are repair results


FEEDS = {
    feed.name: feed
    for feed in (
        Feed("sxbzx", "失信被执行人名单"),
        Feed("zdsswf", "重大税收违法失信主体名单"),
        Feed("repair", "信用修复结果", repair=True),
    )
}
PAGES = 50  # at most this many pages per pull
RETRY_REJECTED = 200  # rejected items tried again per pull


def _digest(item: dict[str, Any]) -> str:
    text = json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _missing(key: str) -> dt.date:
    raise ApplicationError("missing_date", _("缺少日期：%(key)s") % {"key": key})


def _day(item: dict[str, Any], key: str) -> dt.date | None:
    value = item.get(key)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value).replace("/", "-"))
    except ValueError:
        raise ApplicationError(
            "bad_date", _("日期格式错误：%(key)s=%(value)s") % {"key": key, "value": value}
        ) from None


def _subject(item: dict[str, Any], office: Department) -> Subject:
    raw = item.get("subject") or {}
    kind = str(raw.get("kind") or "legal")
    if kind not in Subject.Kind.values:
        raise ApplicationError("bad_kind", _("主体类别无法识别：%(kind)s") % {"kind": kind})
    name = str(raw.get("name") or "").strip()
    uscc = str(raw.get("uscc") or "").strip()
    id_number = str(raw.get("id_number") or "").strip()
    if uscc:
        check = check_uscc(uscc)
        if not check.valid:
            raise ApplicationError("bad_uscc", _("统一社会信用代码有误：%(code)s") % {"code": uscc})
        uscc = check.normalized
    if id_number:
        check = check_resident_id(id_number)
        if not check.valid:
            raise ApplicationError("bad_id_number", _("身份证号码有误"))
        id_number = check.normalized
    if not name or not (uscc or id_number):
        raise ApplicationError(
            "subject_incomplete", _("主体须有名称及统一社会信用代码或身份证号码")
        )
    [subject_id] = subject_resolve_bulk(
        department_id=office.pk,
        candidates=[SubjectCandidate(kind=kind, name=name, uscc=uscc, id_number=id_number)],
        source="exchange",
    )
    if subject_id is None:
        raise ApplicationError("subject_unresolved", _("无法识别该主体"))
    return Subject.objects.get(pk=subject_id)


def _apply(feed: Feed, item: dict[str, Any], office: Department) -> list_services.Received:
    code = str(item.get("list_code") or "")
    list_type = ListType.objects.filter(code=code).first()
    if list_type is None:
        raise ApplicationError("unknown_list", _("名单类型不存在：%(code)s") % {"code": code})
    subject = _subject(item, office)
    source = _("省级平台 %(feed)s %(id)s") % {"feed": feed.label, "id": item.get("id")}
    number = str(item.get("document_number") or "").strip()
    op = item.get("op")
    if op == "list":
        listed_on = _day(item, "listed_on") or _missing("listed_on")
        return list_services.list_entry_receive(
            actor=EXCHANGE_ACTOR,
            list_type=list_type,
            subject=subject,
            document_number=number,
            listed_on=listed_on,
            valid_until=_day(item, "valid_until"),
            reasons=str(item.get("reasons") or ""),
            basis=str(item.get("basis") or ""),
            decided_by_name=str(item.get("decided_by") or ""),
            source=source,
        )
    if op == "remove":
        return list_services.list_entry_receive_end(
            actor=EXCHANGE_ACTOR,
            list_type=list_type,
            subject=subject,
            document_number=number,
            ended_on=_day(item, "ended_on") or clock.today(),
            reason=str(item.get("reason") or ""),
            source=source,
            repaired=feed.repair,
        )
    raise ApplicationError("unknown_op", _("未知的操作类型：%(op)s") % {"op": op})


def _receive(run: InboundRun, feed: Feed, item: dict[str, Any], office: Department) -> None:
    """One item: skipped if received before with this content, else applied
    (or rejected with its reason) inside a savepoint."""
    item_id = str(item.get("id") or "")[:100]
    digest = _digest(item)
    run.received += 1
    seen = InboundItem.objects.filter(feed=feed.name, item_id=item_id).first()
    if item_id and seen is not None and seen.digest == digest:
        run.unchanged += 1
        return
    entry_id, detail = None, ""
    try:
        if not item_id:
            raise ApplicationError("missing_id", _("条目缺少标识（id）"))
        with transaction.atomic():
            received = _apply(feed, item, office)
        entry_id = received.entry.pk if received.entry else None
        outcome = InboundItem.Outcome.APPLIED
        if received.changed:
            run.applied += 1
        else:
            run.unchanged += 1
    except ApplicationError as exc:
        outcome, detail = InboundItem.Outcome.REJECTED, exc.message
        run.rejected += 1
    if not item_id:
        return
    InboundItem.objects.update_or_create(
        feed=feed.name,
        item_id=item_id,
        defaults={
            "digest": digest,
            "outcome": outcome,
            "detail": str(detail),
            "list_entry_id": entry_id,
            "content": item if outcome == InboundItem.Outcome.REJECTED else {},
            "run": run,
            "updated_at": clock.now(),
        },
    )


def _retry_rejected(run: InboundRun, feed: Feed, office: Department) -> None:
    """Items rejected before are tried again (oldest first, a bounded number):
    one that waited for another (a repair result that came before its
    listing) is applied once that one is there; one still wrong stays."""
    for seen in InboundItem.objects.filter(
        feed=feed.name, outcome=InboundItem.Outcome.REJECTED
    ).order_by("id")[:RETRY_REJECTED]:
        try:
            with transaction.atomic():
                received = _apply(feed, seen.content, office)
        except ApplicationError as exc:
            if str(exc.message) != seen.detail:
                seen.detail = str(exc.message)
                seen.save(update_fields=["detail"])
            continue
        seen.outcome = InboundItem.Outcome.APPLIED
        seen.detail = ""
        seen.content = {}
        seen.list_entry_id = received.entry.pk if received.entry else None
        seen.run = run
        seen.updated_at = clock.now()
        seen.save()
        run.received += 1
        if received.changed:
            run.applied += 1
        else:
            run.unchanged += 1


def inbound_pull(*, feed_name: str) -> InboundRun:
    """Pull one feed from its cursor to its end (at most `PAGES` pages);
    the run is logged whatever happens."""
    feed = FEEDS[feed_name]
    cursor, _created = Cursor.objects.get_or_create(
        name=f"in:{feed.name}", defaults={"position": "", "updated_at": clock.now()}
    )
    run = InboundRun.objects.create(
        feed=feed.name,
        started_at=clock.now(),
        status=InboundRun.Status.DONE,
        cursor_before=cursor.position,
        cursor_after=cursor.position,
    )
    try:
        office = (
            Department.objects.filter(kind=Department.Kind.CREDIT_OFFICE).order_by("pk").first()
        )
        if office is None:
            raise ApplicationError("no_credit_office", _("平台尚未设置信用办，无法接收数据"))
        _retry_rejected(run, feed, office)
        for _page in range(PAGES):
            answer = client.feed(feed.name, cursor.position)
            with transaction.atomic():
                for item in answer["items"]:
                    if isinstance(item, dict):
                        _receive(run, feed, item, office)
                cursor.position = str(answer.get("next_cursor") or cursor.position)[:200]
                cursor.updated_at = clock.now()
                cursor.save(update_fields=["position", "updated_at"])
                run.cursor_after = cursor.position
                run.save()
            if not answer.get("more"):
                break
    except (client.ExchangeError, ApplicationError) as exc:
        run.status = InboundRun.Status.FAILED
        run.error = str(exc.message if isinstance(exc, ApplicationError) else exc)
    run.finished_at = clock.now()
    run.save()
    audit_record(
        action=INBOUND_PULL,
        obj=run,
        after={
            "feed": run.feed,
            "received": run.received,
            "applied": run.applied,
            "unchanged": run.unchanged,
            "rejected": run.rejected,
            "status": run.status,
        },
    )
    return run


def inbound_pull_all() -> list[InboundRun]:
    return [inbound_pull(feed_name=name) for name in FEEDS]
