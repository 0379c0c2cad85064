"""Admin for the holiday table (edited by the credit office) and the audit log (read only)."""

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import admin
from django.db.models import Exists, F, Func, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from xinyong.core import clock, workdays
from xinyong.core.audit import AuditAction, audit_record
from xinyong.core.audit_actions import (
    CALENDAR_DAY_CHANGE,
    CALENDAR_DAY_CREATE,
    CALENDAR_DAY_DELETE,
    CALENDAR_YEAR_CHANGE,
    CALENDAR_YEAR_CREATE,
    CALENDAR_YEAR_DELETE,
    TAG_CHANGE,
    TAG_CREATE,
    TAG_DELETE,
)
from xinyong.core.models import AuditLog, CalendarDay, CalendarYear, Tag

_M = TypeVar("_M", bound=Model)


def _year_state(obj: CalendarYear) -> dict[str, Any]:
    return {"year": obj.year, "source": obj.source}


def _day_state(obj: CalendarDay) -> dict[str, Any]:
    return {"date": obj.date.isoformat(), "kind": obj.kind, "name": obj.name}


@dataclass(frozen=True)
class AdminAuditActions:
    create: AuditAction
    change: AuditAction
    delete: AuditAction


class AuditedAdmin(admin.ModelAdmin[_M], Generic[_M]):
    """Writes an audit row for every add, change and delete made in the admin,
    with the actions the admin declares (`audit_actions`)."""

    audit_actions: AdminAuditActions

    def state(self, obj: _M) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: _M, form: forms.Form, change: bool) -> None:
        before = None
        if change and obj.pk:
            before = self.state(type(obj)._default_manager.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        audit_record(
            action=self.audit_actions.change if change else self.audit_actions.create,
            obj=obj,
            before=before,
            after=self.state(obj),
            reason=gettext("管理后台"),
            request=request,
        )

    def delete_model(self, request: HttpRequest, obj: _M) -> None:
        state, pk, label = self.state(obj), obj.pk, str(obj)
        super().delete_model(request, obj)
        audit_record(
            action=self.audit_actions.delete,
            object_id=pk,
            object_label=label,
            before=state,
            reason=gettext("管理后台"),
            request=request,
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[_M]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class CalendarYearForm(forms.ModelForm[CalendarYear]):
    class Meta:
        model = CalendarYear
        fields = ["year", "source"]

    def clean_year(self) -> int:
        from xinyong.core.services import MAX_YEAR, MIN_YEAR

        year: int = self.cleaned_data["year"]
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise forms.ValidationError(
                gettext("年份应在%(min)d至%(max)d之间") % {"min": MIN_YEAR, "max": MAX_YEAR}
            )
        return year


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin[CalendarYear]):
    audit_actions = AdminAuditActions(
        create=CALENDAR_YEAR_CREATE, change=CALENDAR_YEAR_CHANGE, delete=CALENDAR_YEAR_DELETE
    )
    form = CalendarYearForm
    list_display = ["year", "source", "holiday_count", "workday_count", "imported_at"]
    search_fields = ["source"]
    readonly_fields = ["imported_at"]
    fieldsets = [
        (
            None,
            {
                "fields": ["year", "source", "imported_at"],
                "description": _(
                    "列在这里的年份视为有官方节假日安排：该年度哪些日子放假、哪些周末调休上班，"
                    "完全以“节假日与调休”中的记录为准，不再使用软件包内置数据。"
                    "请先在“节假日与调休”中录入该年度的全部日期，或使用命令 "
                    "xinyong workdays import 一次导入。"
                ),
            },
        )
    ]

    def state(self, obj: CalendarYear) -> dict[str, Any]:
        return _year_state(obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarYear]:
        # The day counts of every listed year in the one list query (no N+1).
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_holidays=_day_count(CalendarDay.Kind.HOLIDAY),
                n_workdays=_day_count(CalendarDay.Kind.WORKDAY),
            )
        )

    @admin.display(description=_("休息日数"), ordering="n_holidays")
    def holiday_count(self, obj: CalendarYear) -> int:
        n: int = getattr(obj, "n_holidays")  # noqa: B009 - annotated by get_queryset
        return n

    @admin.display(description=_("调休上班日数"), ordering="n_workdays")
    def workday_count(self, obj: CalendarYear) -> int:
        n: int = getattr(obj, "n_workdays")  # noqa: B009 - annotated by get_queryset
        return n

    def save_model(
        self, request: HttpRequest, obj: CalendarYear, form: forms.Form, change: bool
    ) -> None:
        if not change or "year" in form.changed_data:
            obj.imported_at = clock.now()
        super().save_model(request, obj, form, change)


def _day_count(kind: str) -> Subquery:
    # SELECT COUNT(id) FROM core_calendarday WHERE year(date) = outer.year AND kind = %s
    days = (
        CalendarDay.objects.filter(date__year=OuterRef("year"), kind=kind)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Subquery(days, output_field=IntegerField())


class CalendarDayForm(forms.ModelForm[CalendarDay]):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        day, kind = cleaned.get("date"), cleaned.get("kind")
        if day and kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
            self.add_error(
                "kind",
                gettext("%(date)s是%(weekday)s，本来就是工作日，不能标为调休上班")
                % {"date": day.isoformat(), "weekday": workdays.WEEKDAY_NAMES[day.weekday()]},
            )
        return cleaned


class YearListFilter(admin.SimpleListFilter):
    title = _("年份")
    parameter_name = "year"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), gettext("%(year)d年") % {"year": d.year}) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin[CalendarDay]):
    audit_actions = AdminAuditActions(
        create=CALENDAR_DAY_CREATE, change=CALENDAR_DAY_CHANGE, delete=CALENDAR_DAY_DELETE
    )
    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "name", "year_status"]
    list_filter = [YearListFilter, "kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    fieldsets = [
        (
            None,
            {
                "fields": ["date", "kind", "name"],
                "description": _(
                    "只需录入与“周一至周五上班”规则不同的日子：放假的日子选“法定节假日（休息）”，"
                    "调休上班的星期六、星期日选“调休上班”。该年份须在“节假日年度安排”中登记后，"
                    "整个年度才按官方安排计算；未登记的年份，这里的记录只改变单个日期。"
                ),
            },
        )
    ]

    def state(self, obj: CalendarDay) -> dict[str, Any]:
        return _day_state(obj)

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> StrOrPromise:
        return workdays.WEEKDAY_NAMES[obj.date.weekday()]

    @admin.display(description=_("年度安排"))
    def year_status(self, obj: CalendarDay) -> str:
        if getattr(obj, "year_registered"):  # noqa: B009 - annotated by get_queryset
            return gettext("已登记")
        return gettext("未登记（仅改变该日）")

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarDay]:
        # Whether the day's year is registered, in the list query itself.
        registered = CalendarYear.objects.filter(year=ExtractYear(OuterRef("date")))
        return super().get_queryset(request).annotate(year_registered=Exists(registered))


@admin.register(Tag)
class TagAdmin(AuditedAdmin[Tag]):
    """The topics of articles and cases; `search_fields` serves the
    autocomplete of the article editor."""

    list_display = ["name"]
    search_fields = ["name"]
    audit_actions = AdminAuditActions(create=TAG_CREATE, change=TAG_CHANGE, delete=TAG_DELETE)

    def state(self, obj: Tag) -> dict[str, Any]:
        return {"name": obj.name}


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin[AuditLog]):
    """The audit log, read only: nobody adds, changes or deletes a row."""

    list_display = ["at", "actor_kind", "actor_label", "action_label", "object_label", "ip"]
    list_filter = ["actor_kind", "action", "object_type"]
    search_fields = ["object_label", "object_id", "actor_label", "actor__username", "reason"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    readonly_fields = [
        "at",
        "actor_kind",
        "actor",
        "actor_token_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "before",
        "after",
        "reason",
        "ip",
    ]
    actions = None

    @admin.display(description=_("操作"), ordering="action")
    def action_label(self, obj: AuditLog) -> str:
        return obj.action_label

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditLog | None = None) -> bool:
        return False
