"""Staff pages: the credit office sees the outbox in every state and retries,
reads the reconciliation, the inbound log and the files; a department sees
its own items' messages only."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from xinyong.core.models import AuditLog, OutboxMessage, OutboxStatus
from xinyong.core.outbox import outbox_enqueue
from xinyong.exchange import files
from xinyong.exchange.models import InboundRun, Reconciliation


@pytest.fixture
def messages(department, other_department):
    with transaction.atomic():
        ours = outbox_enqueue(
            topic="records.shuanggongshi", key="Record:1", payload={}, department_id=department.pk
        )
        theirs = outbox_enqueue(
            topic="records.shuanggongshi",
            key="Record:2",
            payload={},
            department_id=other_department.pk,
        )
        dead = outbox_enqueue(topic="lists.entry", key="ListEntry:9", payload={})
    OutboxMessage.objects.filter(pk=ours.pk).update(
        status=OutboxStatus.SENT, ack_id="HB-00000007", delivered_at=dt.datetime.now(dt.UTC)
    )
    OutboxMessage.objects.filter(pk=dead.pk).update(
        status=OutboxStatus.DEAD, attempts=8, last_error="省级平台返回 HTTP 503"
    )
    return ours, theirs, dead


@pytest.mark.django_db
def test_the_credit_office_sees_every_state_and_retries(client_as, admin_user, messages, settings):
    settings.XINYONG_EXCHANGE_URL = ""
    ours, _theirs, dead = messages
    client = client_as(admin_user)
    page = client.get(reverse("exchange:outbox")).content.decode()
    for message in messages:
        assert message.key in page
    assert "HB-00000007" in page and "省级平台返回 HTTP 503" in page
    assert 'data-status="dead">1<' in page
    assert "XINYONG_EXCHANGE_URL" in page  # the service mode is off, and says so
    dead_only = client.get(reverse("exchange:outbox"), {"status": "dead"}).content.decode()
    assert "ListEntry:9" in dead_only and "Record:1" not in dead_only
    answer = client.post(reverse("exchange:outbox_retry", args=[dead.pk]), follow=True)
    assert "已重新排队发送" in answer.content.decode()
    dead.refresh_from_db()
    assert dead.status == OutboxStatus.PENDING
    assert AuditLog.objects.filter(action="outbox_message.retry").count() == 1
    # A message that was sent cannot be retried: the reason, no change.
    answer = client.post(reverse("exchange:outbox_retry", args=[ours.pk]), follow=True)
    assert "不能重试" in answer.content.decode()


@pytest.mark.django_db
def test_a_department_sees_its_own_items_only(client_as, clerk, messages):
    ours, theirs, _dead = messages
    client = client_as(clerk)
    page = client.get(reverse("exchange:outbox")).content.decode()
    assert "Record:1" in page
    assert "Record:2" not in page and "ListEntry:9" not in page
    assert ">重试</button>" not in page
    assert client.post(reverse("exchange:outbox_retry", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("exchange:outbox_retry", args=[ours.pk])).status_code in (302, 403)
    ours.refresh_from_db()
    assert ours.status == OutboxStatus.SENT
    for name in ("exchange:reconciliation", "exchange:inbound", "exchange:files"):
        assert client.get(reverse(name)).status_code == 403


@pytest.mark.django_db
def test_the_outbox_page_costs_the_same_for_many_messages(
    client_as, admin_user, settings, django_assert_max_num_queries
):
    settings.XINYONG_EXCHANGE_URL = ""
    with transaction.atomic():
        for i in range(120):
            outbox_enqueue(
                topic="lists.entry", key=f"ListEntry:{i}", payload={}, department_id=None
            )
    client = client_as(admin_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("exchange:outbox")).status_code == 200


@pytest.mark.django_db
def test_the_home_panel_flags_dead_messages(client_as, admin_user, clerk, messages):
    page = client_as(admin_user).get(reverse("orgs:staff_home")).content.decode()
    assert 'id="exchange-alerts"' in page and "1 条已停止重试" in page
    # The clerk's department has no dead or failed message: no panel.
    page = client_as(clerk).get(reverse("orgs:staff_home")).content.decode()
    assert 'id="exchange-alerts"' not in page


@pytest.mark.django_db
def test_reconciliation_and_inbound_pages(client_as, admin_user):
    Reconciliation.objects.create(
        day=dt.date(2025, 10, 8),
        sent=3,
        confirmed=2,
        matched=2,
        unconfirmed=["lists.entry:1:abc"],
        created_at=dt.datetime(2025, 10, 9, tzinfo=dt.UTC),
    )
    InboundRun.objects.create(
        feed="sxbzx",
        started_at=dt.datetime(2025, 10, 9, tzinfo=dt.UTC),
        status="done",
        received=2,
        applied=1,
        unchanged=1,
        cursor_after="2",
    )
    client = client_as(admin_user)
    page = client.get(reverse("exchange:reconciliation")).content.decode()
    assert "2025-10-08" in page and "lists.entry:1:abc" in page and "有差异" in page
    page = client.get(reverse("exchange:inbound")).content.decode()
    assert "sxbzx" in page and "→ 2" in page


@pytest.mark.django_db
def test_files_are_built_on_the_queue_and_downloaded_audited(
    client_as, admin_user, own_files, settings, pin_today, submit, xzxk
):
    from support.exchange_rows import licence_row
    from xinyong.exchange.services import collect

    pin_today("2025-10-09")
    submit(xzxk, [licence_row(1, 许可内容='=HYPERLINK("http://x")')])
    collect.collect_all()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_as(admin_user)
    answer = client.post(reverse("exchange:files"), {"day": "2025-10-09"}, follow=True)
    assert "已排队生成" in answer.content.decode()
    assert (
        client.post(reverse("exchange:files"), {"day": "2025-13-01"}, follow=True).status_code
        == 200
    )
    names = [f.name for f in files.list_files()]
    assert "XZXK-2025-10-09.csv" in names and "XZCF-2025-10-09.xlsx" in names
    page = client.get(reverse("exchange:files")).content.decode()
    assert "XZXK-2025-10-09.csv" in page
    download = client.get(reverse("exchange:file_download", args=["XZXK-2025-10-09.csv"]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    header, labels, row = text.splitlines()[:3]
    assert header.startswith("CZLX,XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM")
    assert labels.startswith("操作类型,行政相对人名称")
    assert row.startswith("新增或更新,神农架林海1商贸有限公司")
    assert "'=HYPERLINK" in row  # never a formula
    assert AuditLog.objects.filter(action="exchange_file.download").count() == 1
    assert client.get(reverse("exchange:file_download", args=["..%2Fetc.csv"])).status_code == 404
    assert (
        client.get(reverse("exchange:file_download", args=["XZXK-2020-01-01.csv"])).status_code
        == 404
    )
