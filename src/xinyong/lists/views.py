"""Staff pages of lists (/staff/lists/): the department's entries, the
procedure's steps on an entry's page, and the documents (事先告知书, 决定书 with
信用修复告知书) as pages and print views. Views parse and call one service."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xinyong.core import clock, workdays
from xinyong.core.errors import ApplicationError
from xinyong.lists import public, selectors, services
from xinyong.lists.forms import (
    AnswerForm,
    DecideForm,
    NotifyForm,
    ObjectForm,
    ProposeForm,
    ReasonForm,
)
from xinyong.lists.models import ListEntry, ListType
from xinyong.orgs.http import StaffRequest
from xinyong.records.models import Record

S = ListEntry.Status


def _notify(request: StaffRequest, entry: ListEntry, data: dict[str, Any]) -> ListEntry:
    return services.list_entry_notify(
        actor=request.user,
        entry=entry,
        notice_number=data["notice_number"],
        served_on=data["served_on"],
        request=request,
    )


def _object(request: StaffRequest, entry: ListEntry, data: dict[str, Any]) -> ListEntry:
    return services.list_entry_object(
        actor=request.user,
        entry=entry,
        text=data["text"],
        received_on=data["received_on"],
        request=request,
    )


def _answer(request: StaffRequest, entry: ListEntry, data: dict[str, Any]) -> ListEntry:
    return services.list_entry_answer_objection(
        actor=request.user,
        entry=entry,
        accept=data["outcome"] == ListEntry.ObjectionOutcome.ACCEPTED,
        answer=data["answer"],
        request=request,
    )


def _decide(request: StaffRequest, entry: ListEntry, data: dict[str, Any]) -> ListEntry:
    return services.list_entry_decide(
        actor=request.user,
        entry=entry,
        document_number=data["document_number"],
        measures=data["measures"],
        request=request,
    )


def _publish(request: StaffRequest, entry: ListEntry, data: dict[str, Any]) -> ListEntry:
    return services.list_entry_publish(actor=request.user, entry=entry, request=request)


def _withdraw(request: StaffRequest, entry: ListEntry, data: dict[str, Any]) -> ListEntry:
    return services.list_entry_withdraw(
        actor=request.user, entry=entry, reason=data["reason"], request=request
    )


def _remove_early(request: StaffRequest, entry: ListEntry, data: dict[str, Any]) -> ListEntry:
    return services.list_entry_remove_early(
        actor=request.user, entry=entry, reason=data["reason"], request=request
    )


def _revoke(request: StaffRequest, entry: ListEntry, data: dict[str, Any]) -> ListEntry:
    return services.list_entry_revoke(
        actor=request.user, entry=entry, reason=data["reason"], request=request
    )


class Step:
    """One step of the procedure on the entry's page: its form, the statuses
    it is offered in, its service, and what to say when done."""

    def __init__(
        self,
        label: Any,  # noqa: ANN401 - a lazy translation
        form: type[forms.Form],
        statuses: tuple[str, ...],
        run: Callable[[StaffRequest, ListEntry, dict[str, Any]], ListEntry],
        done: Any,  # noqa: ANN401 - a lazy translation
    ) -> None:
        self.label, self.form, self.statuses, self.run, self.done = label, form, statuses, run, done


class _NoFields(forms.Form):
    pass


STEPS: dict[str, Step] = {
    "notify": Step(
        gettext_lazy("送达事先告知书"),
        NotifyForm,
        (S.PROPOSED,),
        _notify,
        gettext_lazy("已送达事先告知书"),
    ),
    "object": Step(
        gettext_lazy("登记陈述申辩/异议"),
        ObjectForm,
        (S.NOTIFIED,),
        _object,
        gettext_lazy("已登记异议"),
    ),
    "answer": Step(
        gettext_lazy("答复异议"), AnswerForm, (S.OBJECTED,), _answer, gettext_lazy("已答复异议")
    ),
    "decide": Step(
        gettext_lazy("作出列入决定"),
        DecideForm,
        (S.NOTIFIED,),
        _decide,
        gettext_lazy("已作出列入决定，决定书和信用修复告知书一并送达"),
    ),
    "publish": Step(
        gettext_lazy("在门户公示"),
        _NoFields,
        (S.DECIDED,),
        _publish,
        gettext_lazy("已在信用神农架公示"),
    ),
    "withdraw": Step(
        gettext_lazy("撤回拟列入"),
        ReasonForm,
        (S.PROPOSED, S.NOTIFIED, S.OBJECTED),
        _withdraw,
        gettext_lazy("已撤回"),
    ),
    "remove-early": Step(
        gettext_lazy("提前移出"),
        ReasonForm,
        (S.DECIDED,),
        _remove_early,
        gettext_lazy("已提前移出"),
    ),
    "revoke": Step(
        gettext_lazy("撤销列入决定"),
        ReasonForm,
        (S.DECIDED, S.REMOVED, S.EXPIRED),
        _revoke,
        gettext_lazy("已撤销列入决定"),
    ),
}


@login_required
def entry_list(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in S.values else ""
    list_code = request.GET.get("list", "")[:20]
    entries = selectors.entries_for(request.user, status=status, list_code=list_code)[:200]
    return render(
        request,
        "lists/entry_list.html",
        {
            "entries": entries,
            "status": status,
            "statuses": S.choices,
            "list_code": list_code,
            "list_types": ListType.objects.filter(source=ListType.Source.DECIDED).order_by(
                "kind", "code"
            ),
            "can_propose": selectors.list_types_for_proposal(request.user).exists(),
            "today": clock.today(),
        },
    )


@login_required
def list_type_list(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "lists/list_type_list.html",
        {
            "list_types": [
                (t, public.period_text(t))
                for t in ListType.objects.prefetch_related("deciders").select_related("feed_item")
            ]
        },
    )


def _evidence_choices(request: StaffRequest, subject_code: str) -> list[tuple[str, str]]:
    subject = selectors.subject_by_code(subject_code)
    if subject is None:
        return []
    return [
        (
            str(r.pk),
            f"{r.item.name} {r.doc_number}（{r.decision_date or '—'}，{r.department.name}）",
        )
        for r in selectors.evidence_choices(request.user, subject)
    ]


@login_required
def entry_propose(request: StaffRequest) -> HttpResponse:
    list_types = selectors.list_types_for_proposal(request.user)
    subject_code = (request.POST or request.GET).get("subject", "")
    evidence = _evidence_choices(request, subject_code)
    if request.method != "POST":
        form = ProposeForm(
            list_types=list_types,
            evidence=evidence,
            initial={"subject": subject_code, "list_type": request.GET.get("list_type")},
        )
        return render(request, "lists/propose.html", {"form": form, "evidence": evidence})
    form = ProposeForm(request.POST, list_types=list_types, evidence=evidence)
    if form.is_valid():
        data = form.cleaned_data
        subject = selectors.subject_by_code(data["subject"])
        if subject is None:
            form.add_error("subject", _("平台中没有该统一社会信用代码或编号的主体"))
        else:
            try:
                entry = services.list_entry_propose(
                    actor=request.user,
                    list_type=data["list_type"],
                    subject=subject,
                    reasons=data["reasons"],
                    basis=data["basis"],
                    evidence=[int(pk) for pk in data["evidence"]],
                    department=data["department"] if request.user.is_credit_office else None,
                    request=request,
                )
            except ApplicationError as exc:
                messages.error(request, _("未能提出：%(reason)s") % {"reason": exc.message})
            else:
                messages.success(request, _("已提出拟列入，请送达事先告知书"))
                return redirect("lists:entry_detail", pk=entry.pk)
    return render(request, "lists/propose.html", {"form": form, "evidence": evidence}, status=400)


def _detail(
    request: StaffRequest,
    entry: ListEntry,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    steps = []
    for slug, step in STEPS.items():
        if entry.status not in step.statuses:
            continue
        form = bound[1] if bound and bound[0] == slug else step.form()
        steps.append(
            {
                "slug": slug,
                "label": step.label,
                "form": form,
                "open": bound is not None and bound[0] == slug,
            }
        )
    evidence: list[Record] = list(entry.evidence.select_related("item", "department"))
    return render(
        request,
        "lists/entry_detail.html",
        {
            "entry": entry,
            "steps": steps,
            "evidence": evidence,
            "today": clock.today(),
            "in_force": entry.in_force_on(clock.today()),
            "early_removal_from": entry.early_removal_from(),
            "calendar_warning": _calendar_warning(entry),
        },
        status=status,
    )


def _calendar_warning(entry: ListEntry) -> str:
    """A warning when a working-day deadline of the entry falls in a year
    without the State Council's schedule (Monday–Friday was assumed)."""
    days = [d for d in (entry.notified_on, entry.objection_until, entry.objection_answer_due) if d]
    if not days:
        return ""
    years = workdays.unofficial_years(min(days).year, max(days).year)
    return workdays.unofficial_warning(years) if years else ""


@login_required
def entry_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.entry_get_for(request.user, pk))


@login_required
@require_POST
def entry_act(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    step = STEPS.get(action)
    if step is None:
        raise Http404
    entry = selectors.entry_get_for(request.user, pk)
    form = step.form(request.POST)
    if not form.is_valid():
        messages.error(request, _("未能%(step)s：请按提示填写") % {"step": step.label})
        return _detail(request, entry, (action, form), status=400)
    try:
        step.run(request, entry, form.cleaned_data)
    except ApplicationError as exc:
        messages.error(
            request, _("未能%(step)s：%(reason)s") % {"step": step.label, "reason": exc.message}
        )
        return _detail(
            request, selectors.entry_get_for(request.user, pk), (action, form), status=400
        )
    messages.success(request, str(step.done))
    return redirect("lists:entry_detail", pk=pk)


def _document(request: StaffRequest, entry: ListEntry, body: str, title: str) -> HttpResponse:
    template = "lists/document_print.html" if request.GET.get("print") else "lists/document.html"
    return render(
        request,
        template,
        {
            "entry": entry,
            "list_type": entry.list_type,
            "body": body,
            "title": title,
            "period": public.period_text(entry.list_type),
        },
    )


@login_required
def entry_notice(request: StaffRequest, pk: int) -> HttpResponse:
    """The 事先告知书 (国办发〔2020〕49号): reasons, basis, rights, the window."""
    entry = selectors.entry_get_for(request.user, pk)
    if entry.notified_on is None:
        raise ApplicationError("not_notified", _("尚未送达事先告知书"), status=404)
    return _document(
        request,
        entry,
        "lists/notice_body.html",
        _("列入失信名单事先告知书")
        if entry.list_type.kind != ListType.Kind.RED
        else _("列入名单事先告知书"),
    )


@login_required
def entry_decision(request: StaffRequest, pk: int) -> HttpResponse:
    """The 决定书 and, on the same page (两书同达), the 信用修复告知书."""
    entry = selectors.entry_get_for(request.user, pk)
    if not entry.document_number:
        raise ApplicationError("not_decided", _("尚未作出列入决定"), status=404)
    return _document(request, entry, "lists/decision_body.html", _("列入名单决定书"))
