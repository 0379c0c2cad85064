"""The working-day calendar: package years, fallback years, imported years, the cache."""

import datetime as dt

import pytest
from django.utils import timezone

from xinyong.core import clock, services, workdays
from xinyong.core.audit import Actor, ActorKind
from xinyong.core.errors import ApplicationError
from xinyong.core.models import AuditLog, CalendarDay, CalendarYear
from xinyong.core.workdays import WorkdayResult, add_workdays, is_workday

D = dt.date
HOLIDAY, WORKDAY = CalendarDay.Kind.HOLIDAY, CalendarDay.Kind.WORKDAY
# A made-up 2027 schedule for the tests (NOT the official one): New Year's Day
# on Friday 2027-01-01, Saturday 2027-01-09 a make-up working day.
FAKE_2027 = [(D(2027, 1, 1), HOLIDAY, "元旦"), (D(2027, 1, 9), WORKDAY, "元旦")]
SOURCE_2027 = "测试用虚构安排（不是官方通知）"


@pytest.fixture(autouse=True)
def fresh_calendar():
    # The calendar is cached per process; a rolled-back test leaves no signal.
    workdays.reset_calendar_cache()
    yield
    workdays.reset_calendar_cache()


# -- package years -------------------------------------------------------------


@pytest.mark.django_db
def test_national_day_2025_seven_working_days():
    # 行政处罚法 art. 85: decision day not counted; 2025-10-01…08 off, 10-11 worked.
    result = add_workdays(D(2025, 9, 30), 7)
    assert result == WorkdayResult(D(2025, 10, 16), True, ())
    assert not is_workday(D(2025, 10, 8))
    assert is_workday(D(2025, 10, 11))  # Saturday, make-up working day


@pytest.mark.django_db
def test_spring_festival_2025_make_up_days():
    assert is_workday(D(2025, 1, 26))  # Sunday
    assert is_workday(D(2025, 2, 8))  # Saturday
    for day in range(28, 32):
        assert not is_workday(D(2025, 1, day))
    for day in range(1, 5):
        assert not is_workday(D(2025, 2, day))
    assert add_workdays(D(2025, 1, 24), 1).date == D(2025, 1, 26)
    assert add_workdays(D(2025, 1, 26), 1).date == D(2025, 1, 27)
    assert add_workdays(D(2025, 1, 27), 1).date == D(2025, 2, 5)
    assert add_workdays(D(2025, 2, 7), 1).date == D(2025, 2, 8)


@pytest.mark.django_db
def test_non_working_start_day_counts_from_the_next_working_day():
    # Decided on Sunday 2025-10-12: working day 1 is Monday 10-13.
    assert add_workdays(D(2025, 10, 12), 1).date == D(2025, 10, 13)
    assert add_workdays(D(2025, 10, 3), 1).date == D(2025, 10, 9)


@pytest.mark.django_db
def test_zero_and_negative_counts():
    assert add_workdays(D(2025, 10, 4), 0) == WorkdayResult(D(2025, 10, 4), True, ())
    assert add_workdays(D(2025, 10, 16), -7).date == D(2025, 9, 30)
    assert workdays.subtract_workdays(D(2025, 10, 16), 7).date == D(2025, 9, 30)
    # Saturday 2025-10-18: the first working day before it is Friday.
    assert add_workdays(D(2025, 10, 18), -1).date == D(2025, 10, 17)


@pytest.mark.django_db
def test_workdays_between_is_the_inverse_of_add():
    assert workdays.workdays_between(D(2025, 9, 30), D(2025, 10, 16)) == 7
    assert workdays.workdays_between(D(2025, 10, 16), D(2025, 9, 30)) == -7
    assert workdays.workdays_between(D(2025, 10, 1), D(2025, 10, 8)) == 0
    start = D(2024, 12, 20)
    for n in range(0, 80, 3):
        assert workdays.workdays_between(start, add_workdays(start, n).date) == n


@pytest.mark.django_db
def test_matches_package_for_every_package_year():
    import chinese_calendar

    day = D(2004, 1, 1)
    while day.year <= 2026:
        assert is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
    assert workdays.is_official_year(2004) and workdays.is_official_year(2026)


# -- years without official data ---------------------------------------------------


@pytest.mark.django_db
def test_2027_without_data_falls_back_to_weekdays():
    assert not workdays.is_official_year(2027)
    assert is_workday(D(2027, 1, 1))  # Friday: no crash, weekday rule
    assert not is_workday(D(2027, 1, 2))
    result = add_workdays(D(2026, 12, 25), 7)
    # 2026-12-28…31 (4), 2027-01-01, 01-04, 01-05.
    assert result == WorkdayResult(D(2027, 1, 5), False, (2027,))
    info = workdays.day_info(D(2027, 1, 1))
    assert info.official is False and info.source == workdays.Source.WEEKDAY


@pytest.mark.django_db
def test_only_the_counted_days_decide_whether_a_result_is_official():
    # Nothing counted, or a count that ends in 2026, never touches 2027.
    assert add_workdays(D(2026, 12, 31), 0).official
    assert add_workdays(D(2026, 12, 20), 3).official
    # Backwards from 2027 into 2026: 2027 days were counted.
    result = add_workdays(D(2027, 1, 5), -5)
    assert result.date == D(2026, 12, 29)
    assert result.unofficial_years == (2027,)


@pytest.mark.django_db
def test_far_years_and_range_limits():
    assert add_workdays(D(1990, 1, 1), 1) == WorkdayResult(D(1990, 1, 2), False, (1990,))
    result = add_workdays(D(2200, 1, 1), 5)  # Wednesday
    assert result.date == D(2200, 1, 8) and not result.official
    assert workdays.workdays_between(D(2200, 1, 1), D(2200, 1, 8)) == 5
    with pytest.raises(ApplicationError):
        add_workdays(D(9999, 12, 30), 5)


@pytest.mark.django_db
def test_datetime_is_refused():
    with pytest.raises(TypeError):
        add_workdays(dt.datetime(2025, 9, 30, 10, 0), 7)


def test_warning_text():
    assert workdays.unofficial_warning((2027,)) == (
        "注意：2027年尚无官方节假日安排，按周一至周五推算，结果非正式"
    )
    assert "2027年、2028年" in workdays.unofficial_warning([2027, 2028])


# -- imported years ------------------------------------------------------------------


@pytest.mark.django_db
def test_imported_2027_is_official_and_honoured():
    result = services.calendar_year_import(year=2027, source=SOURCE_2027, days=FAKE_2027)
    assert result.created and result.holidays == 1 and result.workdays == 1
    assert workdays.is_official_year(2027)
    assert not is_workday(D(2027, 1, 1))
    assert is_workday(D(2027, 1, 9))
    assert add_workdays(D(2026, 12, 31), 1) == WorkdayResult(D(2027, 1, 4), True, ())
    assert add_workdays(D(2027, 1, 8), 1).date == D(2027, 1, 9)
    assert add_workdays(D(2026, 12, 25), 7) == WorkdayResult(D(2027, 1, 6), True, ())
    info = workdays.day_info(D(2027, 1, 9))
    assert info.reason == workdays.Reason.MAKEUP and info.name == "元旦"
    assert info.source == workdays.Source.IMPORTED and info.official
    # 2028 still unofficial.
    assert add_workdays(D(2027, 12, 30), 3).unofficial_years == (2028,)


@pytest.mark.django_db
def test_imported_table_overrides_the_package_for_its_year():
    assert add_workdays(D(2025, 9, 30), 7).date == D(2025, 10, 16)
    # A (made-up) 2025 table with only 10-01…03 off and no make-up Saturday.
    days = [(D(2025, 10, d), HOLIDAY, "国庆节") for d in (1, 2, 3)]
    result = services.calendar_year_import(year=2025, source="测试", days=days)
    assert result.overrides_package
    assert not is_workday(D(2025, 10, 11))  # the package's make-up day is gone
    assert is_workday(D(2025, 10, 8))  # the package's holiday is gone
    assert is_workday(D(2025, 1, 26)) is False  # package Sunday make-up gone too
    # 10-06, 07, 08, 09, 10, 13, 14
    assert add_workdays(D(2025, 9, 30), 7) == WorkdayResult(D(2025, 10, 14), True, ())
    assert [y.source for y in workdays.official_years() if y.year == 2025] == ["imported"]
    # Other package years are untouched.
    assert is_workday(D(2024, 2, 4))  # 2024 Spring Festival make-up Sunday


@pytest.mark.django_db
def test_single_day_in_an_unregistered_year_changes_that_day_only():
    CalendarDay.objects.create(date=D(2027, 1, 1), kind=HOLIDAY, name="元旦")
    assert not is_workday(D(2027, 1, 1))
    result = add_workdays(D(2026, 12, 31), 1)
    assert result == WorkdayResult(D(2027, 1, 4), False, (2027,))
    assert workdays.day_info(D(2027, 1, 1)).source == workdays.Source.ADJUSTED
    # In a package year, the single day overrides the package for that day.
    CalendarDay.objects.create(date=D(2025, 10, 10), kind=HOLIDAY, name="测试")
    assert add_workdays(D(2025, 9, 30), 7).date == D(2025, 10, 17)
    assert add_workdays(D(2025, 9, 30), 7).official


@pytest.mark.django_db
def test_reimport_replaces_the_year_and_is_audited():
    services.calendar_year_import(year=2027, source=SOURCE_2027, days=FAKE_2027)
    second = services.calendar_year_import(
        year=2027,
        source=SOURCE_2027 + "（修订）",
        days=[services.CalendarEntry(D(2027, 1, 4), HOLIDAY, "测试")],
        actor=Actor(kind=ActorKind.SYSTEM, label="测试脚本"),
    )
    assert not second.created and second.replaced_days == 2
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [D(2027, 1, 4)]
    assert CalendarYear.objects.get().source.endswith("（修订）")
    assert is_workday(D(2027, 1, 1)) and not is_workday(D(2027, 1, 4))
    logs = list(AuditLog.objects.filter(action="calendar_year.import").order_by("id"))
    assert len(logs) == 2
    assert logs[0].before is None
    assert logs[1].before["holiday"] == ["2027-01-01 元旦"]
    assert logs[1].after == {
        "source": SOURCE_2027 + "（修订）",
        "holiday": ["2027-01-04 测试"],
        "workday": [],
    }
    assert logs[1].actor_label == "测试脚本"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "fragment"),
    [
        ([(D(2026, 12, 31), HOLIDAY, "")], "2026-12-31不属于2027年"),
        ([(D(2027, 1, 4), WORKDAY, "")], "2027-01-04是星期一，本来就是工作日"),
        ([(D(2027, 1, 1), HOLIDAY, ""), (D(2027, 1, 1), HOLIDAY, "")], "重复"),
        ([(D(2027, 1, 1), "off", "")], "类型“off”无效"),
        ([], "没有任何日期"),
    ],
)
def test_import_service_rejects_bad_days_and_writes_nothing(days, fragment):
    with pytest.raises(ApplicationError) as exc:
        services.calendar_year_import(year=2027, source=SOURCE_2027, days=days)
    assert fragment in exc.value.message
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="calendar").exists()


@pytest.mark.django_db
def test_import_service_requires_a_source_and_a_sane_year():
    with pytest.raises(ApplicationError, match="请填写依据"):
        services.calendar_year_import(year=2027, source=" ", days=FAKE_2027)
    with pytest.raises(ApplicationError, match="年份"):
        services.calendar_year_import(year=207, source="x", days=FAKE_2027)


# -- the cache ------------------------------------------------------------------------


@pytest.mark.django_db
def test_cache_is_invalidated_by_an_import():
    before = add_workdays(D(2026, 12, 31), 1)
    assert before == WorkdayResult(D(2027, 1, 1), False, (2027,))
    services.calendar_year_import(year=2027, source=SOURCE_2027, days=FAKE_2027)
    assert add_workdays(D(2026, 12, 31), 1) == WorkdayResult(D(2027, 1, 4), True, ())


@pytest.mark.django_db
def test_cache_is_invalidated_by_model_saves_and_deletes():
    calendar = workdays.get_calendar()
    assert workdays.get_calendar() is calendar
    year = CalendarYear.objects.create(year=2027, source="测试", imported_at=clock.now())
    assert workdays.is_official_year(2027)
    day = CalendarDay.objects.create(date=D(2027, 1, 1), kind=HOLIDAY)
    assert not is_workday(D(2027, 1, 1))
    day.kind = WORKDAY  # not a sensible row; only the signal matters here
    day.save()
    assert is_workday(D(2027, 1, 1))
    day.delete()
    year.delete()
    assert not workdays.is_official_year(2027)


@pytest.mark.django_db
def test_cached_calendar_needs_no_queries(django_assert_num_queries):
    add_workdays(D(2025, 1, 1), 7)
    with django_assert_num_queries(0):
        start = D(2025, 1, 1)
        for i in range(5000):
            add_workdays(start + dt.timedelta(days=i % 700), 7)
            is_workday(start + dt.timedelta(days=i % 700))


@pytest.mark.django_db
def test_cache_expires_for_other_processes(monkeypatch):
    calendar = workdays.get_calendar()
    monkeypatch.setattr(workdays, "CACHE_SECONDS", 0)
    assert workdays.get_calendar() is not calendar


@pytest.mark.django_db
def test_calendar_is_built_lazily_with_two_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        workdays.reset_calendar_cache()
        workdays.parse_date("2025-09-30")
    with django_assert_num_queries(2):  # CalendarYear, CalendarDay
        workdays.get_calendar()


# -- CSV ------------------------------------------------------------------------------


GOOD_CSV = """日期,类型,名称
# 测试用虚构日期，不是官方安排
2027-01-01,休,元旦

2027/1/9,班,元旦
2027-02-08,holiday,春节
2027-02-20,workday,
"""


def test_csv_parse_accepts_both_date_forms_and_kind_words():
    entries = services.calendar_csv_parse(GOOD_CSV.encode("utf-8-sig"), year=2027)
    assert entries == [
        services.CalendarEntry(D(2027, 1, 1), HOLIDAY, "元旦"),
        services.CalendarEntry(D(2027, 1, 9), WORKDAY, "元旦"),
        services.CalendarEntry(D(2027, 2, 8), HOLIDAY, "春节"),
        services.CalendarEntry(D(2027, 2, 20), WORKDAY, ""),
    ]


def test_csv_parse_gbk_and_reordered_columns():
    text = "名称,日期,类型\r\n元旦,2027-01-01,休\r\n"
    entries = services.calendar_csv_parse(text.encode("gbk"), year=2027)
    assert entries == [services.CalendarEntry(D(2027, 1, 1), HOLIDAY, "元旦")]


def _csv_errors(text: str, year: int = 2027) -> ApplicationError:
    with pytest.raises(ApplicationError) as exc:
        services.calendar_csv_parse(text, year=year)
    return exc.value


def test_csv_parse_names_row_and_field_of_each_error():
    error = _csv_errors(
        "日期,类型,名称\n2027-01-01,休,元旦\n2027-02-30,休,春节\n2027-01-04,班,\n"
        "20270105,休,\n2027-01-06,放风,\n2027-01-01,休,\n"
    )
    assert error.code == "calendar.csv_invalid"
    lines = error.message.splitlines()
    assert lines[0] == "节假日安排有5处错误，未导入任何数据："
    assert "第3行“日期”：“2027-02-30”不是有效日期" in lines
    assert "第4行“类型”：2027-01-04是星期一，本来就是工作日，不能标为调休上班" in lines
    assert any(line.startswith("第5行“日期”：“20270105”不是有效日期") for line in lines)
    assert "第6行“类型”：“放风”无效，应为“休”或“班”" in lines
    assert "第7行“日期”：2027-01-01与第2行重复" in lines
    assert {"row": 3, "field": "日期"}.items() <= error.details["errors"][0].items()


def test_csv_parse_rejects_other_years():
    error = _csv_errors("日期,类型\n2026-12-31,休\n2027-01-01,休\n2028-01-01,休\n")
    assert "文件中有属于2026年、2028年的日期，而导入的是2027年" in error.message
    assert "第2行“日期”：2026-12-31不属于2027年" in error.message
    assert "第4行“日期”：2028-01-01不属于2027年" in error.message


def test_csv_parse_header_and_empty_file():
    assert "缺少“类型”列" in _csv_errors("日期,名称\n2027-01-01,元旦\n").message
    assert "缺少“日期”“类型”列" in _csv_errors("").message
    assert _csv_errors("日期,类型,名称\n\n").code == "calendar.csv_empty"
    assert "不能为空" in _csv_errors("日期,类型\n,休\n").message


# -- admin ----------------------------------------------------------------------------


@pytest.fixture
def superuser(admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    return admin_user


@pytest.mark.django_db
def test_admin_adds_a_day_audits_it_and_refreshes_the_calendar(client_as, superuser):
    client = client_as(superuser)
    assert is_workday(D(2027, 1, 1))
    response = client.post(
        "/admin/core/calendarday/add/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    assert response.status_code == 302, response.content.decode()
    assert not is_workday(D(2027, 1, 1))
    log = AuditLog.objects.get(action="calendar_day.create")
    assert log.after == {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    assert log.actor == superuser

    response = client.post(
        "/admin/core/calendarday/add/", {"date": "2027-01-04", "kind": "workday", "name": ""}
    )
    assert response.status_code == 200
    assert "本来就是工作日" in response.content.decode()

    assert client.get("/admin/core/calendarday/").status_code == 200


@pytest.mark.django_db
def test_admin_adds_a_year(client_as, superuser, pin_today):
    pin_today("2026-12-01")
    client = client_as(superuser)
    response = client.post("/admin/core/calendaryear/add/", {"year": "2027", "source": "测试"})
    assert response.status_code == 302, response.content.decode()
    year = CalendarYear.objects.get()
    assert timezone.localtime(year.imported_at).date() == D(2026, 12, 1)
    assert workdays.is_official_year(2027)
    assert AuditLog.objects.filter(action="calendar_year.create").exists()
    page = client.get("/admin/core/calendaryear/")
    assert page.status_code == 200 and "节假日年度安排" in page.content.decode()


@pytest.mark.django_db
def test_audit_log_admin_is_read_only(client_as, superuser):
    services.calendar_year_import(year=2027, source=SOURCE_2027, days=FAKE_2027)
    log = AuditLog.objects.get(action="calendar_year.import")
    client = client_as(superuser)
    listing = client.get("/admin/core/auditlog/?action=calendar_year.import&q=2027")
    assert listing.status_code == 200
    assert "calendar_year.import" in listing.content.decode()
    assert client.get("/admin/core/auditlog/add/").status_code == 403
    assert client.get(f"/admin/core/auditlog/{log.pk}/delete/").status_code == 403
    detail = client.get(f"/admin/core/auditlog/{log.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    client.post(f"/admin/core/auditlog/{log.pk}/change/", {"action": "x"})
    log.refresh_from_db()
    assert log.action == "calendar_year.import"
