"""Services of the core app: the official holiday schedule.

The State Council publishes each year's schedule (国务院办公厅关于YYYY年部分
节假日安排的通知) late in the year before. The `chinesecalendar` package only
knows the years up to its release, so the credit office imports each new
year here (`xinyong workdays import`, or by hand in the admin).

CSV format of a schedule (see also `core/data/README-calendar.md`):

    日期,类型,名称
    2027-01-01,休,元旦
    2027-02-06,班,春节

- a header row naming the columns `日期`, `类型` and optionally `名称`
  (English `date`, `kind`, `name` are accepted too), in any order;
- `日期`: `YYYY-MM-DD` or `YYYY/MM/DD` (month and day may have one digit);
- `类型`: `休` (a day off: the holiday and the rest days around it) or `班`
  (a make-up working Saturday/Sunday); `holiday`/`workday`, `休息`/`放假`,
  `上班`/`调休上班` are accepted too;
- `名称`: the holiday's name, optional, at most 50 characters;
- list only the days that differ from Monday–Friday (listing a day off that
  falls on a weekend, as the notices do, is fine);
- UTF-8 (with or without BOM) or GB18030/GBK as saved by Excel; empty lines
  and lines starting with `#` are skipped;
- every date belongs to the one year being imported.

Row numbers in error messages are those a spreadsheet shows: the header is
row 1. Nothing is imported when any row is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinyong.core import clock, workdays
from xinyong.core.audit import AuditActor, audit_record
from xinyong.core.audit_actions import CALENDAR_YEAR_IMPORT
from xinyong.core.errors import ApplicationError
from xinyong.core.models import CalendarDay, CalendarYear

# Years the platform accepts a schedule for (a guard against typos like 207).
MIN_YEAR, MAX_YEAR = 1949, 2999
MAX_REPORTED_ERRORS = 50

_KIND_WORDS = {
    "休": CalendarDay.Kind.HOLIDAY,
    "休息": CalendarDay.Kind.HOLIDAY,
    "放假": CalendarDay.Kind.HOLIDAY,
    "holiday": CalendarDay.Kind.HOLIDAY,
    "班": CalendarDay.Kind.WORKDAY,
    "上班": CalendarDay.Kind.WORKDAY,
    "调休上班": CalendarDay.Kind.WORKDAY,
    "workday": CalendarDay.Kind.WORKDAY,
}
_COLUMNS = {
    "日期": "date",
    "date": "date",
    "类型": "kind",
    "kind": "kind",
    "type": "kind",
    "名称": "name",
    "name": "name",
}
_FIELD_LABELS = {
    "date": gettext_lazy("日期"),
    "kind": gettext_lazy("类型"),
    "name": gettext_lazy("名称"),
}
# A CharField's max_length is always set (django-stubs types it int | None).
_NAME_MAX = cast(int, CalendarDay._meta.get_field("name").max_length)


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One day of a schedule that differs from Monday–Friday."""

    date: dt.date
    kind: str  # CalendarDay.Kind
    name: str = ""


@dataclass(frozen=True, slots=True)
class CalendarImportResult:
    calendar_year: CalendarYear
    holidays: int
    workdays: int
    replaced_days: int  # CalendarDay rows of that year removed first
    created: bool  # the year was not imported before
    overrides_package: bool  # the chinesecalendar package also has this year


def _row_error(row: int, field: str, message: str) -> dict[str, Any]:
    text = _("第%(row)d行“%(field)s”：%(message)s") % {
        "row": row,
        "field": _FIELD_LABELS[field],
        "message": message,
    }
    return {"row": row, "field": str(_FIELD_LABELS[field]), "message": text}


def _raise_errors(code: str, errors: list[dict[str, Any]], extra: list[str] | None = None) -> None:
    lines = [*(extra or []), *(e["message"] for e in errors[:MAX_REPORTED_ERRORS])]
    if len(errors) > MAX_REPORTED_ERRORS:
        lines.append(
            _("……另有%(count)d处错误未列出") % {"count": len(errors) - MAX_REPORTED_ERRORS}
        )
    count = len(errors) or len(extra or [])
    head = _("节假日安排有%(count)d处错误，未导入任何数据：") % {"count": count}
    raise ApplicationError(code, "\n".join([head, *lines]), {"errors": errors})


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ApplicationError(  # pragma: no cover - gb18030 decodes almost anything
        "calendar.csv_encoding", _("无法识别文件编码，请另存为 UTF-8 编码的 CSV 文件")
    )


def _weekday_error(day: dt.date) -> str:
    return _("%(date)s是%(weekday)s，本来就是工作日，不能标为调休上班") % {
        "date": day.isoformat(),
        "weekday": workdays.WEEKDAY_NAMES[day.weekday()],
    }


def calendar_csv_parse(data: bytes | str, *, year: int) -> list[CalendarEntry]:
    """Read a schedule file (format in the module docstring) for `year`.

    Raises ApplicationError `calendar.csv_invalid` listing every bad row, with
    `details["errors"]` as `[{"row", "field", "message"}]`.
    """
    text = _decode(data)
    records = list(csv.reader(io.StringIO(text, newline="")))

    header_at = None
    columns: dict[str, int] = {}
    for index, record in enumerate(records):
        cells = [c.strip().lstrip("\ufeff") for c in record]
        if not any(cells) or cells[0].startswith("#"):
            continue
        header_at = index
        for position, text in enumerate(cells):
            key = _COLUMNS.get(text.lower())
            if key and key not in columns:
                columns[key] = position
        break
    missing = [f for f in ("date", "kind") if f not in columns]
    if header_at is None or missing:
        row = (header_at or 0) + 1
        raise ApplicationError(
            "calendar.csv_header",
            _("第%(row)d行应为表头“日期,类型,名称”，缺少“%(columns)s”列")
            % {
                "row": row,
                "columns": "”“".join(str(_FIELD_LABELS[f]) for f in missing or ["date", "kind"]),
            },
        )

    errors: list[dict[str, Any]] = []
    entries: list[CalendarEntry] = []
    first_row_of: dict[dt.date, int] = {}
    other_years: set[int] = set()
    for index in range(header_at + 1, len(records)):
        row = index + 1
        cells = [c.strip() for c in records[index]]
        if not any(cells) or cells[0].startswith("#"):
            continue

        def cell(field: str, cells: list[str] = cells) -> str:
            position = columns.get(field)
            return cells[position] if position is not None and position < len(cells) else ""

        raw_date, raw_kind, name = cell("date"), cell("kind"), cell("name")
        row_errors = []
        day = None
        if not raw_date:
            row_errors.append(_row_error(row, "date", _("不能为空")))
        elif workdays.DATE_RE.match(raw_date) is None:
            row_errors.append(
                _row_error(
                    row,
                    "date",
                    _("“%(value)s”不是有效日期，应写作 YYYY-MM-DD 或 YYYY/MM/DD")
                    % {"value": raw_date},
                )
            )
        elif (day := workdays.parse_date(raw_date)) is None:
            row_errors.append(
                _row_error(row, "date", _("“%(value)s”不是有效日期") % {"value": raw_date})
            )
        elif day.year != year:
            other_years.add(day.year)
            row_errors.append(
                _row_error(
                    row,
                    "date",
                    _("%(date)s不属于%(year)d年") % {"date": day.isoformat(), "year": year},
                )
            )
        elif day in first_row_of:
            row_errors.append(
                _row_error(
                    row,
                    "date",
                    _("%(date)s与第%(first)d行重复")
                    % {"date": day.isoformat(), "first": first_row_of[day]},
                )
            )

        kind = _KIND_WORDS.get(raw_kind.lower())
        if not raw_kind:
            row_errors.append(_row_error(row, "kind", _("不能为空，应为“休”或“班”")))
        elif kind is None:
            row_errors.append(
                _row_error(row, "kind", _("“%(value)s”无效，应为“休”或“班”") % {"value": raw_kind})
            )
        elif kind == CalendarDay.Kind.WORKDAY and day is not None and day.weekday() < 5:
            row_errors.append(_row_error(row, "kind", _weekday_error(day)))

        if len(name) > _NAME_MAX:
            row_errors.append(
                _row_error(row, "name", _("不能超过%(max)d个字") % {"max": _NAME_MAX})
            )

        if day is not None and day not in first_row_of:
            first_row_of[day] = row
        if row_errors:
            errors.extend(row_errors)
        elif day is not None and kind is not None:
            entries.append(CalendarEntry(day, kind, name))

    extra = []
    if other_years:
        extra.append(
            _(
                "文件中有属于%(years)s的日期，而导入的是%(year)d年；"
                "一个文件只能包含一个年度的安排，请按年份分开导入"
            )
            % {
                "years": "、".join(_("%(year)d年") % {"year": y} for y in sorted(other_years)),
                "year": year,
            }
        )
    if errors:
        _raise_errors("calendar.csv_invalid", errors, extra)
    if not entries:
        raise ApplicationError("calendar.csv_empty", _("文件中没有任何日期，未导入任何数据"))
    return entries


def _validate_entries(
    year: int, days: Iterable[CalendarEntry | tuple[dt.date, str, str]]
) -> list[CalendarEntry]:
    entries = [d if isinstance(d, CalendarEntry) else CalendarEntry(*d) for d in days]
    errors = []
    seen = set()
    for entry in entries:
        label = entry.date.isoformat()
        if entry.date.year != year:
            message = _("%(date)s不属于%(year)d年") % {"date": label, "year": year}
        elif entry.date in seen:
            message = _("%(date)s重复") % {"date": label}
        elif entry.kind not in CalendarDay.Kind.values:
            message = _("%(date)s的类型“%(kind)s”无效") % {"date": label, "kind": entry.kind}
        elif entry.kind == CalendarDay.Kind.WORKDAY and entry.date.weekday() < 5:
            message = _weekday_error(entry.date)
        elif len(entry.name) > _NAME_MAX:
            message = _("%(date)s的名称不能超过%(max)d个字") % {"date": label, "max": _NAME_MAX}
        else:
            seen.add(entry.date)
            continue
        errors.append({"date": label, "message": message})
    if errors:
        _raise_errors("calendar.days_invalid", errors)
    if not entries:
        raise ApplicationError("calendar.days_empty", _("没有任何日期，未导入任何数据"))
    return sorted(entries, key=lambda e: e.date)


def _snapshot(year: int) -> dict[str, Any] | None:
    calendar_year = CalendarYear.objects.filter(year=year).first()
    days = CalendarDay.objects.filter(
        date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
    ).order_by("date")
    if calendar_year is None and not days:
        return None
    return {
        "source": calendar_year.source if calendar_year else None,
        "holiday": [f"{d.date.isoformat()} {d.name}".strip() for d in days if d.kind == "holiday"],
        "workday": [f"{d.date.isoformat()} {d.name}".strip() for d in days if d.kind == "workday"],
    }


def calendar_year_import(
    *,
    year: int,
    source: str,
    days: Iterable[CalendarEntry | tuple[dt.date, str, str]],
    actor: AuditActor | None = None,
    request: HttpRequest | None = None,
) -> CalendarImportResult:
    """Make `year` official with exactly these `days` (CalendarEntry or
    `(date, kind, name)` tuples), replacing any rows of that year.

    Once imported, the year's days come only from this table; the
    `chinesecalendar` package no longer counts for it.
    """
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ApplicationError(
            "calendar.year_invalid",
            _("年份“%(year)s”无效，应在%(min)d至%(max)d之间")
            % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR},
        )
    source = (source or "").strip()
    source_max = cast(int, CalendarYear._meta.get_field("source").max_length)
    if not source:
        raise ApplicationError(
            "calendar.source_required",
            _("请填写依据，如：国务院办公厅关于%(year)d年部分节假日安排的通知") % {"year": year},
        )
    if len(source) > source_max:
        raise ApplicationError(
            "calendar.source_too_long", _("依据不能超过%(max)d个字") % {"max": source_max}
        )
    entries = _validate_entries(year, days)

    try:
        with transaction.atomic():
            before = _snapshot(year)
            year_days = CalendarDay.objects.filter(
                date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
            )
            replaced, _counts = year_days.delete()
            CalendarDay.objects.bulk_create(
                [CalendarDay(date=e.date, kind=e.kind, name=e.name) for e in entries]
            )
            calendar_year, created = CalendarYear.objects.update_or_create(
                year=year, defaults={"source": source, "imported_at": clock.now()}
            )
            holidays = sum(e.kind == CalendarDay.Kind.HOLIDAY for e in entries)
            audit_record(
                actor=actor,
                action=CALENDAR_YEAR_IMPORT,
                obj=calendar_year,
                before=before,
                after=_snapshot(year),
                reason=source,
                request=request,
            )
            transaction.on_commit(workdays.reset_calendar_cache)
    finally:
        # Also on failure: a calendar built inside the rolled-back
        # transaction must not survive it.
        workdays.reset_calendar_cache()

    return CalendarImportResult(
        calendar_year=calendar_year,
        holidays=holidays,
        workdays=len(entries) - holidays,
        replaced_days=replaced,
        created=created,
        overrides_package=year in workdays.package_years(),
    )
