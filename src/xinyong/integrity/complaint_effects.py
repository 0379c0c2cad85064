"""What a complaint's steps do beyond its own row: the 政务失信 record of a
substantiated complaint (through the catalog and the intake path, as
`rights.services.commitment_fulfilment` does for a broken commitment), and
the emails that tell the complainant of each step."""

import datetime as dt
import hashlib
import hmac

from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogItem
from xinyong.core.errors import ApplicationError
from xinyong.ingest.services import batch_submit_api
from xinyong.integrity.builtin import BREACH_ITEM
from xinyong.integrity.models import GovComplaint
from xinyong.orgs.models import Department, User
from xinyong.orgs.notices import notice_send
from xinyong.records.models import Record


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(complaint: GovComplaint, secret: str) -> bool:
    """Constant-time comparison of the digest of `secret` with the stored one
    (a complaint without a secret, filed before there were any, matches none)."""
    return hmac.compare_digest(secret_digest(secret or ""), complaint.secret_digest or "-" * 64)


def breach_row(c: GovComplaint, department: Department, day: dt.date) -> dict[str, str]:
    """The ZWSX_WY row: the body by its USCC, the complaint number as the
    decision's document number, the handling department as 认定单位."""
    return {
        "subject_name": c.body_name,
        "subject_uscc": c.body_uscc,
        "doc_number": c.number,
        "contract": c.contract,
        "breach": c.outcome_note,
        "decision_date": day.isoformat(),
        "source": department.name,
    }


def breach_record(c: GovComplaint) -> Record:
    """Submit the 政府违约失信 record as the handling department (谁认定): the
    item's intake validates it, resolves the body and computes its window.
    Inside the caller's transaction: a rejected row undoes the closing."""
    department, day = c.department, c.closed_on
    if department is None or day is None:
        raise ApplicationError(
            "not_routed", _("该投诉尚未转办或办结，不能记入政务失信记录"), status=409
        )
    item = CatalogItem.objects.filter(code=BREACH_ITEM, is_active=True).first()
    if item is None:
        raise ApplicationError(
            "breach_item_missing",
            _("目录事项“政府违约失信”未启用，请联系信用办"),
            {"item": BREACH_ITEM},
        )
    # Every department handling complaints decides the breaches it finds.
    item.departments.add(department)
    batch = batch_submit_api(
        department=department, item=item, records=[breach_row(c, department, day)]
    )
    record = Record.objects.filter(source_batch_id=batch.pk).first()
    if record is None or batch.accepted != 1:
        raise ApplicationError(
            "breach_record_rejected",
            _("政务失信记录未能生成：%(reason)s")
            % {"reason": batch.failure_reason or _("记录校验未通过，请联系信用办")},
            {"batch": batch.pk},
        )
    return record


def tell_complainant(c: GovComplaint, *, actor: User | None = None) -> None:
    """Email the complainant (if an address was given) the complaint's new
    state; the status page gives the details against the number and secret."""
    if not c.complainant_email:
        return
    facts = {"n": c.number, "body": c.body_name}
    if c.status == GovComplaint.Status.SUBMITTED:
        title = _("您的政府违约失信投诉已提交")
        body = _(
            "投诉编号 %(n)s（被投诉单位：%(body)s）已提交，信用办将于 %(due)s 前决定是否受理。"
        ) % {
            **facts,
            "due": c.accept_due.isoformat(),
        }
    elif c.status == GovComplaint.Status.ACCEPTED:
        title = _("您的政府违约失信投诉已受理")
        body = _("投诉编号 %(n)s 已受理，转 %(dept)s 办理，办结期限 %(due)s。") % {
            **facts,
            "dept": c.department.name if c.department else "",
            "due": c.handle_due.isoformat() if c.handle_due else "",
        }
    elif c.status == GovComplaint.Status.REJECTED:
        title = _("您的政府违约失信投诉不予受理")
        body = _("投诉编号 %(n)s 不予受理。理由：%(reason)s") % {
            **facts,
            "reason": c.refusal_reason,
        }
    else:
        title = _("您的政府违约失信投诉已办结")
        body = _("投诉编号 %(n)s 已办结，处理结果：%(outcome)s。处理意见：%(note)s") % {
            **facts,
            "outcome": c.get_outcome_display(),
            "note": c.outcome_note,
        }
    notice_send(
        department=None,
        title=title,
        body=body + _("凭投诉编号和查询密码可在门户网站查询办理进度。"),
        link=reverse("integrity_public:complaint_status") + f"?number={c.number}",
        email_to=c.complainant_email,
        actor=actor,
    )
