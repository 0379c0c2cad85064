"""Staff pages: the review queue, a subject, the quality figures."""

import pytest

from subjects.subjects_support import RESIDENT_ID, USCC_A, USCC_B, legal, person
from xinyong.core.models import AuditLog
from xinyong.subjects import selectors
from xinyong.subjects.models import Subject, SubjectConflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def conflicts(resolve, department, other_department):
    """One open name mismatch in each department."""
    resolve(department, legal("神农架某某旅游有限公司", uscc=USCC_A))
    resolve(department, legal("神农架某某旅行社", uscc=USCC_A))
    resolve(other_department, legal("神农架税务看到的名称", uscc=USCC_A))
    return {c.department_id: c for c in SubjectConflict.objects.all()}


def test_clerk_queue_shows_own_department_only(client_as, clerk, department, conflicts):
    page = client_as(clerk).get("/staff/subjects/conflicts/").content.decode()
    assert "神农架某某旅行社" in page
    assert "神农架税务看到的名称" not in page


def test_credit_office_queue_shows_all(client_as, admin_user, conflicts):
    page = client_as(admin_user).get("/staff/subjects/conflicts/").content.decode()
    assert "神农架某某旅行社" in page and "神农架税务看到的名称" in page


def test_clerk_refused_other_departments_conflict(client_as, clerk, other_department, conflicts):
    theirs = conflicts[other_department.pk]
    response = client_as(clerk).post(
        f"/staff/subjects/conflicts/{theirs.pk}/resolve/", {"status": "confirmed", "note": "x"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_clerk_resolves_own_conflict_by_post(client_as, clerk, department, conflicts):
    mine = conflicts[department.pk]
    response = client_as(clerk).post(
        f"/staff/subjects/conflicts/{mine.pk}/resolve/",
        {"status": "corrected", "note": "已通知经办人更正"},
        follow=True,
    )
    assert response.status_code == 200
    assert "已处理" in response.content.decode()
    mine.refresh_from_db()
    assert (mine.status, mine.resolution_note) == ("corrected", "已通知经办人更正")
    assert AuditLog.objects.filter(action="subject_conflict.resolve", actor=clerk).count() == 1


def test_resolve_without_note_changes_nothing(client_as, clerk, department, conflicts):
    mine = conflicts[department.pk]
    response = client_as(clerk).post(
        f"/staff/subjects/conflicts/{mine.pk}/resolve/",
        {"status": "confirmed", "note": ""},
        follow=True,
    )
    assert "请选择处理结果并填写处理说明" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "open"


def test_queue_page_queries_do_not_grow(
    resolve, client_as, admin_user, department, django_assert_max_num_queries
):
    resolve(department, *[legal(f"神农架公司{i}", uscc=f"9142{i:014d}") for i in range(40)])
    resolve(department, *[legal(f"改名{i}", uscc=f"9142{i:014d}") for i in range(40)])
    client = client_as(admin_user)
    with django_assert_max_num_queries(8):
        response = client.get("/staff/subjects/conflicts/")
    assert response.content.decode().count("改名") == 40


def test_person_page_shows_only_the_masked_id_and_is_audited(
    resolve, client_as, admin_user, department
):
    # The credit office: a department sees a person only if it holds a record
    # of them (tests/subjects/test_subjects_least_privilege.py).
    [sid] = resolve(department, person("张三", RESIDENT_ID))
    response = client_as(admin_user).get(f"/staff/subjects/{sid}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "1101**********002X" in page
    assert RESIDENT_ID[:-1] not in page
    log = AuditLog.objects.get(action="subject.view_person")
    assert (log.actor, log.object_id) == (admin_user, str(sid))
    assert RESIDENT_ID[:-1] not in log.object_label


def test_company_page_lists_codes_and_aliases_without_audit(resolve, client_as, clerk, department):
    [sid] = resolve(
        department,
        legal("神农架某某旅游有限公司", uscc=USCC_A, registration_number="420000000012345"),
    )
    Subject.objects.get(pk=sid).aliases.create(name="神农架某某旅行社", name_key="神农架某某旅行社")
    page = client_as(clerk).get(f"/staff/subjects/{sid}/").content.decode()
    assert USCC_A in page and "420000000012345" in page and "神农架某某旅行社" in page
    assert not AuditLog.objects.filter(action="subject.view_person").exists()


def test_missing_subject_is_404(client_as, clerk):
    assert client_as(clerk).get("/staff/subjects/999999/").status_code == 404


def test_quality_page_scope(resolve, client_as, clerk, admin_user, department, other_department):
    resolve(department, legal("神农架甲公司", uscc=USCC_A))
    resolve(other_department, legal("神农架乙公司", uscc=USCC_B))
    mine = client_as(clerk).get("/staff/subjects/quality/").content.decode()
    assert department.name in mine and other_department.name not in mine
    every = client_as(admin_user).get("/staff/subjects/quality/?since=2020-01-01").content.decode()
    assert department.name in every and other_department.name in every
    assert "重码率" in every


def test_quality_page_uses_registered_wrong_code_counter(
    resolve, client_as, admin_user, department, monkeypatch
):
    resolve(department, legal("神农架甲公司", uscc=USCC_A))
    monkeypatch.setattr(selectors, "_wrong_code_counter", lambda since: {department.pk: (3, 100)})
    page = client_as(admin_user).get("/staff/subjects/quality/").content.decode()
    assert "3.00%" in page
    assert "未达标" in page


def test_anonymous_is_sent_to_login(client):
    response = client.get("/staff/subjects/conflicts/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_admin_is_read_only_and_audits_person_views(resolve, client, department):
    from xinyong.orgs.models import User

    root = User.objects.create_superuser(
        "root", "root@example.org", "pw-for-tests-123", role=User.Role.CREDIT_ADMIN
    )
    [sid] = resolve(department, person("张三", RESIDENT_ID))
    client.force_login(root)
    assert client.get("/admin/subjects/subject/").status_code == 200
    assert client.get("/admin/subjects/subjectconflict/").status_code == 200
    assert client.get("/admin/subjects/subject/add/").status_code == 403
    page = client.get(f"/admin/subjects/subject/{sid}/change/")
    assert page.status_code == 200
    assert RESIDENT_ID[:-1] not in page.content.decode()
    assert AuditLog.objects.filter(action="subject.view_person", actor=root).count() == 1
