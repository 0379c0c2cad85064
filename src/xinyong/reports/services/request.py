"""Asking for a report: who may, for whom, why. The row is the register of reports issued
(who, for whom, why, kind, number; the hash follows when it is signed)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from functools import partial

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, audit_record, command_actor
from xinyong.core.errors import ApplicationError
from xinyong.orgs.models import ApiToken, Department, User
from xinyong.reports.audit_actions import PERSON_REPORT_REFUSE, REPORT_REQUEST
from xinyong.reports.content import public_label
from xinyong.reports.models import SPECIAL_MAX_YEARS, Agency, Report
from xinyong.subjects.hashing import id_digest
from xinyong.subjects.models import Subject

# The USCC alphabet (GB 32100-2015): no I, O, Z, S, V to misread on paper.
_NUMBER_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def new_number() -> str:
    """`XY` + the day + 8 random characters: not guessable, so the public verification
    page cannot be walked to learn who asked for reports."""
    tail = "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(8))
    return f"XY{clock.today():%Y%m%d}-{tail}"


def _purpose(purpose: str) -> str:
    purpose = (purpose or "").strip()
    if not purpose:
        raise ApplicationError("purpose_required", _("查询事由：请填写查询事由"))
    limit = Report._meta.get_field("purpose").max_length or 200
    if len(purpose) > limit:
        raise ApplicationError("purpose_too_long", _("查询事由：不超过 %(n)s 个字") % {"n": limit})
    return purpose


def _areas(areas: Sequence[str]) -> list[str]:
    codes = sorted({a.strip().lower() for a in areas if a.strip()})
    known = set(
        Department.objects.filter(short_code__in=codes).values_list("short_code", flat=True)
    )
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ApplicationError(
            "unknown_area",
            _("查询领域：未知的部门简码 %(codes)s") % {"codes": "、".join(unknown)},
            {"unknown": unknown},
        )
    return codes


def _refuse_person(
    *, actor: User | ApiToken | None, subject: Subject, message: str, request: HttpRequest | None
) -> ApplicationError:
    """Audit the refusal (committed even though the caller raises) and return the error."""
    audit_record(
        action=PERSON_REPORT_REFUSE,
        actor=actor if actor is not None else command_actor(),
        obj=subject,
        object_label=public_label(subject)[0],
        reason=message,
        request=request,
    )
    return ApplicationError("person_report_refused", message)


def _check_person(
    *,
    actor: User | ApiToken | None,
    subject: Subject,
    channel: str,
    person_basis: str,
    id_number: str,
    authorisation: str,
    request: HttpRequest | None,
) -> None:
    """A natural person's report: only at the counter, by staff of the credit office (the
    authorised staff), for the person in person (the ID number checked against the
    registry's keyed digest) or on the person's written authorisation."""
    if (
        channel != Report.Channel.COUNTER
        or not isinstance(actor, User)
        or not actor.is_credit_office
    ):
        raise _refuse_person(
            actor=actor,
            subject=subject,
            message=_("自然人信用报告仅由信用办授权人员在服务窗口为本人或经本人书面授权出具"),
            request=request,
        )
    if person_basis == Report.PersonBasis.SELF:
        if (
            not id_number.strip()
            or not subject.id_digest
            or id_digest(id_number) != subject.id_digest
        ):
            raise _refuse_person(
                actor=actor,
                subject=subject,
                message=_("身份核验未通过：申请人证件号码与该自然人不符"),
                request=request,
            )
    elif person_basis == Report.PersonBasis.AUTHORISED:
        if not authorisation.strip():
            raise _refuse_person(
                actor=actor,
                subject=subject,
                message=_("授权书编号：经授权查询须登记本人书面授权书编号"),
                request=request,
            )
    else:
        raise _refuse_person(
            actor=actor,
            subject=subject,
            message=_("自然人报告依据：请选择本人申请或经授权查询"),
            request=request,
        )


def _check_agency_user(user: User) -> None:
    """A user of an agency's account orders reports only while the agency is filed."""
    if user.department_id is None:
        return
    agency = Agency.objects.select_related("department").filter(department_id=user.department_id)
    found = agency.first()
    if found is not None and not found.is_filed:
        raise ApplicationError(
            "agency_not_filed",
            _("该信用服务机构备案状态为“%(status)s”，不能申请信用报告")
            % {"status": found.get_status_display()},
            status=403,
        )


def _check_agency(token: ApiToken) -> None:
    department = token.department
    if department.kind == Department.Kind.CREDIT_OFFICE:
        return
    agency = Agency.objects.filter(department=department).first()
    if agency is None:
        raise ApplicationError(
            "not_agency",
            _("该令牌所属单位未登记为信用服务机构，不能通过接口申请信用报告"),
            status=403,
        )
    if not (agency.status == Agency.Status.FILED and department.is_active):
        raise ApplicationError(
            "agency_not_filed",
            _("该信用服务机构备案状态为“%(status)s”，不能申请信用报告")
            % {"status": agency.get_status_display()},
            status=403,
        )


def report_request(
    *,
    actor: User | ApiToken | None,
    subject: Subject,
    kind: str,
    purpose: str,
    channel: str,
    years: int | None = None,
    areas: Sequence[str] = (),
    person_basis: str = "",
    id_number: str = "",
    authorisation: str = "",
    enqueue: bool = True,
    request: HttpRequest | None = None,
) -> Report:
    """Register a report asked for and (unless `enqueue` is false: the CLI prints inline)
    queue its generation. `actor` None is the command line (the OS account)."""
    if kind not in Report.Kind.values:
        raise ApplicationError("unknown_kind", _("报告类型：未知的报告类型"))
    if subject.pending_batch_id is not None:
        raise ApplicationError("not_found", _("未找到该信用主体"), status=404)
    person = subject.kind == Subject.Kind.PERSON
    if person != (kind == Report.Kind.PERSON):
        raise ApplicationError(
            "kind_mismatch",
            _("报告类型：自然人只能出具自然人信用报告，法人和非法人组织不能出具自然人信用报告"),
        )
    if person:
        _check_person(
            actor=actor,
            subject=subject,
            channel=channel,
            person_basis=person_basis,
            id_number=id_number,
            authorisation=authorisation,
            request=request,
        )
    else:
        person_basis, authorisation = "", ""
    if isinstance(actor, ApiToken):
        _check_agency(actor)
    elif isinstance(actor, User):
        _check_agency_user(actor)
    purpose = _purpose(purpose)
    if kind == Report.Kind.SPECIAL:
        if years is None or not 1 <= years <= SPECIAL_MAX_YEARS:
            raise ApplicationError(
                "years_out_of_range",
                _("查询年限：专项信用报告的查询期间为 1 至 %(n)s 年") % {"n": SPECIAL_MAX_YEARS},
            )
        codes = _areas(areas)
    else:
        years, codes = None, []
    return _create(
        actor=actor,
        subject=subject,
        kind=kind,
        purpose=purpose,
        channel=channel,
        years=years,
        areas=codes,
        person_basis=person_basis,
        authorisation=authorisation.strip(),
        enqueue=enqueue,
        request=request,
    )


@transaction.atomic
def _create(
    *,
    actor: User | ApiToken | None,
    subject: Subject,
    kind: str,
    purpose: str,
    channel: str,
    years: int | None,
    areas: list[str],
    person_basis: str,
    authorisation: str,
    enqueue: bool,
    request: HttpRequest | None,
) -> Report:
    who: Actor = actor.audit_actor() if actor is not None else command_actor()
    label, code = public_label(subject)
    report = Report.objects.create(
        number=new_number(),
        kind=kind,
        subject=subject,
        subject_label=label,
        subject_code=code,
        purpose=purpose,
        person_basis=person_basis,
        authorisation=authorisation,
        channel=channel,
        requested_by=actor if isinstance(actor, User) else None,
        requested_token=actor if isinstance(actor, ApiToken) else None,
        requested_label=who.label[:200],
        requested_at=clock.now(),
        years=years,
        areas=areas,
    )
    audit_record(
        action=REPORT_REQUEST,
        actor=actor if actor is not None else who,
        obj=report,
        after={
            "number": report.number,
            "kind": kind,
            "subject_id": subject.pk,
            "channel": channel,
            "years": years,
            "areas": areas,
            "person_basis": person_basis,
        },
        reason=purpose,
        request=request,
    )
    if enqueue:
        transaction.on_commit(partial(enqueue_generation, report.pk), robust=True)
    return report


def enqueue_generation(report_id: int) -> None:
    from xinyong.reports.tasks import report_generate_task

    result = report_generate_task.enqueue(report_id)
    Report.objects.filter(pk=report_id).update(task_id=str(result.id))
