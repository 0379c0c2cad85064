"""Tags of cases: the department proposes, the credit office decides at
publication (or later); the audit rows keep the tag names."""

import pytest

from sanctions.factories import CheckFactory, FeedbackFactory
from xinyong.core.errors import ApplicationError, PermissionDeniedError
from xinyong.core.models import AuditLog, Tag
from xinyong.sanctions.models import Case
from xinyong.sanctions.services.cases import case_create, case_publish, case_retag, case_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback(officer):
    return FeedbackFactory(check_run=CheckFactory(department=officer.department, officer=officer))


@pytest.fixture
def tags(db):
    return {name: Tag.objects.create(name=name) for name in ("失信惩戒", "拖欠工资", "食品药品")}


def _names(case: Case) -> set[str]:
    return {t.name for t in case.tags.all()}


def test_proposed_by_the_department_decided_by_the_credit_office(
    officer, admin_user, feedback, tags, client
):
    case = case_create(actor=officer, feedback=feedback, tags=[tags["食品药品"]])
    assert AuditLog.objects.get(action="case.create").after == {"tags": ["食品药品"]}
    case = case_submit(actor=officer, case=case)
    # A proposal is not public: the case is not published yet.
    assert case.title not in client.get(f"/tags/{tags['食品药品'].pk}/").content.decode()
    case = case_publish(actor=admin_user, case=case, tags=[tags["失信惩戒"], tags["拖欠工资"]])
    assert _names(case) == {"失信惩戒", "拖欠工资"}
    row = AuditLog.objects.get(action="case.publish")
    assert row.before == {"tags": ["食品药品"]} and row.after == {"tags": ["失信惩戒", "拖欠工资"]}
    assert case.title in client.get(f"/tags/{tags['拖欠工资'].pk}/").content.decode()
    assert case.title not in client.get(f"/tags/{tags['食品药品'].pk}/").content.decode()


def test_publishing_without_a_choice_keeps_the_proposal(officer, admin_user, feedback, tags):
    case = case_submit(
        actor=officer, case=case_create(actor=officer, feedback=feedback, tags=[tags["食品药品"]])
    )
    assert _names(case_publish(actor=admin_user, case=case)) == {"食品药品"}


def test_retag_is_the_credit_offices_and_audited(officer, admin_user, feedback, tags):
    case = case_create(actor=officer, feedback=feedback)
    with pytest.raises(ApplicationError, match="待审核或已发布"):
        case_retag(actor=admin_user, case=case, tags=[tags["食品药品"]])
    case = case_publish(actor=admin_user, case=case_submit(actor=officer, case=case), tags=[])
    with pytest.raises(PermissionDeniedError):
        case_retag(actor=officer, case=case, tags=[tags["食品药品"]])
    case_retag(actor=admin_user, case=case, tags=[tags["食品药品"]])
    row = AuditLog.objects.get(action="case.retag")
    assert row.before == {"tags": []} and row.after == {"tags": ["食品药品"]}
    with pytest.raises(ApplicationError, match="没有变化"):
        case_retag(actor=admin_user, case=case, tags=[tags["食品药品"]])
    # The audit row keeps the name even after the tag is renamed.
    tags["食品药品"].name = "食品安全"
    tags["食品药品"].save()
    assert AuditLog.objects.get(action="case.retag").after == {"tags": ["食品药品"]}


def test_the_staff_pages(client_as, officer, admin_user, feedback, tags, client):
    staff = client_as(officer)
    form = staff.get(f"/staff/cases/new/{feedback.pk}/").content.decode()
    assert "建议标签" in form and "食品药品" in form
    answer = staff.post(
        f"/staff/cases/new/{feedback.pk}/",
        {
            "title": "某公司拖欠工资被联合惩戒",
            "subject_display": "某公司",
            "facts": "案情",
            "measures": "措施",
            "effect": "成效",
            "tags": [tags["拖欠工资"].pk],
        },
    )
    case = Case.objects.get()
    assert answer.status_code == 302 and _names(case) == {"拖欠工资"}
    staff.post(f"/staff/cases/{case.pk}/submit/")
    detail = staff.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "部门建议" in detail and 'id="case-publish"' not in detail
    office = client_as(admin_user)
    detail = office.get(f"/staff/cases/{case.pk}/").content.decode()
    assert 'id="case-publish"' in detail
    # The proposal is ticked in the review form.
    assert f'value="{tags["拖欠工资"].pk}" id="id_tags_' in detail
    office.post(
        f"/staff/cases/{case.pk}/publish/",
        {"note": "", "tags": [tags["拖欠工资"].pk, tags["失信惩戒"].pk]},
    )
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHED and _names(case) == {"拖欠工资", "失信惩戒"}
    office.post(f"/staff/cases/{case.pk}/retag/", {"tags": [tags["失信惩戒"].pk]})
    assert _names(case) == {"失信惩戒"}
    bad = office.post(f"/staff/cases/{case.pk}/retag/", {"tags": ["999999"]})
    assert bad.status_code == 400 and "请从已有标签中选择" in bad.content.decode()
    # A clerk of the department cannot change the published tags.
    refused = client_as(officer).post(f"/staff/cases/{case.pk}/retag/", {"tags": []})
    assert refused.status_code == 403 and _names(case) == {"失信惩戒"}
