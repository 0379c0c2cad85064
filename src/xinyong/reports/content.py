"""What a report says: its sections, read from the apps below, as plain data the template
prints. One function per kind (`general_content`, `special_content`); a natural person's
report has the general sections with the person's masked identifiers.

Sections follow 《公共信用信息报告标准》(国家公共信用信息中心, 2022): cover, statement,
overview, 基础信息, 行政许可, 行政处罚, 严重失信主体名单 (list entries), 信用承诺, 守信激励,
and a note on objections and repair.

Rules of the kinds on repaired information (国家发展改革委令第36号, 国办发〔2025〕22号):

- general and person reports show what is in force today only: records inside their
  disclosure window, neither withdrawn nor ended (repaired = 终止公示, or expired), list
  entries in force; repaired items are left out, and the note says how many were;
- a 专项信用报告 (发改财金〔2025〕565号) lists every penalty and listing of the span in
  the chosen areas; one whose publication has ended (repaired or expired) or a listing
  removed early (by repair) is marked 已修复 and does not count against the subject;
  a withdrawn decision (行政处罚法 art. 48) is left out, as it never stood.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.masking import mask_person_name
from xinyong.lists.models import ListEntry, ListType
from xinyong.lists.selectors import EntryView, entries_in_force
from xinyong.orgs.models import Department
from xinyong.records.models import Record, RecordQuerySet
from xinyong.records.selectors.public import KINDS, public_view
from xinyong.reports.models import Report
from xinyong.rights.models import Objection
from xinyong.subjects.models import Subject, SubjectIdentifier

LICENCE_ITEM = KINDS["licences"].item_code
PENALTY_ITEM = KINDS["penalties"].item_code
# Rows printed per section at most; the overview gives the full count.
SECTION_ROWS = 200
CHART_YEARS = 5


@dataclass(slots=True)
class Section:
    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    total: int = 0
    note: str = ""


@dataclass(slots=True)
class Bar:
    label: str
    licences: int
    penalties: int


@dataclass(slots=True)
class Content:
    kind: str
    title: str
    subject_name: str
    subject_kind: str
    subject_code: str
    basics: list[tuple[str, str]]
    sections: list[Section]
    notes: list[str]
    chart: list[Bar] = field(default_factory=list)
    conclusion: str = ""
    scope: list[tuple[str, str]] = field(default_factory=list)

    def section_titles(self) -> list[str]:
        return [s.title for s in self.sections]


# -- commitments -------------------------------------------------------------------------

CommitmentSource = Callable[[Subject], list[list[str]]]
# Readers of a subject's credit commitments (信用承诺, 国办发〔2019〕35号): each returns
# rows of (承诺类型, 承诺事由, 承诺日期, 履约状态): `reports.sources` adds rights' commitments
# (connected in ReportsConfig.ready).
COMMITMENT_SOURCES: list[CommitmentSource] = []
COMMITMENT_COLUMNS = ["承诺类型", "承诺事由", "承诺日期", "履约状态"]


def commitments_for(subject: Subject) -> list[list[str]]:
    rows: list[list[str]] = []
    for source in COMMITMENT_SOURCES:
        rows.extend(source(subject))
    return rows


# -- helpers -----------------------------------------------------------------------------


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _subject_basics(subject: Subject) -> tuple[str, str, list[tuple[str, str]]]:
    """The name, the code and the 基础信息 rows; a person's ID number masked."""
    person = subject.kind == Subject.Kind.PERSON
    code = (subject.id_masked if person else subject.uscc) or ""
    basics = [
        (_("名称") if not person else _("姓名"), subject.name),
        (_("主体类别"), subject.get_kind_display()),
        (_("证件号码（遮蔽）") if person else _("统一社会信用代码"), code or "—"),
    ]
    identifiers = SubjectIdentifier.objects.filter(subject=subject).order_by("kind", "value")
    for identifier in identifiers:
        basics.append((identifier.get_kind_display(), identifier.value))
    basics.append((_("登记入库时间"), timezone.localtime(subject.created_at).date().isoformat()))
    return subject.name, code, basics


def _records(subject: Subject, item_code: str, *, person: bool) -> QuerySet[Record]:
    """In force today: public records for an organisation; for a person's own report,
    every record shown (inside its window, not withdrawn, not ended), public or not."""
    qs: RecordQuerySet = Record.objects.filter(subject=subject, item__code=item_code)
    if person:
        today = clock.today()
        qs = qs.filter(
            Q(disclosure_end__isnull=True) | Q(disclosure_end__gte=today),
            status=Record.Status.ACTIVE,
            unpublish_reason="",
        )
    else:
        qs = qs.publicly_visible()
    return qs.select_related("item", "department", "subject", "version").order_by(
        "-decision_date", "-id"
    )


def _record_rows(records: list[Record], *, penalties: bool) -> list[list[str]]:
    rows = []
    for record in records[:SECTION_ROWS]:
        view = public_view(record)
        last = view.public_until_text if penalties else (view.licence_status or "—")
        disputed = _("异议处理中") if view.disputed else ""
        rows.append(
            [
                view.doc_number,
                view.category or "—",
                _date(view.decision_date),
                view.department_name,
                last,
                disputed,
            ]
        )
    return rows


def _entry_rows(entries: list[EntryView]) -> list[list[str]]:
    return [
        [
            e.list_name,
            e.decider,
            e.document_number or "—",
            _date(e.listed_on),
            _date(e.valid_until) if e.valid_until else _("至移出为止"),
            e.removal_conditions or "—",
        ]
        for e in entries
    ]


LIST_COLUMNS = ["名单", "认定部门", "文书号", "列入日期", "有效期至", "移出条件"]


def _chart(records: list[Record]) -> list[Bar]:
    this_year = clock.today().year
    years = list(range(this_year - CHART_YEARS + 1, this_year + 1))
    counts: Counter[tuple[int, str]] = Counter()
    for record in records:
        if record.decision_date is not None:
            counts[(record.decision_date.year, record.item.code)] += 1
    return [Bar(str(y), counts[(y, LICENCE_ITEM)], counts[(y, PENALTY_ITEM)]) for y in years]


def _objection_notes(subject: Subject) -> list[str]:
    open_objections = Objection.objects.filter(
        record__subject=subject, status__in=[*Objection.OPEN_ACCEPTED, Objection.Status.FILED]
    ).select_related("record")
    return [
        _("记录 %(doc)s 存在异议，正在处理（受理编号 %(number)s）。")
        % {"doc": o.record.doc_number, "number": o.number}
        for o in open_objections
    ]


# -- kinds -------------------------------------------------------------------------------


def general_content(subject: Subject, *, kind: str = Report.Kind.GENERAL) -> Content:
    """法人和非法人组织 (and, with kind=person, 自然人) public credit information report."""
    person = kind == Report.Kind.PERSON
    name, code, basics = _subject_basics(subject)
    licences = list(_records(subject, LICENCE_ITEM, person=person))
    penalties = list(_records(subject, PENALTY_ITEM, person=person))
    entries = entries_in_force(subject_ids=[subject.pk])
    black = [e for e in entries if e.kind != ListType.Kind.RED]
    red = [e for e in entries if e.kind == ListType.Kind.RED]
    commitments = commitments_for(subject)
    record_columns = ["决定文书号", "类别", "决定日期", "决定机关"]
    sections = [
        Section("basics", _("基础信息"), [_("项目"), _("内容")], [[k, v] for k, v in basics]),
        Section(
            "licences",
            _("行政许可信息"),
            [*record_columns, "许可状态", "异议"],
            _record_rows(licences, penalties=False),
            total=len(licences),
        ),
        Section(
            "penalties",
            _("行政处罚信息"),
            [*record_columns, "公示截止日期", "异议"],
            _record_rows(penalties, penalties=True),
            total=len(penalties),
        ),
        Section(
            "lists",
            _("严重失信主体名单信息"),
            LIST_COLUMNS,
            _entry_rows(black),
            total=len(black),
        ),
        Section(
            "commitments",
            _("信用承诺信息"),
            COMMITMENT_COLUMNS,
            commitments,
            total=len(commitments),
        ),
        Section("rewards", _("守信激励信息"), LIST_COLUMNS, _entry_rows(red), total=len(red)),
    ]
    removed = ListEntry.objects.filter(subject=subject, status=ListEntry.Status.REMOVED).count()
    ended = (
        Record.objects.filter(subject=subject, status=Record.Status.ACTIVE)
        .exclude(unpublish_reason="")
        .count()
    )
    notes = _objection_notes(subject)
    notes.append(
        _(
            "已信用修复、公示期满或被撤回的信息不在本报告中展示"
            "（本主体有 %(ended)s 条记录已停止公示、%(removed)s 条名单已移出）。"
        )
        % {"ended": ended, "removed": removed}
    )
    notes.append(
        _(
            "对本报告内容有异议的，可在信用神农架网站或服务窗口提出异议申请；符合条件的可申请信用修复。"
        )
    )
    return Content(
        kind=kind,
        title=str(Report.Kind(kind).label),
        subject_name=name,
        subject_kind=subject.get_kind_display(),
        subject_code=code,
        basics=basics,
        sections=sections,
        notes=notes,
        chart=_chart(licences + penalties),
    )


def special_content(subject: Subject, *, years: int, areas: list[str]) -> Content:
    """专项信用报告: penalties and listings of the last `years` years in the chosen areas
    (department short codes; empty: every area), repaired ones marked 已修复."""
    name, code, basics = _subject_basics(subject)
    today = clock.today()
    since = _years_before(today, years)
    departments = Department.objects.filter(short_code__in=areas) if areas else None
    records = Record.objects.filter(
        subject=subject,
        item__code=PENALTY_ITEM,
        decision_date__gte=since,
        decision_date__lte=today,
        status=Record.Status.ACTIVE,  # withdrawn decisions never stood; staged are not yet
    )
    entries = ListEntry.objects.filter(
        Q(listed_on__gte=since) | Q(status=ListEntry.Status.DECIDED),
        subject=subject,
        list_type__kind__in=[ListType.Kind.BLACK, ListType.Kind.WATCH],
        status__in=[ListEntry.Status.DECIDED, ListEntry.Status.REMOVED, ListEntry.Status.EXPIRED],
        listed_on__lte=today,
    )
    if departments is not None:
        records = records.filter(department__in=departments)
        entries = entries.filter(decided_by__in=departments)
    counted = 0
    penalty_rows: list[list[str]] = []
    for record in records.select_related("item", "department", "subject", "version").order_by(
        "-decision_date", "-id"
    ):
        view = public_view(record)
        repaired = bool(record.unpublish_reason) or (
            record.disclosure_end is not None and record.disclosure_end < today
        )
        counted += not repaired
        penalty_rows.append(
            [
                view.doc_number,
                view.category or "—",
                _date(view.decision_date),
                view.department_name,
                _("已修复") if repaired else _("公示中"),
            ]
        )
    entry_rows: list[list[str]] = []
    for entry in entries.select_related("list_type", "decided_by").order_by("-listed_on"):
        repaired = entry.status != ListEntry.Status.DECIDED or not entry.in_force_on(today)
        counted += not repaired
        entry_rows.append(
            [
                entry.list_type.name,
                entry.decided_by.name,
                entry.document_number,
                _date(entry.listed_on),
                _("已修复") if repaired else _("列入中"),
            ]
        )
    area_names = (
        "、".join(d.name for d in departments.order_by("name")) if departments is not None else ""
    ) or _("全部领域")
    scope = [
        (_("查询期间"), f"{since.isoformat()} 至 {today.isoformat()}（{years} 年）"),
        (_("查询领域"), area_names),
        (_("查询内容"), _("行政处罚（含简易程序）、严重失信主体名单")),
    ]
    if counted:
        conclusion = _(
            "经查询，该主体在上述期间和领域内存在 %(n)s 条违法违规或失信记录，详见下表。"
        ) % {"n": counted}
    else:
        conclusion = _(
            "经查询，该主体在上述期间和领域内未发现违法违规或失信记录"
            "（标注“已修复”的信息不作为违法违规记录）。"
        )
    sections = [
        Section("basics", _("基础信息"), [_("项目"), _("内容")], [[k, v] for k, v in basics]),
        Section(
            "penalties",
            _("行政处罚信息"),
            ["决定文书号", "类别", "决定日期", "决定机关", "状态"],
            penalty_rows,
            total=len(penalty_rows),
        ),
        Section(
            "lists",
            _("严重失信主体名单信息"),
            ["名单", "认定部门", "文书号", "列入日期", "状态"],
            entry_rows,
            total=len(entry_rows),
        ),
    ]
    notes = _objection_notes(subject)
    notes.append(_("本报告依据发改财金〔2025〕565号出具，可替代相关领域的无违法违规证明。"))
    return Content(
        kind=Report.Kind.SPECIAL,
        title=str(Report.Kind.SPECIAL.label),
        subject_name=name,
        subject_kind=subject.get_kind_display(),
        subject_code=code,
        basics=basics,
        sections=sections,
        notes=notes,
        conclusion=conclusion,
        scope=scope,
    )


def public_label(subject: Subject) -> tuple[str, str]:
    """What the verification page may show of the subject: name and code, a person's
    both masked."""
    if subject.kind == Subject.Kind.PERSON:
        return mask_person_name(subject.name), subject.id_masked or ""
    return subject.name, subject.uscc or ""
