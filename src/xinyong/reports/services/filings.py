"""Filing of the credit reports agencies issue (信用报告备案): an agency submits a report it
issued to an organisation (with the PDF), the credit office files it, returns it or
revokes it. Every step audited; the PDF kept encrypted with its SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import AuditAction, audit_record
from xinyong.core.errors import ApplicationError, NotFoundError, plain_text
from xinyong.core.workdays import add_workdays
from xinyong.orgs.models import ApiToken, User
from xinyong.orgs.permissions import ensure_credit_office
from xinyong.reports import storage
from xinyong.reports.audit_actions import (
    AGENCY_REPORT_DOWNLOAD,
    AGENCY_REPORT_FILE,
    AGENCY_REPORT_RETURN,
    AGENCY_REPORT_REVOKE,
    AGENCY_REPORT_SUBMIT,
)
from xinyong.reports.models import (
    AGENCY_REPORT_MAX_BYTES,
    AGENCY_REPORT_REVIEW_WORKDAYS,
    AgencyReport,
)
from xinyong.reports.services.agencies import agency_of, ensure_filed_agency, valid_uscc
from xinyong.subjects.models import Subject


def one_year_after(day: dt.date) -> dt.date:
    """The same day a year later (29 February: 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _choice(value: str, choices: list[str], *, field: str, label: str) -> str:
    if value not in choices:
        raise ApplicationError(
            f"invalid_{field}", _("%(label)s：请选择列出的选项") % {"label": label}, {field: value}
        )
    return value


def read_upload(upload: UploadedFile | None) -> bytes:
    """The uploaded file's bytes, refusing more than the cap without reading it all."""
    if upload is None:
        return b""
    if upload.size is not None and upload.size > AGENCY_REPORT_MAX_BYTES:
        raise _too_large()
    data: bytes = upload.read(AGENCY_REPORT_MAX_BYTES + 1)
    return data


def _too_large() -> ApplicationError:
    return ApplicationError(
        "file_too_large",
        _("报告文件：不超过 %(n)s MB") % {"n": AGENCY_REPORT_MAX_BYTES // (1024 * 1024)},
        {"file": "too_large"},
        status=413,
    )


def check_pdf(data: bytes) -> bytes:
    if not data:
        raise ApplicationError(
            "file_required", _("报告文件：请上传 PDF 文件"), {"file": "required"}
        )
    if len(data) > AGENCY_REPORT_MAX_BYTES:
        raise _too_large()
    if not data.startswith(b"%PDF-"):
        raise ApplicationError(
            "not_pdf", _("报告文件：只接受 PDF 文件（文件内容不是 PDF）"), {"file": "not_pdf"}
        )
    return data


def _dates(issued_on: dt.date, valid_until: dt.date) -> None:
    if issued_on > clock.today():
        raise ApplicationError(
            "issued_in_future", _("出具日期：不能晚于今天"), {"issued_on": "future"}
        )
    if valid_until <= issued_on:
        raise ApplicationError(
            "invalid_validity", _("有效期至：须晚于出具日期"), {"valid_until": "before_issue"}
        )
    if valid_until > one_year_after(issued_on):
        raise ApplicationError(
            "validity_too_long",
            _("有效期至：信用报告有效期自出具之日起最长一年"),
            {"valid_until": "too_long"},
        )


def agency_report_submit(
    *,
    actor: User | ApiToken,
    number: str,
    subject_uscc: str,
    subject_name: str,
    kind: str,
    issued_on: dt.date,
    valid_until: dt.date,
    purpose: str,
    pdf: bytes,
    grade: str = "",
    request: HttpRequest | None = None,
) -> AgencyReport:
    """An agency files a report it issued to an organisation. Only a user or a token of a
    filed agency; the review is due AGENCY_REPORT_REVIEW_WORKDAYS working days later."""
    agency = ensure_filed_agency(actor)
    number = (number or "").strip()
    limit = AgencyReport._meta.get_field("number").max_length or 50
    if not number or len(number) > limit:
        raise ApplicationError(
            "invalid_number",
            _("报告编号：请填写，不超过 %(n)s 个字符") % {"n": limit},
            {"number": "invalid"},
        )
    code = valid_uscc(subject_uscc, label=_("主体统一社会信用代码"))
    subject = (
        Subject.objects.filter(uscc=code, pending_batch_id__isnull=True)
        .exclude(kind=Subject.Kind.PERSON)
        .first()
    )
    name = (subject_name or "").strip() or (subject.name if subject else "")
    name_limit = AgencyReport._meta.get_field("subject_name").max_length or 200
    if not name or len(name) > name_limit:
        raise ApplicationError(
            "invalid_subject_name",
            _("主体名称：请填写，不超过 %(n)s 个字") % {"n": name_limit},
            {"subject_name": "invalid"},
        )
    kind = _choice(kind, AgencyReport.Kind.values, field="kind", label=_("报告类型"))
    purpose = _choice(purpose, AgencyReport.Purpose.values, field="purpose", label=_("用途"))
    grade = (grade or "").strip().upper()
    if grade and grade not in AgencyReport.Grade.values:
        raise ApplicationError(
            "invalid_grade", _("信用等级：只能是 AAA 至 C 的等级之一"), {"grade": grade}
        )
    if kind == AgencyReport.Kind.RATING and not grade:
        raise ApplicationError(
            "grade_required", _("信用等级：信用评级报告须填写信用等级"), {"grade": "required"}
        )
    _dates(issued_on, valid_until)
    data = check_pdf(pdf)
    return _create(
        actor=actor,
        agency_id=agency.pk,
        number=number,
        code=code,
        subject=subject,
        name=name,
        kind=kind,
        grade=grade,
        issued_on=issued_on,
        valid_until=valid_until,
        purpose=purpose,
        data=data,
        request=request,
    )


@transaction.atomic
def _create(
    *,
    actor: User | ApiToken,
    agency_id: int,
    number: str,
    code: str,
    subject: Subject | None,
    name: str,
    kind: str,
    grade: str,
    issued_on: dt.date,
    valid_until: dt.date,
    purpose: str,
    data: bytes,
    request: HttpRequest | None,
) -> AgencyReport:
    live = AgencyReport.objects.filter(agency_id=agency_id, number=number).exclude(
        status=AgencyReport.Status.RETURNED
    )
    duplicate = ApplicationError(
        "duplicate_number",
        _("报告编号：本机构已提交过该编号的报告备案"),
        {"number": "duplicate"},
        status=409,
    )
    if live.exists():
        raise duplicate
    today = clock.today()
    try:
        with transaction.atomic():
            filing = AgencyReport.objects.create(
                agency_id=agency_id,
                number=number,
                subject_uscc=code,
                subject=subject,
                subject_name=name,
                kind=kind,
                grade=grade,
                issued_on=issued_on,
                valid_until=valid_until,
                purpose=purpose,
                file_sha256=hashlib.sha256(data).hexdigest(),
                file_size=len(data),
                submitted_at=clock.now(),
                submitted_by=actor if isinstance(actor, User) else None,
                submitted_token=actor if isinstance(actor, ApiToken) else None,
                due_on=add_workdays(today, AGENCY_REPORT_REVIEW_WORKDAYS).date,
            )
    except IntegrityError as exc:  # the same number submitted at the same moment
        raise duplicate from exc
    storage.store_filing(filing.storage_key, data)
    audit_record(
        action=AGENCY_REPORT_SUBMIT,
        actor=actor,
        obj=filing,
        after={
            "number": number,
            "subject_uscc": code,
            "kind": kind,
            "grade": grade,
            "purpose": purpose,
            "sha256": filing.file_sha256,
        },
        request=request,
    )
    return filing


def _locked(filing: AgencyReport, *allowed: str, action: str) -> AgencyReport:
    filing = (
        AgencyReport.objects.select_for_update(of=("self",))
        .select_related("agency", "agency__department")
        .get(pk=filing.pk)
    )
    if filing.status not in allowed:
        raise ApplicationError(
            "wrong_status",
            _("该备案当前状态为“%(status)s”，不能%(action)s")
            % {"status": filing.get_status_display(), "action": action},
            {"status": filing.status},
            status=409,
        )
    return filing


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    limit = AgencyReport._meta.get_field("reason").max_length or 500
    if not reason:
        raise ApplicationError("reason_required", _("原因：请填写"), {"reason": "required"})
    if len(reason) > limit:
        raise ApplicationError(
            "reason_too_long", _("原因：不超过 %(n)s 个字") % {"n": limit}, {"reason": "too_long"}
        )
    return plain_text(reason, field="reason", label=_("原因"))


@transaction.atomic
def agency_report_file(
    *, actor: User, filing: AgencyReport, request: HttpRequest | None = None
) -> AgencyReport:
    """备案: the credit office accepts the filing; the report is then verifiable as filed."""
    ensure_credit_office(actor)
    filing = _locked(filing, AgencyReport.Status.SUBMITTED, action=_("备案"))
    filing.status = AgencyReport.Status.FILED
    filing.filed_on = clock.today()
    filing.reviewed_by = actor
    filing.reviewed_at = clock.now()
    filing.save(update_fields=["status", "filed_on", "reviewed_by", "reviewed_at"])
    audit_record(
        action=AGENCY_REPORT_FILE,
        actor=actor,
        obj=filing,
        before={"status": AgencyReport.Status.SUBMITTED},
        after={"status": filing.status, "filed_on": filing.filed_on.isoformat()},
        request=request,
    )
    return filing


def _review(
    *,
    actor: User,
    filing: AgencyReport,
    reason: str,
    allowed: str,
    to: str,
    action_label: str,
    audit_action: AuditAction,
    request: HttpRequest | None,
) -> AgencyReport:
    """A reviewing step of the credit office that ends with a reason, audited."""
    ensure_credit_office(actor)
    reason = _reason(reason)
    filing = _locked(filing, allowed, action=action_label)
    filing.status = to
    filing.reason = reason
    filing.reviewed_by = actor
    filing.reviewed_at = clock.now()
    filing.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
    audit_record(
        action=audit_action,
        actor=actor,
        obj=filing,
        before={"status": allowed},
        after={"status": filing.status},
        reason=reason,
        request=request,
    )
    return filing


@transaction.atomic
def agency_report_return(
    *, actor: User, filing: AgencyReport, reason: str, request: HttpRequest | None = None
) -> AgencyReport:
    """退回: the agency may correct and submit again under the same number."""
    return _review(
        actor=actor,
        filing=filing,
        reason=reason,
        allowed=AgencyReport.Status.SUBMITTED,
        to=AgencyReport.Status.RETURNED,
        action_label=_("退回"),
        audit_action=AGENCY_REPORT_RETURN,
        request=request,
    )


@transaction.atomic
def agency_report_revoke(
    *, actor: User, filing: AgencyReport, reason: str, request: HttpRequest | None = None
) -> AgencyReport:
    """撤销: a filed report withdrawn (found false, the subject listed since, …); the
    verification page then answers 已撤销."""
    return _review(
        actor=actor,
        filing=filing,
        reason=reason,
        allowed=AgencyReport.Status.FILED,
        to=AgencyReport.Status.REVOKED,
        action_label=_("撤销"),
        audit_action=AGENCY_REPORT_REVOKE,
        request=request,
    )


def can_see_filing(user: User | ApiToken, filing: AgencyReport) -> bool:
    """The credit office, or the agency that filed it."""
    if isinstance(user, User) and user.is_credit_office:
        return True
    agency = agency_of(user)
    return agency is not None and agency.pk == filing.agency_id


def agency_report_read(
    *, actor: User, filing: AgencyReport, request: HttpRequest | None = None
) -> bytes:
    """The filed PDF, for the credit office or the agency; each read audited."""
    if not can_see_filing(actor, filing):
        raise NotFoundError("not_found", _("未找到该备案，或您无权访问"))
    data = storage.read_filing(filing.storage_key)
    audit_record(action=AGENCY_REPORT_DOWNLOAD, actor=actor, obj=filing, request=request)
    return data
