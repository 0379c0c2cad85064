"""政务诚信: government bodies by USCC, and the integrity check for hiring and honours."""

import pytest
from django.urls import reverse

from integrity.conftest import PERSON_ID
from subjects.factories import SubjectFactory
from xinyong.core.identifiers import uscc_with_checks
from xinyong.core.models import AuditLog
from xinyong.integrity import selectors
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def test_government_bodies_by_registration_authority(admin_user, client_as):
    organ = SubjectFactory(name="某镇人民政府", uscc=uscc_with_checks("11429021" + "80000001"))
    school = SubjectFactory(name="某中心学校", uscc=uscc_with_checks("12429021" + "80000002"))
    SubjectFactory(name="某商贸有限公司", uscc=uscc_with_checks("91429021" + "70000001"))
    SubjectFactory(name="某律师事务所", uscc=uscc_with_checks("31429021" + "70000002"))
    assert set(Subject.objects.government()) == {organ, school}
    assert list(Subject.objects.government("1")) == [organ]
    assert list(Subject.objects.government("2")) == [school]
    assert set(selectors.government_bodies("")) == {organ, school}
    page = client_as(admin_user).get(reverse("integrity:government"), {"category": "2"})
    text = page.content.decode()
    assert "某中心学校" in text and "某镇人民政府" not in text


@pytest.mark.parametrize("domain", ["RYLY", "PYBZ"])
def test_the_check_adds_the_records_the_department_reads(domain, all_groups, officers, client_as):
    response = client_as(officers["jiaoyu"]).post(
        reverse("integrity:check"),
        {"domain": domain, "matter": "教师招聘", "id_number": PERSON_ID},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "GRCX_JS-2025-0001" in text
    assert "GWY_CXDA-2025-0001" not in text and "GRCX_YS-2025-0001" not in text
    assert AuditLog.objects.filter(action="check.run").count() == 1
    row = AuditLog.objects.get(action="integrity.check")
    assert row.after == {"domain": domain, "records": [all_groups["GRCX_JS"].pk]}


def test_the_check_api_for_an_outsider_shows_no_integrity_record(all_groups, readers, client):
    from orgs.factories import ApiTokenFactory, token_secret

    token = ApiTokenFactory(department=readers["shuiwu"])
    response = client.post(
        "/api/v1/integrity/checks",
        {"domain": "RYLY", "matter": "招录", "id_number": PERSON_ID},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_secret(token.prefix)}"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["integrity_records"] == []
    token = ApiTokenFactory(department=readers["zzb"])
    response = client.post(
        "/api/v1/integrity/checks",
        {"domain": "RYLY", "matter": "招录", "id_number": PERSON_ID},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_secret(token.prefix)}"},
    )
    assert [r["doc_number"] for r in response.json()["integrity_records"]] == ["GWY_CXDA-2025-0001"]


def test_the_check_is_only_for_hiring_and_honours(all_groups, officers, client_as):
    response = client_as(officers["jiaoyu"]).post(
        reverse("integrity:check"), {"domain": "PYBZ", "matter": "", "id_number": PERSON_ID}
    )
    assert response.status_code == 400  # 事项 required
    response = client_as(officers["jiaoyu"]).post(
        "/api/v1/integrity/checks", {"domain": "ZBTB"}, content_type="application/json"
    )
    assert response.status_code == 401
