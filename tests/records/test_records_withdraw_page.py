"""The department's withdrawal on the record's staff page: what a clerk does
when a penalty is revoked (行政处罚法 art. 48)."""

import pytest
from django.urls import reverse

from support.ingest_files import penalty_row
from xinyong.core.models import AuditLog
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(xzcf, submit, day) -> Record:
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)])  # decided 2025-09-30
    return record


def _withdraw(client, record, **data):
    return client.post(reverse("records:withdraw", args=[record.pk]), data)


def test_clerk_withdraws_from_the_record_page_and_the_public_page_says_why(
    published, clerk, client_as, client
):
    page = client_as(clerk).get(reverse("records:detail", args=[published.pk]))
    assert 'id="withdraw"' in page.content.decode()
    response = _withdraw(
        client,
        published,
        kind="revoked",
        decided_on="2025-10-09",
        reason="经行政复议，原处罚决定被撤销（神复决〔2025〕3号）",
    )
    assert response.status_code == 302
    record = Record.objects.get(pk=published.pk)
    assert record.status == Record.Status.WITHDRAWN
    assert record.withdrawn_kind == "revoked" and record.withdrawn_on_time is True
    audit = AuditLog.objects.get(action="record.withdraw")
    assert audit.actor_id == clerk.pk
    page = client.get(response["Location"]).content.decode()
    assert "记录已撤回" in page  # the message
    assert 'id="record-withdrawal"' in page and "神复决〔2025〕3号" in page
    assert 'id="withdraw"' not in page  # no second withdrawal
    public = client.get(reverse("portal:record_detail", args=["penalties", published.pk]))
    assert public.status_code == 410
    assert "神复决〔2025〕3号" in public.content.decode()


def test_a_withdrawal_without_reason_is_refused_and_nothing_changes(published, clerk, client_as):
    response = _withdraw(client_as(clerk), published, kind="revoked", reason="  ")
    assert response.status_code == 400
    page = response.content.decode()
    assert "未能撤回" in page and "这个字段是必填项" in page
    assert Record.objects.get(pk=published.pk).status == Record.Status.ACTIVE
    assert not AuditLog.objects.filter(action="record.withdraw").exists()


def test_a_revoking_decision_in_the_future_is_refused_with_its_date(published, clerk, client_as):
    response = _withdraw(
        client_as(clerk), published, kind="revoked", decided_on="2025-10-20", reason="撤销"
    )
    assert response.status_code == 400
    assert "2025-10-20" in response.content.decode()
    assert Record.objects.get(pk=published.pk).status == Record.Status.ACTIVE


def test_another_department_can_neither_see_nor_withdraw(published, other_clerk, client_as):
    client = client_as(other_clerk)
    assert client.get(reverse("records:detail", args=[published.pk])).status_code == 404
    assert _withdraw(client, published, reason="撤销").status_code == 404
    assert Record.objects.get(pk=published.pk).status == Record.Status.ACTIVE


def test_the_credit_office_may_withdraw(published, admin_user, client_as):
    assert _withdraw(client_as(admin_user), published, reason="数据报送错误").status_code == 302
    assert Record.objects.get(pk=published.pk).status == Record.Status.WITHDRAWN


def test_withdrawal_is_a_post_and_needs_a_login(published, client, clerk, client_as):
    url = reverse("records:withdraw", args=[published.pk])
    assert client.post(url, {"reason": "撤销"}).status_code == 302  # to the login page
    assert Record.objects.get(pk=published.pk).status == Record.Status.ACTIVE
    assert client_as(clerk).get(url).status_code == 405
