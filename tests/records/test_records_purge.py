"""遗忘 (issue 14 §7): negative records are deleted N years after the conduct
or penalty ended; nothing of them remains in the records tables, the
revisions, the subject search index, the CSV files or the change feed, which
carries their removal; a tombstone without personal data stays."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from records.conftest import person_penalty_row
from rights.factories import company_applicant
from support.exports import download_csv
from support.ingest_files import company_code, penalty_row
from support.tasks import run_ready_tasks
from xinyong.core.audit import ActorKind
from xinyong.core.models import AuditLog
from xinyong.core.tasks import periodic_tasks
from xinyong.records import tasks
from xinyong.records.models import (
    PurgedRecord,
    PurgeTombstone,
    Record,
    RecordRevision,
    RetentionRule,
)
from xinyong.records.purge import purge_run
from xinyong.rights.models import Objection
from xinyong.rights.services import objection_submit
from xinyong.subjects.hashing import id_digest
from xinyong.subjects.models import Subject
from xinyong.subjects.search import search_subjects

pytestmark = pytest.mark.django_db

PERSON_ID = "11010519491231002X"
GONE_COMPANY = "神农架林海3商贸有限公司"


def _bigrams(subject_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM subjects_search_bigram WHERE subject_id = %s", [subject_id]
        )
        return cursor.fetchone()[0]


def _feed(client, since: str) -> dict:
    response = client.get("/api/v1/public/changes", {"since": since, "limit": 1000})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def held(day, submit, xzcf, xzxk):
    """On 2025-10-10: penalties of companies 1 (also licensed) and 3 and of a
    person, decided 2025-09-30, and of company 2 decided 2025-10-09; company
    1's penalty corrected once (a revision). Returns the records by name."""
    from records.conftest import licence_row

    day("2025-10-10")
    old = [penalty_row(1), penalty_row(3), person_penalty_row(4)]
    recent = penalty_row(2, **{"处罚决定日期": "2025/10/09"})
    records = submit(xzcf, [*old, recent])
    submit(xzcf, [penalty_row(1, **{"违法事实": "经查，当事人销售过期食品（更正）。"})])
    submit(xzxk, [licence_row(1)])
    by_name = {r.subject.name: r for r in records}
    assert RecordRevision.objects.filter(record=by_name["神农架林海1商贸有限公司"]).exists()
    assert all(r.published_on for r in records)
    return by_name


def test_the_purge_leaves_nothing_but_a_tombstone(client, day, held, xzcf):
    person = held["张三丰"]
    gone = held[GONE_COMPANY]
    kept_company = held["神农架林海1商贸有限公司"]
    recent = held["神农架林海2商贸有限公司"]
    start = _feed(client, "2025-01-01")
    assert {c["record_id"] for c in start["changes"]} >= {gone.pk, person.pk}
    cursor = start["next_cursor"]
    gone_subject = gone.subject_id
    assert _bigrams(gone_subject) > 0

    # 5 years after 2025-09-30, not yet after 2025-10-09.
    today = day("2030-10-05")
    counts = purge_run(today)

    assert counts.records == 3 and counts.by_item == {"XZCF": 3}
    purged = {kept_company.pk, gone.pk, person.pk}
    # The records tables and the revisions.
    assert not Record.objects.filter(pk__in=purged).exists()
    assert not RecordRevision.objects.filter(record_id__in=purged).exists()
    assert Record.objects.filter(pk=recent.pk).exists()
    assert Record.objects.filter(item__code="XZXK").count() == 1  # a licence is not negative
    # The subjects nothing names any more, and the search index.
    assert not Subject.objects.filter(pk=gone_subject).exists()
    assert _bigrams(gone_subject) == 0
    assert search_subjects(GONE_COMPANY).hits == []
    assert not Subject.objects.filter(id_digest=id_digest(PERSON_ID)).exists()
    assert Subject.objects.filter(uscc=company_code(1)).exists()  # still licensed
    assert counts.subjects == 2
    # The tombstone: item, department, dates, count; nothing personal.
    (tomb,) = PurgeTombstone.objects.all()
    assert (tomb.item.code, tomb.department_id, tomb.count) == ("XZCF", gone.department_id, 3)
    assert (tomb.ended_from, tomb.ended_to) == (dt.date(2025, 9, 30), dt.date(2025, 9, 30))
    assert tomb.retention_years == 5 and tomb.purged_on == today
    # The change feed: a removal for each, and none of their content.
    after = _feed(client, cursor)
    removed = {c["record_id"]: c for c in after["changes"] if c["change"] == "removed"}
    assert set(removed) == purged
    assert {c["reason"] for c in removed.values()} == {"purged"}
    assert all(c["record"] is None for c in removed.values())
    whole = json.dumps(_feed(client, "2025-01-01"), ensure_ascii=False)
    assert GONE_COMPANY not in whole and "张三丰" not in whole and "张**" not in whole
    # The CSV files are rebuilt without them.
    assert run_ready_tasks() >= 1
    text = download_csv(client, "penalties")
    assert GONE_COMPANY not in text and "张**" not in text
    # The audit row has the counts only.
    row = AuditLog.objects.get(action="record.purge")
    assert row.actor_kind == ActorKind.SYSTEM
    assert row.after["records"] == 3 and GONE_COMPANY not in json.dumps(row.after)
    # The portal shows how many were purged.
    assert 'id="count-purged">3<' in client.get("/").content.decode()
    # A second run finds nothing.
    assert purge_run(today).records == 0
    assert PurgeTombstone.objects.get().count == 3


def test_the_retention_is_per_item_and_a_dry_run_changes_nothing(day, held, xzcf):
    day("2030-10-05")
    RetentionRule.objects.create(item=xzcf, years=7, basis="测试：行业规定保存 7 年")
    assert purge_run(dt.date(2030, 10, 5)).records == 0
    RetentionRule.objects.filter(item=xzcf).update(years=3)
    dry = purge_run(dt.date(2030, 10, 5), dry_run=True)
    assert dry.records == 4
    assert Record.objects.filter(item=xzcf).count() == 4
    assert not PurgeTombstone.objects.exists() and not PurgedRecord.objects.exists()


def test_a_record_under_objection_waits_and_a_closed_objection_goes_with_it(day, held, admin_user):
    from xinyong.rights.services import objection_accept, objection_refuse

    gone = held[GONE_COMPANY]
    kept_company = held["神农架林海1商贸有限公司"]
    day("2025-10-11")
    applicant = company_applicant(name=GONE_COMPANY, code=company_code(3))
    filed = objection_submit(record_id=gone.pk, applicant=applicant, reason="记录有误")
    applicant1 = company_applicant(name="神农架林海1商贸有限公司", code=company_code(1))
    closed = objection_submit(record_id=kept_company.pk, applicant=applicant1, reason="有误")
    objection_refuse(actor=admin_user, objection=closed.objection, reason="不属于异议范围")
    today = day("2030-10-05")

    counts = purge_run(today)
    assert counts.kept == 1 and counts.records == 2
    assert Record.objects.filter(pk=gone.pk).exists()
    assert Objection.objects.filter(pk=filed.objection.pk).exists()
    assert not Objection.objects.filter(pk=closed.objection.pk).exists()
    # Accepted and open: the record is disputed and also waits.
    objection_accept(actor=admin_user, objection=filed.objection)
    assert purge_run(today).records == 0


def test_the_worker_runs_it_periodically(day, held):
    assert tasks.purge in [p.task for p in periodic_tasks()]
    day("2030-10-05")
    assert tasks.purge.call() == {"records": 3, "subjects": 2, "kept": 0}


def test_the_command_refuses_a_future_date_and_dry_runs(day, held):
    day("2030-10-05")
    with pytest.raises(CommandError, match="晚于今天"):
        call_command("purge", "--date", "2030-10-06")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("purge", "--date", "2030/10/05")
    out = StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "试运行" in out.getvalue() and "记录 3 条" in out.getvalue()
    assert Record.objects.filter(item__code="XZCF").count() == 4
    out = StringIO()
    call_command("purge", "--date", "2030-10-05", stdout=out)
    assert "记录 3 条" in out.getvalue()
    assert Record.objects.filter(item__code="XZCF").count() == 1


def test_chunks_are_transactions_of_their_own_and_go_to_the_exchange(day, held):
    from xinyong.core.models import OutboxMessage

    today = day("2030-10-05")
    counts = purge_run(today, chunk=1)
    assert counts.records == 3
    # One audit row and one outbox message per chunk; one tombstone per day, item, department.
    assert AuditLog.objects.filter(action="record.purge").count() == 3
    assert PurgeTombstone.objects.get().count == 3
    messages = OutboxMessage.objects.filter(topic="records.purge")
    ids = sorted(i for m in messages for i in m.payload["record_ids"])
    assert ids == sorted(PurgedRecord.objects.values_list("record_id", flat=True))
    assert GONE_COMPANY not in json.dumps([m.payload for m in messages], ensure_ascii=False)


def test_the_credit_office_sets_the_retention_per_item_in_the_admin(client_as, xzcf):
    from xinyong.orgs.models import User

    root = User.objects.create_superuser("root", password="pw-for-tests-123", role="credit_admin")
    client = client_as(root)
    response = client.post(
        "/admin/records/retentionrule/add/",
        {"item": xzcf.pk, "years": "7", "basis": "行业规定"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RetentionRule.objects.get(item=xzcf).years == 7
    row = AuditLog.objects.get(action="retention_rule.save")
    assert row.after == {"item": xzcf.pk, "years": 7, "basis": "行业规定"}
    tombstones = client.get("/admin/records/purgetombstone/")
    assert tombstones.status_code == 200
