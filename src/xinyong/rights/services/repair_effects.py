"""What an approved credit repair does (国家发展改革委令第36号: 终止公示,
停止共享, 解除惩戒; DOMAIN §3), inside the approval's transaction:

1. the record's publication ends (`records.corrections.record_end_for_repair`):
   the portal, the open data and the change feed (removed, `repaired`);
2. checks stop matching it: the check reads serious records that are still
   published (`sanctions.selectors.serious_records`), which it no longer is;
3. the list entries that rest on the record (their evidence) are removed
   early through lists' own service, where the list type allows it and its
   waiting time has passed; an entry that may not be removed stays, with
   the reason kept in the repair's effects;
4. the measures are lifted (解除惩戒): every department whose checks hit the
   subject and that fed back an applied measure is told
   (`orgs.notices.notice_send`).
"""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core.audit import Actor, ActorKind
from xinyong.core.errors import ApplicationError
from xinyong.lists.models import ListEntry
from xinyong.lists.services import list_entry_remove_early
from xinyong.orgs.models import User
from xinyong.orgs.notices import notice_send
from xinyong.records.corrections import record_end_for_repair
from xinyong.rights.models import Repair
from xinyong.sanctions.selectors import departments_applying_measures


def apply_repair(
    *, actor: User | Actor, repair: Repair, request: HttpRequest | None = None
) -> dict[str, Any]:
    """Apply the four effects; returns what was done, for the repair's
    `effects` (shown to staff and sent in the outbox row)."""
    record = repair.record
    reason = _("信用修复（%(number)s）：%(note)s") % {
        "number": repair.number,
        "note": repair.decision_note,
    }
    ended = record_end_for_repair(actor=actor, record=record, reason=reason, request=request)
    # Lists act for the platform here: the deciding department of an entry
    # may be another than the record's (lists accept the system as actor).
    system = Actor(
        kind=ActorKind.SYSTEM, label=_("系统（信用修复 %(number)s）") % {"number": repair.number}
    )
    removed: list[dict[str, Any]] = []
    kept: list[dict[str, Any]] = []
    entries = (
        ListEntry.objects.filter(evidence=record, status=ListEntry.Status.DECIDED)
        .select_related("list_type")
        .order_by("id")
    )
    for entry in entries:
        item = {"entry_id": entry.pk, "list": entry.list_type.name}
        try:
            with transaction.atomic():  # a refusal rolls back this entry only
                list_entry_remove_early(actor=system, entry=entry, reason=reason, request=request)
        except ApplicationError as exc:
            kept.append({**item, "why": str(exc.message)})
        else:
            removed.append(item)
    told = []
    subject = record.subject
    if subject is not None:
        lists_text = "、".join(e["list"] for e in removed) or _("无")
        for department in departments_applying_measures(subject_id=subject.pk):
            notice_send(
                department=department,
                title=_("解除惩戒：%(subject)s 已完成信用修复") % {"subject": subject.name},
                body=_(
                    "%(subject)s 的失信信息（%(item)s %(doc)s）已准予信用修复（%(number)s），"
                    "自 %(day)s 起终止公示、停止共享；提前移出的名单：%(lists)s。"
                    "贵单位曾对其实施联合惩戒措施，请依规解除相关措施。"
                )
                % {
                    "subject": subject.name,
                    "item": record.item.name,
                    "doc": record.doc_number,
                    "number": repair.number,
                    "day": ended.unpublished_on.isoformat() if ended.unpublished_on else "",
                    "lists": lists_text,
                },
                actor=actor,
            )
            told.append(department.name)
    return {
        "record_ended_on": ended.unpublished_on.isoformat() if ended.unpublished_on else None,
        "entries_removed": removed,
        "entries_kept": kept,
        "departments_told": told,
    }
