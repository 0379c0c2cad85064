"""Hostile text in an agency's filing through the API: a character no one
types (NUL, a direction mark) is refused naming the field, never stored
(PostgreSQL refuses NUL in any text: a 500 there)."""

import pytest

from reports.test_agency_filings import api_post, submit
from xinyong.reports.models import AgencyReport

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("number", "CX-2026\x00-001"),
        ("subject_name", "神农架林区某某\x00建材有限公司"),
        ("subject_name", "神农架林区\u202e司公限有材建"),
    ],
)
def test_a_hidden_character_in_a_filing_is_refused_naming_the_field(
    field, value, client, agency_token
):
    response = api_post(client, agency_token, **{field: value})
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == f"请求参数有误：{field}"
    assert "字符" in body["details"][0]["error"]
    assert not AgencyReport.objects.exists()


def test_a_nul_in_the_review_reason_is_refused_in_chinese(client_as, admin_user, agency_user):
    """The review form posts its reason without a Django form: a NUL was stored
    (a 500 on PostgreSQL)."""
    filing = submit(agency_user)
    response = client_as(admin_user).post(
        f"/staff/reports/filings/{filing.pk}/", {"action": "return", "reason": "缺\x00授权书"}
    )
    assert response.status_code == 400
    assert "原因：第 2 个字符是不可见的控制字符（U+0000），请删除" in response.content.decode()
    filing.refresh_from_db()
    assert (filing.status, filing.reason) == (AgencyReport.Status.SUBMITTED, "")
