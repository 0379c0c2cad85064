"""Probing the 个人诚信 look-up: an ID number tells a department nothing about
a person it may not read (the same 404 as for a number of no one)."""

import datetime as dt

import pytest
from django.urls import reverse

from integrity.conftest import PERSON_ID
from orgs.factories import ApiTokenFactory, token_secret
from xinyong.core.identifiers import resident_id_with_check, uscc_with_checks
from xinyong.integrity.models import GovComplaint
from xinyong.sanctions.models import Check

pytestmark = [pytest.mark.django_db]

NOBODY = resident_id_with_check("42902119900202223")


@pytest.fixture(autouse=True)
def on_day(pin_today):
    pin_today(dt.datetime(2025, 10, 9, 10, 0))


def test_lookup_is_no_oracle_of_who_is_on_the_platform(submit_integrity, officers, client_as):
    (record,) = submit_integrity("GWY_CXDA")  # read by 组织部 (zzb) only
    url = reverse("integrity:person_lookup")
    # An outsider, and a reader of another group (教师, jiaoyu): the person they
    # may not read answers as a number of no one, and no address of the file.
    for code in ("shuiwu", "jiaoyu"):
        client = client_as(officers[code])
        known = client.get(url, {"id_number": PERSON_ID})
        unknown = client.get(url, {"id_number": NOBODY})
        assert (known.status_code, unknown.status_code) == (404, 404), code
        assert "未找到该自然人的诚信记录，或您无权查阅" in known.content.decode()
        assert str(record.subject_id) not in known.get("Location", "")
    found = client_as(officers["zzb"]).get(url, {"id_number": PERSON_ID})
    assert found.status_code == 302
    assert found.url == reverse("integrity:person_file", args=[record.subject_id])


@pytest.mark.parametrize(
    ("field", "value"),
    [("matter", "招录\x00公务员"), ("name", "欧阳\x00诚信")],
)
def test_check_api_refuses_a_nul_naming_the_field(field, value, readers, client):
    """NUL in the check's matter or name was stored with the check (a 500 on PostgreSQL)."""
    token = ApiTokenFactory(department=readers["zzb"])
    body = {"domain": "RYLY", "matter": "招录", "id_number": PERSON_ID, field: value}
    response = client.post(
        "/api/v1/integrity/checks",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_secret(token.prefix)}"},
    )
    assert response.status_code == 422
    assert response.json()["message"] == f"请求参数有误：{field}"
    assert not Check.objects.exists()


@pytest.mark.parametrize(
    ("field", "label"),
    [("body_name", "被投诉单位"), ("contract", "合同或承诺"), ("facts", "违约失信事实")],
)
def test_complaint_with_an_invisible_character_is_refused_at_filing(field, label, client):
    """A zero-width space passed the portal form, then the intake refused the
    breach record built from it: the complaint could never be closed as 属实."""
    data = {
        "complainant_kind": "legal",
        "complainant_name": "神农架林海商贸有限公司",
        "complainant_code": uscc_with_checks("91429021" + "70000001"),
        "complainant_phone": "0719-3331234",
        "body_name": "神农架林区某镇人民政府",
        "body_uscc": uscc_with_checks("11429021" + "80000001"),
        "contract": "招商引资协议",
        "facts": "约定的奖补资金逾期一年未兑现。",
    }
    data[field] = data[field][:3] + "\u200b" + data[field][3:]
    response = client.post(reverse("integrity_public:complaint_file"), data)
    assert response.status_code == 400
    assert f"{label}：第 4 个字符是看不见的零宽字符（U+200B），请删除" in response.content.decode()
    assert not GovComplaint.objects.exists()


@pytest.mark.parametrize("phone", ["=1+1", "abc", "1", "0719-333\u200b1234"])
def test_a_complaint_whose_phone_is_no_phone_number_is_refused(phone, client):
    data = {
        "complainant_kind": "legal",
        "complainant_name": "神农架林海商贸有限公司",
        "complainant_code": uscc_with_checks("91429021" + "70000001"),
        "complainant_phone": phone,
        "body_name": "神农架林区某镇人民政府",
        "body_uscc": uscc_with_checks("11429021" + "80000001"),
        "contract": "招商引资协议",
        "facts": "约定的奖补资金逾期一年未兑现。",
    }
    response = client.post(reverse("integrity_public:complaint_file"), data)
    assert response.status_code == 400
    assert "联系电话：应为电话号码" in response.content.decode()
    assert not GovComplaint.objects.exists()
    data["complainant_phone"] = "（0719）333 1234"
    assert client.post(reverse("integrity_public:complaint_file"), data).status_code in (201, 302)
    assert GovComplaint.objects.count() == 1
