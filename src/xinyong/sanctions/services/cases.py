"""Cases (联合奖惩典型案例): a department writes one from its feedback, the
credit office publishes it on the portal or returns it."""

from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.masking import mask_person_name
from xinyong.core.models import Tag
from xinyong.orgs.models import User
from xinyong.orgs.permissions import can_access_department, ensure_credit_office
from xinyong.sanctions.audit_actions import (
    CASE_CREATE,
    CASE_PUBLISH,
    CASE_RETAG,
    CASE_RETURN,
    CASE_SUBMIT,
)
from xinyong.sanctions.models import Case, Feedback, Memorandum


def case_template(feedback: Feedback) -> dict[str, str]:
    """The case's text drafted from the feedback: the department edits it.

    The subject of the hit: a natural person's name is masked (个人信息保护法;
    the portal never shows a person in clear), an organisation's is kept."""
    check = feedback.check_run
    hit = check.hits[0] if check.hits else {}
    subject = hit.get("subject", {})
    name = subject.get("name", "")
    if subject.get("kind") == "person":
        name = mask_person_name(name)
    listing = hit.get("list", {})
    entry = hit.get("entry", {})
    reward = listing.get("kind") == "red"
    measure = feedback.measure
    measure_text = (
        f"{measure.content}（{measure.memorandum.title}，{measure.memorandum.document_number}；"
        f"依据：{measure.legal_basis}）"
        if measure is not None
        else feedback.reason_not_applied
    )
    domain = check.domain.name if check.domain is not None else ""
    return {
        "kind": Memorandum.Kind.REWARD if reward else Memorandum.Kind.PUNISHMENT,
        "title": _("%(department)s在%(domain)s中对%(list)s%(verb)s")
        % {
            "department": check.department.name if check.department else "",
            "domain": domain,
            "list": listing.get("name", ""),
            "verb": "实施联合激励" if reward else "实施联合惩戒",
        },
        "subject_display": name,
        "facts": _(
            "%(date)s，%(department)s在办理“%(matter)s”时进行联合奖惩核查，发现%(subject)s"
            "被%(decider)s列入%(list)s（%(doc)s，列入日期 %(listed)s）。"
        )
        % {
            "date": check.created_at.astimezone(clock.SHANGHAI).date().isoformat(),
            "department": check.department.name if check.department else "",
            "matter": check.matter,
            "subject": name,
            "decider": entry.get("decider", ""),
            "list": listing.get("name", ""),
            "doc": entry.get("document_number", ""),
            "listed": entry.get("listed_on", ""),
        },
        "measures": measure_text,
        "effect": feedback.result,
    }


def _ensure_department(actor: User, case_or_feedback_department_id: int | None) -> None:
    if case_or_feedback_department_id is None or not can_access_department(
        actor, case_or_feedback_department_id
    ):
        raise NotFoundError("not_found", _("未找到该案例，或您无权访问"))


def _tag_names(case: Case) -> list[str]:
    """The case's tags as the audit row keeps them (by name: a tag renamed or
    deleted later leaves the row readable)."""
    return sorted(t.name for t in case.tags.all())


def _set_tags(case: Case, tags: Iterable[Tag]) -> None:
    chosen = list(tags)
    # A tag is the credit office's vocabulary: only stored tags, never free text.
    if any(t.pk is None for t in chosen):
        raise ApplicationError("bad_tag", _("标签：请从已有标签中选择"), {"tags": "invalid"})
    case.tags.set(chosen)


_TEXT_FIELDS = {
    "title": "标题",
    "subject_display": "当事人",
    "facts": "基本案情",
    "measures": "奖惩措施",
    "effect": "取得成效",
}


@transaction.atomic
def case_create(
    *,
    actor: User,
    feedback: Feedback,
    request: HttpRequest | None = None,
    tags: Iterable[Tag] = (),
    **text: str,
) -> Case:
    """A case from the department's feedback; text not given comes from the
    template. `tags` are the department's proposal: the credit office decides
    when it publishes."""
    _ensure_department(actor, feedback.check_run.department_id)
    drafted = case_template(feedback)
    values = {key: (text.get(key) or drafted[key]).strip() for key in _TEXT_FIELDS}
    for key, label in _TEXT_FIELDS.items():
        if not values[key]:
            raise ApplicationError(
                "field_required", _("%(label)s：请填写") % {"label": label}, {key: "required"}
            )
    department = feedback.check_run.department
    if department is None:  # a command-line check has no department: refused above
        raise NotFoundError("not_found", _("未找到该反馈，或您无权访问"))
    case = Case.objects.create(
        department=department,
        feedback=feedback,
        kind=text.get("kind") or drafted["kind"],
        created_by=actor,
        created_at=clock.now(),
        **values,
    )
    _set_tags(case, tags)
    audit_record(
        actor=actor, action=CASE_CREATE, obj=case, after={"tags": _tag_names(case)}, request=request
    )
    return case


@transaction.atomic
def case_submit(*, actor: User, case: Case, request: HttpRequest | None = None) -> Case:
    _ensure_department(actor, case.department_id)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status not in (Case.Status.DRAFT, Case.Status.RETURNED):
        raise ApplicationError("not_draft", _("只有草稿或已退回的案例可以提交审核"))
    locked.status = Case.Status.SUBMITTED
    locked.submitted_at = clock.now()
    locked.save(update_fields=["status", "submitted_at"])
    audit_record(actor=actor, action=CASE_SUBMIT, obj=locked, request=request)
    return locked


@transaction.atomic
def case_return(*, actor: User, case: Case, note: str, request: HttpRequest | None = None) -> Case:
    ensure_credit_office(actor)
    note = (note or "").strip()
    if not note:
        raise ApplicationError(
            "note_required", _("审核意见：退回时请说明原因"), {"note": "required"}
        )
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != Case.Status.SUBMITTED:
        raise ApplicationError("not_submitted", _("只有待审核的案例可以退回"))
    locked.status = Case.Status.RETURNED
    locked.review_note = note
    locked.reviewed_by = actor
    locked.save(update_fields=["status", "review_note", "reviewed_by"])
    audit_record(actor=actor, action=CASE_RETURN, obj=locked, reason=note, request=request)
    return locked


@transaction.atomic
def case_publish(
    *,
    actor: User,
    case: Case,
    note: str = "",
    tags: Iterable[Tag] | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Publish on the portal (诚信宣传 · 典型案例), dated today, with the tags
    the credit office chose (`None`: it keeps the department's proposal)."""
    ensure_credit_office(actor)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != Case.Status.SUBMITTED:
        raise ApplicationError("not_submitted", _("只有待审核的案例可以发布"))
    before = {"tags": _tag_names(locked)}
    if tags is not None:
        _set_tags(locked, tags)
    locked.status = Case.Status.PUBLISHED
    locked.published_on = clock.today()
    locked.reviewed_by = actor
    locked.review_note = (note or "").strip()
    locked.save(update_fields=["status", "published_on", "reviewed_by", "review_note"])
    audit_record(
        actor=actor,
        action=CASE_PUBLISH,
        obj=locked,
        before=before,
        after={"tags": _tag_names(locked)},
        request=request,
    )
    return locked


@transaction.atomic
def case_retag(
    *, actor: User, case: Case, tags: Iterable[Tag], request: HttpRequest | None = None
) -> Case:
    """The credit office changes the tags of a case it reviews or has
    published (the portal shows them at once)."""
    ensure_credit_office(actor)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status not in (Case.Status.SUBMITTED, Case.Status.PUBLISHED):
        raise ApplicationError("not_reviewable", _("只有待审核或已发布的案例可以由信用办修改标签"))
    before = {"tags": _tag_names(locked)}
    _set_tags(locked, tags)
    after = {"tags": _tag_names(locked)}
    if before == after:
        raise ApplicationError("no_change", _("标签没有变化"))
    audit_record(
        actor=actor, action=CASE_RETAG, obj=locked, before=before, after=after, request=request
    )
    return locked
