"""Every change of a 专项治理 campaign or target: atomic, audited, and only by
the lead department or the credit office (anyone else is told "not found")."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record, audit_record_many
from xinyong.core.errors import ApplicationError, NotFoundError, plain_text, required_text
from xinyong.core.identifiers.resident_id import check_resident_id
from xinyong.core.identifiers.uscc import check_uscc
from xinyong.core.masking import mask_id_number
from xinyong.orgs.models import Department, User
from xinyong.orgs.permissions import can_access_department, ensure_department_access
from xinyong.oversight.audit_actions import (
    CAMPAIGN_CREATE,
    CAMPAIGN_TARGET_ADD,
    CAMPAIGN_TARGET_COMMITMENT,
    CAMPAIGN_TARGET_EXIT,
    CAMPAIGN_TARGET_RECTIFY,
)
from xinyong.oversight.models import Campaign, CampaignTarget
from xinyong.rights.models import Commitment
from xinyong.subjects.models import Subject
from xinyong.subjects.services import SubjectCandidate, subject_resolve_bulk

Rectification = CampaignTarget.Rectification
# The steps a rectification may take: forward only.
_NEXT = {
    Rectification.NONE: {Rectification.IN_PROGRESS, Rectification.DONE},
    Rectification.IN_PROGRESS: {Rectification.DONE},
    Rectification.DONE: set(),
}


def ensure_campaign_access(user: User, campaign: Campaign) -> None:
    """The lead department and the credit office; others: not found."""
    if not can_access_department(user, campaign.lead_department_id):
        raise NotFoundError("not_found", _("未找到该专项治理，或您无权访问"))


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    name: str,
    basis: str,
    lead_department: Department,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Campaign:
    ensure_department_access(actor, lead_department)
    name = required_text(name, field="name", label=_("专项名称"))
    basis = required_text(basis, field="basis", label=_("工作依据"))
    if ends_on < starts_on:
        raise ApplicationError(
            "invalid_period", _("结束日期不能早于开始日期"), {"ends_on": "before_start"}
        )
    campaign = Campaign.objects.create(
        name=name,
        basis=basis,
        lead_department=lead_department,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=clock.now(),
        created_by=actor,
    )
    audit_record(
        action=CAMPAIGN_CREATE,
        actor=actor,
        obj=campaign,
        after={
            "name": name,
            "lead": lead_department.short_code,
            "period": [str(starts_on), str(ends_on)],
        },
    )
    return campaign


@dataclass(frozen=True)
class Identity:
    candidate: SubjectCandidate
    code_kept: str


def identity(name: str, code: str) -> Identity:
    """A USCC makes a 法人及非法人组织, a resident ID number a 自然人; the
    number itself is kept only masked. Raises with a Chinese message."""
    name = name.strip()
    code = code.strip().upper()
    if not name:
        raise ApplicationError("required", _("主体名称不能为空"), {"name": "required"})
    most = CampaignTarget._meta.get_field("name").max_length or 0
    if len(name) > most:
        raise ApplicationError(
            "too_long", _("主体名称不能超过 %(n)d 个字") % {"n": most}, {"name": "too_long"}
        )
    plain_text(name, field="name", label=_("主体名称"))
    if not code:
        raise ApplicationError("required", _("证件号码不能为空"), {"code": "required"})
    if check_uscc(code).valid:
        return Identity(SubjectCandidate(kind=Subject.Kind.LEGAL, name=name, uscc=code), code)
    if check_resident_id(code).valid:
        return Identity(
            SubjectCandidate(kind=Subject.Kind.PERSON, name=name, id_number=code),
            mask_id_number(code),
        )
    raise ApplicationError(
        "invalid_code",
        _("证件号码不是有效的统一社会信用代码或居民身份证号码"),
        {"code": "invalid"},
    )


def _latest_commitments(subject_ids: list[int]) -> dict[int, Commitment]:
    """Each subject's latest commitment (the highest id), in one query."""
    latest: dict[int, Commitment] = {}
    found = Commitment.objects.filter(subject_id__in=subject_ids).order_by("subject_id", "-id")
    for commitment in found:
        latest.setdefault(commitment.subject_id, commitment)
    return latest


def add_identified(
    *, actor: User, campaign: Campaign, found: list[tuple[Identity, int]]
) -> list[CampaignTarget]:
    """Targets for already checked identities (`found`: identity and its row,
    for messages); a subject already in the campaign is refused. In bulk (one
    INSERT per 500 targets and their audit rows): a file's thousands of rows
    hold the write lock for a moment only."""
    subject_ids = subject_resolve_bulk(
        department_id=campaign.lead_department_id,
        candidates=[i.candidate for i, _row in found],
        source="campaign",
    )
    existing = set(
        CampaignTarget.objects.filter(campaign=campaign).values_list("subject_id", flat=True)
    )
    today = clock.today()
    made = []
    for (ident, row), subject_id in zip(found, subject_ids, strict=True):
        if subject_id is None:  # pragma: no cover - a name and a valid code always resolve
            raise ApplicationError("unresolved", _("无法识别该主体"))
        if subject_id in existing:
            raise ApplicationError(
                "duplicate",
                _("%(n)s 已是本专项的治理对象") % {"n": ident.candidate.name},
                {"row": row, "code": "duplicate"},
            )
        existing.add(subject_id)
        made.append(
            CampaignTarget(
                campaign=campaign,
                subject_id=subject_id,
                name=ident.candidate.name,
                code_kept=ident.code_kept,
                added_on=today,
            )
        )
    latest = _latest_commitments([t.subject_id for t in made])
    for target in made:
        target.commitment = latest.get(target.subject_id)
        target.committed = target.commitment is not None
    CampaignTarget.objects.bulk_create(made, batch_size=500)
    audit_record_many(
        action=CAMPAIGN_TARGET_ADD,
        actor=actor,
        changes=(
            (t, {"campaign": campaign.pk, "subject": t.subject_id, "code": t.code_kept})
            for t in made
        ),
    )
    return made


@transaction.atomic
def campaign_target_add(*, actor: User, campaign: Campaign, name: str, code: str) -> CampaignTarget:
    ensure_campaign_access(actor, campaign)
    (target,) = add_identified(actor=actor, campaign=campaign, found=[(identity(name, code), 0)])
    return target


def _locked(target: CampaignTarget) -> CampaignTarget:
    return CampaignTarget.objects.select_for_update().select_related("campaign").get(pk=target.pk)


def _check_day(day: dt.date | None, campaign: Campaign, label: str) -> dt.date:
    if day is None:
        raise ApplicationError("required", _("请填写%(l)s") % {"l": label}, {"on": "required"})
    if day > clock.today():
        raise ApplicationError(
            "future_date", _("%(l)s不能晚于今天") % {"l": label}, {"on": "future"}
        )
    if day < campaign.starts_on:
        raise ApplicationError(
            "before_campaign",
            _("%(l)s不能早于专项开始日期 %(d)s") % {"l": label, "d": campaign.starts_on},
            {"on": "before_start"},
        )
    return day


@transaction.atomic
def target_commitment_set(
    *, actor: User, target: CampaignTarget, committed: bool
) -> CampaignTarget:
    """Mark whether the target made its commitment; the subject's latest signed
    信用承诺书 on the platform, if any, is linked."""
    target = _locked(target)
    ensure_campaign_access(actor, target.campaign)
    before = {"committed": target.committed, "commitment": target.commitment_id}
    target.committed = committed
    target.commitment = (
        _latest_commitments([target.subject_id]).get(target.subject_id) if committed else None
    )
    target.save(update_fields=["committed", "commitment"])
    audit_record(
        action=CAMPAIGN_TARGET_COMMITMENT,
        actor=actor,
        obj=target,
        before=before,
        after={"committed": committed, "commitment": target.commitment_id},
    )
    return target


@transaction.atomic
def target_rectify(
    *, actor: User, target: CampaignTarget, status: str, on: dt.date | None, note: str
) -> CampaignTarget:
    """未整改 → 整改中 → 已整改, forward only; each step with its date, 已整改 with a note."""
    target = _locked(target)
    ensure_campaign_access(actor, target.campaign)
    if status not in Rectification.values:
        raise ApplicationError(
            "invalid_status", _("整改状态应为整改中或已整改"), {"status": status}
        )
    new = Rectification(status)
    current = Rectification(target.rectification)
    if new not in _NEXT[current]:
        raise ApplicationError(
            "invalid_transition",
            _("整改状态不能从“%(a)s”改为“%(b)s”") % {"a": current.label, "b": new.label},
            {"status": "invalid_transition"},
            status=409,
        )
    day = _check_day(on, target.campaign, _("整改日期"))
    if target.rectification_on and day < target.rectification_on:
        raise ApplicationError(
            "before_previous", _("整改日期不能早于上一次登记的日期"), {"on": "before_previous"}
        )
    if new == Rectification.DONE and not note.strip():
        raise ApplicationError("required", _("已整改须填写整改说明"), {"note": "required"})
    before = {"status": current.value, "on": str(target.rectification_on or "")}
    target.rectification = new
    target.rectification_on = day
    target.rectification_note = note.strip()
    target.save(update_fields=["rectification", "rectification_on", "rectification_note"])
    audit_record(
        action=CAMPAIGN_TARGET_RECTIFY,
        actor=actor,
        obj=target,
        before=before,
        after={"status": new.value, "on": str(day)},
        reason=note.strip(),
    )
    return target


@transaction.atomic
def target_exit(*, actor: User, target: CampaignTarget, on: dt.date | None) -> CampaignTarget:
    """退出: only a target that has rectified, on or after that day; once."""
    target = _locked(target)
    ensure_campaign_access(actor, target.campaign)
    if target.exit == CampaignTarget.Exit.EXITED:
        raise ApplicationError("already_exited", _("该对象已退出"), {"exit": "already"}, status=409)
    if target.rectification != Rectification.DONE:
        raise ApplicationError(
            "not_rectified", _("尚未完成整改，不能退出"), {"exit": "not_rectified"}, status=409
        )
    day = _check_day(on, target.campaign, _("退出日期"))
    if target.rectification_on and day < target.rectification_on:
        raise ApplicationError(
            "before_rectified", _("退出日期不能早于整改完成日期"), {"on": "before_rectified"}
        )
    target.exit = CampaignTarget.Exit.EXITED
    target.exited_on = day
    target.save(update_fields=["exit", "exited_on"])
    audit_record(action=CAMPAIGN_TARGET_EXIT, actor=actor, obj=target, after={"on": str(day)})
    return target
