"""Hostile text in an agency's filing through the API: a character no one
types (NUL, a direction mark) is refused naming the field, never stored
(PostgreSQL refuses NUL in any text: a 500 there)."""

import pytest

from reports.test_agency_filings import api_post
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
