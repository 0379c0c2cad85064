"""The registry of credit service agencies (信用服务机构备案): the credit office registers
an agency (its account, a Department of kind `agency`, and its Agency row in one
transaction), suspends it, revokes it, restores it. Each change is audited."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import AuditAction, audit_record
from xinyong.core.errors import ApplicationError, PermissionDeniedError, required_phone
from xinyong.core.identifiers.uscc import check_uscc
from xinyong.orgs.models import ApiToken, Department, User
from xinyong.orgs.permissions import ensure_credit_office
from xinyong.orgs.services import department_create
from xinyong.reports.audit_actions import (
    AGENCY_REGISTER,
    AGENCY_RESTORE,
    AGENCY_REVOKE,
    AGENCY_SUSPEND,
)
from xinyong.reports.models import Agency

FILING_PREFIX = "XYFW"


def valid_uscc(raw: str, *, label: str = "") -> str:
    """The normalised USCC, or a Chinese error naming what is wrong (GB 32100-2015)."""
    result = check_uscc(raw or "")
    if not result.valid:
        raise ApplicationError(
            "invalid_uscc",
            _("%(label)s：%(reason)s")
            % {
                "label": label or _("统一社会信用代码"),
                "reason": "；".join(result.errors) or _("格式不正确"),
            },
            {"uscc": result.errors},
        )
    return result.normalized


def next_filing_number(year: int) -> str:
    """XYFW-<year>-<4 digits>, one more than the year's highest (the unique constraint
    guards a race: the second registration fails and is retried by the user)."""
    prefix = f"{FILING_PREFIX}-{year}-"
    last = (
        Agency.objects.filter(filing_number__startswith=prefix)
        .order_by("-filing_number")
        .values_list("filing_number", flat=True)
        .first()
    )
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:04d}"


def _services(services: Sequence[str]) -> list[str]:
    chosen = [s for s in Agency.Service.values if s in set(services)]
    unknown = sorted(set(services) - set(Agency.Service.values))
    if unknown or not chosen:
        raise ApplicationError(
            "invalid_services", _("服务类型：请至少选择一项已列出的服务类型"), {"services": unknown}
        )
    return chosen


def _text(value: str, *, field: str, label: str, required: bool = False) -> str:
    value = (value or "").strip()
    model_field = Agency._meta.get_field(field)
    limit = getattr(model_field, "max_length", None) or 200
    if required and not value:
        raise ApplicationError(
            f"{field}_required", _("%(label)s：请填写") % {"label": label}, {field: "required"}
        )
    if len(value) > limit:
        raise ApplicationError(
            f"{field}_too_long",
            _("%(label)s：不超过 %(n)s 个字") % {"label": label, "n": limit},
            {field: "too_long"},
        )
    return value


def _snapshot(agency: Agency) -> dict[str, object]:
    return {
        "status": agency.status,
        "status_reason": agency.status_reason,
        "status_changed_on": agency.status_changed_on.isoformat()
        if agency.status_changed_on
        else None,
    }


@transaction.atomic
def agency_register(
    *,
    actor: User,
    name: str,
    uscc: str,
    address: str = "",
    services: Sequence[str] = (Agency.Service.REPORT,),
    business_scope: str = "",
    contact_phone: str = "",
    request: HttpRequest | None = None,
) -> Agency:
    """Register (备案) a credit service agency: its account (a Department of kind agency,
    short code `xyfw-<uscc>`) and its registry row with a new 备案编号."""
    ensure_credit_office(actor)
    name = (name or "").strip()
    if not name:
        raise ApplicationError("name_required", _("机构名称：请填写"), {"name": "required"})
    code = valid_uscc(uscc)
    if Agency.objects.filter(uscc=code).exists() or Department.objects.filter(uscc=code).exists():
        raise ApplicationError(
            "duplicate_uscc",
            _("统一社会信用代码：该代码的机构已登记"),
            {"uscc": "duplicate"},
            status=409,
        )
    phone = _text(contact_phone, field="contact_phone", label=_("联系电话"))
    if phone:
        required_phone(phone, field="contact_phone", label=_("联系电话"))
    department = department_create(
        actor=actor,
        name=name,
        short_code=f"xyfw-{code.lower()}",
        kind=Department.Kind.AGENCY,
        uscc=code,
        request=request,
    )
    today = clock.today()
    agency = Agency.objects.create(
        department=department,
        uscc=code,
        filing_number=next_filing_number(today.year),
        status=Agency.Status.FILED,
        filed_on=today,
        address=_text(address, field="address", label=_("住所")),
        services=_services(services),
        business_scope=_text(business_scope, field="business_scope", label=_("经营范围")),
        contact_phone=phone,
    )
    audit_record(
        action=AGENCY_REGISTER,
        actor=actor,
        obj=agency,
        after={
            "filing_number": agency.filing_number,
            "uscc": code,
            "department_id": department.pk,
            "services": agency.services,
        },
        request=request,
    )
    return agency


def _locked(agency: Agency) -> Agency:
    return Agency.objects.select_for_update().select_related("department").get(pk=agency.pk)


def _change(
    *,
    actor: User,
    agency: Agency,
    allowed: Sequence[str],
    to: str,
    reason: str,
    reason_required: bool,
    action_label: str,
    audit_action: AuditAction,
    request: HttpRequest | None,
) -> Agency:
    """One step of the agency's status, by the credit office, audited."""
    ensure_credit_office(actor)
    agency = _locked(agency)
    if agency.status not in allowed:
        raise ApplicationError(
            "wrong_status",
            _("该机构当前状态为“%(status)s”，不能%(action)s")
            % {"status": agency.get_status_display(), "action": action_label},
            {"status": agency.status},
            status=409,
        )
    reason = _text(reason, field="status_reason", label=_("原因"), required=reason_required)
    before = _snapshot(agency)
    agency.status = to
    agency.status_reason = reason
    agency.status_changed_on = clock.today()
    agency.full_clean(exclude=["department"])
    agency.save(update_fields=["status", "status_reason", "status_changed_on"])
    audit_record(
        action=audit_action,
        actor=actor,
        obj=agency,
        before=before,
        after=_snapshot(agency),
        reason=agency.status_reason,
        request=request,
    )
    return agency


@transaction.atomic
def agency_suspend(
    *, actor: User, agency: Agency, reason: str, request: HttpRequest | None = None
) -> Agency:
    """暂停: the agency may neither order reports nor file them until restored."""
    return _change(
        actor=actor,
        agency=agency,
        allowed=[Agency.Status.FILED],
        to=Agency.Status.SUSPENDED,
        reason=reason,
        reason_required=True,
        action_label=_("暂停"),
        audit_action=AGENCY_SUSPEND,
        request=request,
    )


@transaction.atomic
def agency_revoke(
    *, actor: User, agency: Agency, reason: str, request: HttpRequest | None = None
) -> Agency:
    """注销: final. The reports it filed stay in the register; the public directory and the
    verification page say the agency is no longer filed."""
    return _change(
        actor=actor,
        agency=agency,
        allowed=[Agency.Status.FILED, Agency.Status.SUSPENDED],
        to=Agency.Status.REVOKED,
        reason=reason,
        reason_required=True,
        action_label=_("注销"),
        audit_action=AGENCY_REVOKE,
        request=request,
    )


@transaction.atomic
def agency_restore(
    *, actor: User, agency: Agency, reason: str = "", request: HttpRequest | None = None
) -> Agency:
    """A suspended agency filed again (a revoked one registers anew)."""
    return _change(
        actor=actor,
        agency=agency,
        allowed=[Agency.Status.SUSPENDED],
        to=Agency.Status.FILED,
        reason=reason,
        reason_required=False,
        action_label=_("恢复"),
        audit_action=AGENCY_RESTORE,
        request=request,
    )


def agency_of(actor: User | ApiToken) -> Agency | None:
    """The agency whose account the user or token belongs to, if any."""
    department_id = actor.department_id
    if department_id is None:
        return None
    return Agency.objects.select_related("department").filter(department_id=department_id).first()


def ensure_filed_agency(actor: User | ApiToken) -> Agency:
    """The actor's agency, which must be filed (not suspended nor revoked)."""
    agency = agency_of(actor)
    if agency is None:
        raise PermissionDeniedError(
            "not_agency", _("您所在单位未登记为信用服务机构，不能提交信用报告备案")
        )
    if not agency.is_filed:
        raise PermissionDeniedError(
            "agency_not_filed",
            _("该信用服务机构备案状态为“%(status)s”，不能提交信用报告备案")
            % {"status": agency.get_status_display()},
        )
    return agency
