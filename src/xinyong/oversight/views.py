"""Staff pages of oversight (/staff/oversight/): the month's indicators, the
通报, the year's assessment with its breakdown, the 权力清单, the scheme; and
the portal's published 通报 (/tongbao/)."""

from typing import Any

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xinyong.core import clock
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.orgs.http import StaffRequest
from xinyong.orgs.models import Department
from xinyong.orgs.permissions import can_access_department, ensure_credit_office
from xinyong.oversight import assessment, charts, open_data, scoring, selectors, tasks
from xinyong.oversight.forms import PowersForm, SchemeForm
from xinyong.oversight.indicators.completeness import IDLE_MONTHS
from xinyong.oversight.indicators.registry import indicators
from xinyong.oversight.models import AssessmentScheme, MonthlyReport
from xinyong.oversight.periods import MAX_YEAR, MIN_YEAR, Month, year_in_range
from xinyong.oversight.services.figures import figures_publish
from xinyong.oversight.services.powers import powers_import
from xinyong.oversight.services.reports import report_publish
from xinyong.oversight.services.schemes import scheme_revise

# The stored 通报 is a whole document with its own <style> (the same text
# made the PDF): allow inline styles on that answer only.
_REPORT_CSP: Any = csp_update({"style-src": ["'unsafe-inline'"]})


def _month_param(request: HttpRequest) -> Month:
    text = request.GET.get("month", "")
    return Month.parse(text) if text else Month.of(clock.today()).previous()


@login_required
@require_safe
def index(request: StaffRequest) -> HttpResponse:
    """Each department's indicators for a month (a department sees its own)."""
    month = _month_param(request)
    user = request.user
    # Ranked among all departments (as the 通报 ranks them); a department sees its own row.
    figures = scoring.compute_month_cached(month)
    if not user.is_credit_office:
        figures = [f for f in figures if f.department_id == user.department_id]
    return render(
        request,
        "oversight/index.html",
        {
            "month": month,
            "previous": month.previous(),
            "next": month.next() if month.next() <= Month.of(clock.today()) else None,
            "figures": figures,
            "indicators": indicators(),
        },
    )


@login_required
@require_safe
def report_list(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "oversight/report_list.html",
        {
            "reports": selectors.reports_for_staff(),
            "last_month": Month.of(clock.today()).previous(),
            "figure_months": selectors.figure_months_for_staff(),
        },
    )


@_REPORT_CSP
@login_required
@require_safe
def report_detail(request: StaffRequest, month: str) -> HttpResponse:
    return HttpResponse(selectors.report_get(Month.parse(month)).html)


def _pdf(report: MonthlyReport) -> HttpResponse:
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tongbao-{report.month:%Y-%m}.pdf"'
    return response


@login_required
@require_safe
def report_pdf(request: StaffRequest, month: str) -> HttpResponse:
    return _pdf(selectors.report_get(Month.parse(month)))


@require_POST
@login_required
def report_action(request: StaffRequest, month: str, action: str) -> HttpResponse:
    """publish / unpublish the 通报 on the portal; generate (again, on the task
    queue); publish-figures / unpublish-figures: the month's figures (/shuju/)."""
    parsed = Month.parse(month)
    try:
        if action == "generate":
            ensure_credit_office(request.user)
            if parsed >= Month.of(clock.today()):
                raise ApplicationError(
                    "month_not_over", _("%(m)s尚未结束，不能生成通报") % {"m": parsed.label}
                )
            transaction.on_commit(lambda: tasks.generate_report.enqueue(str(parsed)))
            messages.success(
                request, _("已开始生成%(m)s的通报，稍后刷新本页") % {"m": parsed.label}
            )
        elif action in ("publish", "unpublish"):
            report = selectors.report_get(parsed)
            report_publish(actor=request.user, report=report, publish=action == "publish")
            messages.success(request, _("已更新门户公开状态"))
        elif action in ("publish-figures", "unpublish-figures"):
            figures_publish(
                actor=request.user,
                month=parsed,
                publish=action == "publish-figures",
                request=request,
            )
            messages.success(request, _("已更新月度数据的门户公开状态"))
        else:
            raise NotFoundError("not_found", _("未知操作"))
    except ApplicationError as exc:
        if exc.status in (403, 404):  # a refusal is an error page, not a notice
            raise
        messages.error(request, exc.message)
    return redirect("oversight:report_list")


def _assessment_year(year: int) -> assessment.YearAssessment:
    """The year's assessment; a year no date can hold (0, 99999) is no page."""
    if not year_in_range(year):
        raise NotFoundError(
            "not_found",
            _("考核年度应在 %(a)d 年至 %(b)d 年之间：%(y)d")
            % {"a": MIN_YEAR, "b": MAX_YEAR, "y": year},
        )
    return assessment.assessment_year(year)


@login_required
@require_safe
def assessment_year(request: StaffRequest, year: int) -> HttpResponse:
    result = _assessment_year(year)
    return render(request, "oversight/assessment.html", {"a": result, "year": year})


@login_required
@require_safe
def assessment_department(request: StaffRequest, year: int, code: str) -> HttpResponse:
    """One department's year with its breakdown: its own department or the credit office."""
    department = Department.objects.filter(short_code=code).first()
    if department is None or not can_access_department(request.user, department):
        raise NotFoundError("not_found", _("未找到该部门，或您无权访问"))
    result = _assessment_year(year)
    row = result.get(code)
    return render(
        request,
        "oversight/assessment_department.html",
        {"a": result, "row": row, "department": department, "year": year, "months": range(1, 13)},
    )


@login_required
def powers(request: StaffRequest, code: str) -> HttpResponse:
    department = Department.objects.filter(short_code=code).first()
    if department is None or not can_access_department(request.user, department):
        raise NotFoundError("not_found", _("未找到该部门，或您无权访问"))
    form = PowersForm(request.POST or None, request.FILES or None)
    row_errors: list[dict[str, object]] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = powers_import(
                actor=request.user, department=department, handle=form.cleaned_data["file"]
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
            row_errors = exc.details.get("rows", []) if isinstance(exc.details, dict) else []
        else:
            messages.success(
                request,
                _("已导入：新增 %(c)d 项，更新 %(u)d 项，停用 %(d)d 项")
                % {"c": result.created, "u": result.updated, "d": result.deactivated},
            )
            return redirect("oversight:powers", code=code)
    rows = selectors.power_usage(user=request.user, department=department)
    return render(
        request,
        "oversight/powers.html",
        {
            "department": department,
            "rows": rows,
            "form": form,
            "row_errors": row_errors,
            "idle_months": IDLE_MONTHS,
            "year": clock.today().year,
        },
        status=400 if row_errors or form.errors else 200,
    )


@login_required
def scheme(request: StaffRequest) -> HttpResponse:
    current = scoring.scheme_current()
    inds = indicators()
    initial: dict[str, object] = {
        "name": current.name,
        "praise_at": current.praise_at,
        "criticise_below": current.criticise_below,
    }
    for ind in inds:
        initial[f"w_{ind.code}"] = int(current.weight(ind.code))
        initial[f"t_{ind.code}"] = round(100 * current.target(ind.code, ind.target), 2)
    form = SchemeForm(request.POST or None, initial=initial, indicators=inds)
    if request.method == "POST":
        ensure_credit_office(request.user)
        if form.is_valid():
            try:
                saved = scheme_revise(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    entries=form.entries(),
                    praise_at=form.cleaned_data["praise_at"],
                    criticise_below=form.cleaned_data["criticise_below"],
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存为第 %(v)d 版") % {"v": saved.version})
                return redirect("oversight:scheme")
    return render(
        request,
        "oversight/scheme.html",
        {
            "current": current,
            "form": form,
            "versions": AssessmentScheme.objects.select_related("created_by")[:20],
            "rows": [(ind, form[f"w_{ind.code}"], form[f"t_{ind.code}"]) for ind in inds],
        },
        status=400 if form.errors else 200,
    )


# -- the portal (open government: the 通报 the credit office chose to publish) --------


@require_safe
def public_report_list(request: HttpRequest) -> HttpResponse:
    return render(request, "oversight/public_list.html", {"reports": selectors.reports_published()})


@_REPORT_CSP
@require_safe
def public_report_detail(request: HttpRequest, month: str) -> HttpResponse:
    return HttpResponse(selectors.report_get(Month.parse(month), public=True).html)


@require_safe
def public_report_pdf(request: HttpRequest, month: str) -> HttpResponse:
    return _pdf(selectors.report_get(Month.parse(month), public=True))


# -- the portal: 政务公开 · 月度数据 (/shuju/, the months the credit office published) --


@require_safe
def public_figures(request: HttpRequest) -> HttpResponse:
    """A published month's district totals and departments, with the trend."""
    published = open_data.published_months()
    text = request.GET.get("month", "")
    if not published:
        return render(request, "oversight/public_figures.html", {"figures": None})
    month = Month.parse(text) if text else published[0]
    figures = open_data.month_figures(month, published)
    return render(
        request,
        "oversight/public_figures.html",
        {
            "figures": figures,
            "months": published,
            "trend": charts.data_uri(open_data.trend_svg(published[0], published)),
            "trend_months": open_data.TREND_MONTHS,
        },
    )


@require_safe
def public_figures_csv(request: HttpRequest) -> HttpResponse:
    """Every published month as CSV (open data), UTF-8 with a BOM: a few
    hundred lines, made whole before the answer starts."""
    response = HttpResponse(
        "".join(open_data.csv_text(open_data.published_months())),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        "attachment; filename=\"figures.csv\"; filename*=UTF-8''%E6%9C%88%E5%BA%A6%E6%95%B0%E6%8D%AE.csv"
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
