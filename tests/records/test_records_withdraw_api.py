"""A department's system withdraws a record it submitted, over a real HTTP
server (pytest-django's live server)."""

import pytest

from support.api_client import call
from support.ingest_files import penalty_row
from xinyong.core.models import AuditLog
from xinyong.orgs import services as org_services
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db(transaction=True)

DOC = penalty_row(1)["行政处罚决定书文号"]


@pytest.fixture
def published(xzcf, submit, day) -> Record:
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)])  # decided 2025-09-30
    return record


def _token(admin_user, department, name="处罚系统"):
    _token, secret = org_services.api_token_create(
        actor=admin_user, department=department, name=name
    )
    return secret


def test_a_department_system_withdraws_by_document_number(
    live_server, published, admin_user, department, client
):
    status, body = call(
        f"{live_server.url}/api/v1/items/XZCF/withdrawals",
        token=_token(admin_user, department),
        body={
            "key": DOC,
            "reason": "经行政复议，原处罚决定被撤销",
            "kind": "revoked",
            "decided_on": "2025-10-09",
        },
    )
    assert status == 200, body
    assert body == {
        "record": published.pk,
        "status": "withdrawn",
        "withdrawn_on_time": True,
        "unpublished_on": "2025-10-09",
    }
    assert not Record.objects.publicly_visible().filter(pk=published.pk).exists()
    audit = AuditLog.objects.get(action="record.withdraw")
    assert "处罚系统" in audit.actor_label
    # The open-data feed lists the removal.
    feed = client.get("/api/v1/public/changes", {"since": "2025-10-01T00:00:00+08:00"}).json()
    assert [(c["change"], c["record_id"], c["reason_text"]) for c in feed["changes"]][-1] == (
        "removed",
        published.pk,
        "经行政复议，原处罚决定被撤销",
    )


def test_errors_name_what_is_wrong_and_change_nothing(
    live_server, published, admin_user, department, other_department
):
    url = f"{live_server.url}/api/v1/items/XZCF/withdrawals"
    token = _token(admin_user, department)
    status, body = call(url, token=token, body={"key": DOC, "reason": " "})
    assert (status, body["code"]) == (400, "reason_required") and "撤回原因" in body["message"]
    status, body = call(url, token=token, body={"key": DOC, "reason": "撤销", "kind": "whim"})
    assert status == 422 and body["details"][0]["field"] == "kind"
    assert body["details"][0]["error"] == "不在可选值中"
    status, body = call(url, token=token, body={"key": "神市监罚〔2099〕1号", "reason": "撤销"})
    assert status == 404 and "神市监罚〔2099〕1号" in body["message"]
    # Another department's token cannot reach the record.
    other = _token(admin_user, other_department, name="其他系统")
    status, body = call(url, token=other, body={"key": DOC, "reason": "撤销"})
    assert status == 404
    status, body = call(url, body={"key": DOC, "reason": "撤销"})
    assert status == 401
    assert Record.objects.get(pk=published.pk).status == Record.Status.ACTIVE
    assert not AuditLog.objects.filter(action="record.withdraw").exists()


def test_the_api_document_names_every_withdrawal_kind(client):
    """An integrator reads the kinds from the API document: each one it names
    is accepted, and every accepted one is named."""
    doc = client.get("/api/v1/openapi.json").json()
    kind = doc["components"]["schemas"]["WithdrawIn"]["properties"]["kind"]
    named = {word for word in kind["description"].split() if word.isascii() and word != "/"}
    assert named == set(Record.WithdrawalKind.values) - {""}
