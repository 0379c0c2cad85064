"""A court's removal of a 失信被执行人 over HTTP (issue 13, "Bad input"): the
court's system pushes its SXBZX record, an officer's system checks and hits,
the court withdraws the record through `POST /api/v1/items/SXBZX/withdrawals`
(key = 执行案号), and the very next check hits nothing. A real server
(pytest-django's live server), real tokens, the real intake path."""

import pytest

from support.api_client import call
from xinyong.catalog.models import CatalogItem
from xinyong.orgs import services as org_services
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db(transaction=True)

USCC = "91110000600037341L"
CASE = "(2025)鄂9021执100号"
NAME = "神农架林区某某建材有限责任公司"


@pytest.fixture(autouse=True)
def on_day(pin_today):
    pin_today("2025-10-09")


def _row(name=NAME, uscc=USCC):
    return {
        "被执行人名称": name,
        "被执行人类别": "法人及非法人组织",
        "统一社会信用代码": uscc,
        "执行法院": "神农架林区人民法院",
        "执行案号": CASE,
        "立案日期": "2025-08-01",
        "发布日期": "2025-09-01",
        "失信情形": "有履行能力而拒不履行生效法律文书确定义务",
        "生效法律文书确定的义务": "支付货款10万元",
    }


def _token(admin_user, department, name):
    _token, secret = org_services.api_token_create(
        actor=admin_user, department=department, name=name
    )
    return secret


def test_a_court_withdrawal_stops_hits_at_once(
    live_server, admin_user, department, other_department
):
    court = other_department
    CatalogItem.objects.get(code="SXBZX").departments.add(court)
    court_token = _token(admin_user, court, "法院执行系统")
    officer_token = _token(admin_user, department, "审批系统")
    url = live_server.url + "/api/v1"

    status, pushed = call(
        f"{url}/items/SXBZX/records",
        token=court_token,
        body=[
            {
                "被执行人名称": NAME,
                "被执行人类别": "法人及非法人组织",
                "统一社会信用代码": USCC,
                "执行法院": "神农架林区人民法院",
                "执行案号": CASE,
                "立案日期": "2025-08-01",
                "发布日期": "2025-09-01",
                "失信情形": "有履行能力而拒不履行生效法律文书确定义务",
                "生效法律文书确定的义务": "支付货款10万元",
            }
        ],
    )
    assert status == 200 and pushed["accepted"] == 1, pushed

    check = {"uscc": USCC, "domain": "XZXK", "matter": "许可申请 2025-77"}
    status, before = call(f"{url}/checks", token=officer_token, body=check)
    assert status == 200 and [h["list"]["code"] for h in before["hits"]] == ["SXBZX"]
    assert before["hits"][0]["entry"]["document_number"] == CASE

    status, withdrawn = call(
        f"{url}/items/SXBZX/withdrawals",
        token=court_token,
        body={"key": CASE, "reason": "被执行人已履行完毕，法院决定删除失信信息", "kind": "other"},
    )
    assert status == 200, withdrawn
    assert Record.objects.get(pk=withdrawn["record"]).status == "withdrawn"

    status, after = call(f"{url}/checks", token=officer_token, body=check)
    assert status == 200 and after["hits"] == []
    assert after["subjects"][0]["name"] == NAME  # still found, no longer listed


def test_a_case_number_of_several_debtors_asks_for_the_whole_key(
    live_server, admin_user, other_department
):
    CatalogItem.objects.get(code="SXBZX").departments.add(other_department)
    token = _token(admin_user, other_department, "法院执行系统")
    url = live_server.url + "/api/v1/items/SXBZX"
    other = "神农架林区另一建材有限公司"
    status, pushed = call(
        f"{url}/records", token=token, body=[_row(), _row(other, "91350200776049653A")]
    )
    assert status == 200 and pushed["accepted"] == 2, pushed
    reason = {"reason": "被执行人已履行完毕", "kind": "other"}
    status, body = call(f"{url}/withdrawals", token=token, body={"key": CASE, **reason})
    assert status == 400 and body["code"] == "ambiguous_key"
    assert f"{CASE}|{NAME}" in body["message"] and Record.objects.live().count() == 2
    status, body = call(
        f"{url}/withdrawals", token=token, body={"key": f"{CASE}|{other}", **reason}
    )
    assert status == 200
    assert Record.objects.get(pk=body["record"]).data["subject_name"] == other
    assert Record.objects.filter(status="withdrawn").count() == 1
