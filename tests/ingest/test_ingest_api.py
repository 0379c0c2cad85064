"""The intake API over a real HTTP server (pytest-django's live server)."""

import pytest

from support.api_client import call
from support.ingest_files import company_code, penalty_row
from xinyong.orgs import services as org_services
from xinyong.records.models import Record

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("on_day")]


@pytest.fixture
def token(admin_user, department, xzcf):
    _token, secret = org_services.api_token_create(
        actor=admin_user, department=department, name="处罚系统"
    )
    return secret


def test_push_records_every_row_accounted(live_server, token):
    code = company_code(5)
    body = [
        penalty_row(1),
        penalty_row(2, **{"处罚决定日期": "2023/02/30"}),
        penalty_row(3, **{"行政相对人代码_1(统一社会信用代码)": code.lower()}),
    ]
    status, result = call(f"{live_server.url}/api/v1/items/XZCF/records", token=token, body=body)
    assert status == 200
    assert (result["received"], result["accepted"], result["rejected"]) == (3, 2, 1)
    (error,) = result["errors"]
    assert (
        error["row"] == 2
        and error["field"] == "处罚决定日期"
        and "不是有效日期" in error["message"]
    )
    assert Record.objects.count() == 2

    status, again = call(f"{live_server.url}/api/v1/items/XZCF/records", token=token, body=body[:1])
    assert (again["created"], again["unchanged"]) == (0, 1)

    status, batch = call(
        f"{live_server.url}/api/v1/batches/{result['batch']}", token=token, method="GET"
    )
    assert status == 200 and batch["rejected"] == 1


def test_keys_may_be_field_keys_or_labels(live_server, token):
    row = penalty_row(1)
    status, result = call(f"{live_server.url}/api/v1/items/xzcf/records", token=token, body=[row])
    assert status == 200 and result["accepted"] == 1


def test_no_token_401_shape(live_server, xzcf):
    status, body = call(f"{live_server.url}/api/v1/items/XZCF/records", body=[penalty_row(1)])
    assert status == 401 and set(body) == {"code", "message", "details"}


def test_unknown_item_404_shape(live_server, token):
    status, body = call(
        f"{live_server.url}/api/v1/items/NOPE/records", token=token, body=[penalty_row(1)]
    )
    assert status == 404 and "不存在" in body["message"]


def test_item_not_of_this_department_refused(live_server, admin_user, other_department, xzcf):
    _t, secret = org_services.api_token_create(
        actor=admin_user, department=other_department, name="x"
    )
    status, body = call(
        f"{live_server.url}/api/v1/items/XZCF/records", token=secret, body=[penalty_row(1)]
    )
    assert status == 404 and "不是目录事项" in body["message"]
    assert Record.objects.count() == 0


def test_body_not_an_array_is_422_in_chinese(live_server, token):
    status, body = call(f"{live_server.url}/api/v1/items/XZCF/records", token=token, body={"a": 1})
    assert status == 422 and body["code"] == "invalid_request"


def test_unrecognisable_keys_fail_batch_with_reason(live_server, token):
    status, body = call(
        f"{live_server.url}/api/v1/items/XZCF/records", token=token, body=[{"foo": 1, "bar": 2}]
    )
    assert status == 422 and "表头" in body["message"]


def test_other_departments_batch_is_not_found(live_server, token, admin_user, other_department):
    status, result = call(
        f"{live_server.url}/api/v1/items/XZCF/records", token=token, body=[penalty_row(1)]
    )
    _t, other = org_services.api_token_create(
        actor=admin_user, department=other_department, name="x"
    )
    status, body = call(
        f"{live_server.url}/api/v1/batches/{result['batch']}", token=other, method="GET"
    )
    assert status == 404 and body["code"] == "not_found"


def test_push_reports_consistency_warnings_apart_from_errors(live_server, token):
    body = [
        penalty_row(1),
        penalty_row(
            2,
            **{
                "行政相对人类别": "个体工商户",
                "行政相对人代码_1(统一社会信用代码)": company_code(2, prefix="91429021"),
            },
        ),
    ]
    status, result = call(f"{live_server.url}/api/v1/items/XZCF/records", token=token, body=body)
    assert status == 200
    assert (result["accepted"], result["rejected"], result["warned"]) == (2, 0, 1)
    assert result["errors"] == []
    (warning,) = result["warnings"]
    assert warning["row"] == 2 and warning["field"] == "行政相对人类别"
    assert warning["value"] == "个体工商户" and "不一致" in warning["message"]
    assert (
        Record.objects.get(doc_number="神市监罚〔2025〕2号").warnings[0]["field"]
        == "行政相对人类别"
    )
    status, batch = call(
        f"{live_server.url}/api/v1/batches/{result['batch']}", token=token, method="GET"
    )
    assert batch["warned"] == 1 and batch["warnings"] == result["warnings"]
