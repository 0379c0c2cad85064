"""Cases: from feedback by template, review, publication, quotas."""

import datetime as dt

import pytest

from lists.factories import ListEntryFactory, fed_record
from orgs.factories import DepartmentFactory
from sanctions.factories import CaseFactory, CheckFactory, FeedbackFactory
from subjects.factories import SubjectFactory
from xinyong.core import clock
from xinyong.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from xinyong.lists.models import ListType
from xinyong.sanctions.models import Case
from xinyong.sanctions.selectors import quotas
from xinyong.sanctions.services.cases import (
    case_create,
    case_publish,
    case_return,
    case_submit,
    case_template,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback(officer):
    return FeedbackFactory(check_run=CheckFactory(department=officer.department, officer=officer))


def test_template_from_feedback(feedback):
    text = case_template(feedback)
    assert "失信被执行人" in text["title"] and "实施联合惩戒" in text["title"]
    assert text["subject_display"] == "神农架林区某某建材有限公司"
    assert "政府采购项目 SNJ-2026-001" in text["facts"] and "(2025)鄂9021执1号" in text["facts"]
    assert "发改财金〔2016〕141号" in text["measures"]
    assert text["effect"] == feedback.result


def test_a_person_is_masked_in_the_template(officer):
    check = CheckFactory(department=officer.department, officer=officer)
    check.hits[0]["subject"] = {"id": 1, "name": "张三丰", "kind": "person"}
    check.save()
    text = case_template(FeedbackFactory(check_run=check))
    assert text["subject_display"] == "张**" and "张三丰" not in text["facts"]


def test_the_whole_path_to_the_portal(client, officer, admin_user, feedback):
    case = case_create(actor=officer, feedback=feedback)
    assert case.status == Case.Status.DRAFT and case.department == officer.department
    with pytest.raises(PermissionDeniedError):
        case_publish(actor=officer, case=case)
    with pytest.raises(ApplicationError, match="待审核"):
        case_publish(actor=admin_user, case=case)
    case = case_submit(actor=officer, case=case)
    with pytest.raises(ApplicationError, match="原因"):
        case_return(actor=admin_user, case=case, note="")
    case = case_return(actor=admin_user, case=case, note="请补充取得的成效")
    assert case.status == Case.Status.RETURNED
    assert client.get(f"/education/cases/{case.pk}/").status_code == 404
    case = case_submit(actor=officer, case=case)
    case = case_publish(actor=admin_user, case=case)
    assert case.status == Case.Status.PUBLISHED and case.published_on == clock.today()
    page = client.get("/education/cases/").content.decode()
    assert case.title in page
    detail = client.get(f"/education/cases/{case.pk}/").content.decode()
    assert case.facts in detail


def test_another_department_cannot_write_from_our_feedback(other_clerk, feedback):
    with pytest.raises(NotFoundError):
        case_create(actor=other_clerk, feedback=feedback)


def test_quotas_per_department_and_share_of_entries(department, other_department):
    year = clock.today().year
    today = clock.today()
    for _n in range(3):
        CaseFactory(
            feedback=FeedbackFactory(check_run=CheckFactory(department=department)),
            status=Case.Status.PUBLISHED, published_on=today,
        )  # fmt: skip
    CaseFactory(feedback=FeedbackFactory(check_run=CheckFactory(department=other_department)))
    # 25 entries listed this year (20 decided here, 5 fed by the court): at least 3 cases.
    wages = ListType.objects.get(code="TQNMGGZ")
    for _n in range(20):
        ListEntryFactory(list_type=wages, listed_on=dt.date(year, 1, 2))
    ListEntryFactory(list_type=wages, listed_on=dt.date(year - 1, 12, 31))  # last year
    for _n in range(5):
        fed_record(subject=SubjectFactory(), decided=dt.date(year, 1, 3))
    q = quotas(year=year, department_ids=[department.pk, other_department.pk])
    by_id = {d.department_id: d for d in q.departments}
    assert by_id[department.pk].published == 3 and by_id[department.pk].met
    assert by_id[other_department.pk].published == 0 and not by_id[other_department.pk].met
    assert q.list_entries == 25 and q.cases_target == 3 and q.cases == 3 and q.cases_met
    DepartmentFactory()  # one more department, no case: shown with 0 of 3
    assert any(d.published == 0 for d in quotas(year=year).departments)


def test_staff_home_shows_quotas(client_as, officer, department):
    page = client_as(officer).get("/staff/").content.decode()
    assert "联合奖惩案例任务" in page and department.name in page and "0 / 3" in page
