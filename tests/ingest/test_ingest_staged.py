"""Issue 12.5: an import commits chunk by chunk, and nothing of it is seen
before its batch is done; a failure mid-way leaves nothing.

The checks run between two chunks of a real import (the progress hook
after the first chunk has committed), on the import's own connection: it
sees the staged rows, so what keeps them out is the filters on every path,
not the transaction.
"""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.urls import reverse

from support.exports import download_csv
from support.ingest_files import company_code, penalty_row, write_csv
from xinyong.ingest import pipeline, progress
from xinyong.ingest.models import Batch, RejectedRow
from xinyong.ingest.services import batch_submit_file
from xinyong.records.models import Record, RecordRevision
from xinyong.records.selectors.shuanggongshi import public_counts
from xinyong.subjects.models import Subject, SubjectConflict
from xinyong.subjects.selectors import conflict_list_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]

# Two chunks and a half (`pipeline.reading.CHUNK_ROWS` is 2,000).
ROWS = 5_000
NEW = 1_234  # a row of the second batch (its first chunk) that nothing live has
CORRECTED = 1  # a row of the first batch that the second corrects


def _first_batch(tmp_path, department, xzcf) -> Batch:
    rows = [penalty_row(n) for n in (CORRECTED, 2, 3)]
    batch = batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "first.csv", rows)
    )
    assert batch.status == "done", batch.failure_reason
    return batch


def _second_rows() -> list[dict]:
    rows = [penalty_row(n) for n in range(1, ROWS + 1)]
    rows[CORRECTED - 1] = penalty_row(CORRECTED, **{"处罚内容": "罚款人民币0.8万元"})
    # A row that names a known subject by its code with another name: a conflict.
    rows[1] = penalty_row(2, **{"行政相对人名称": "神农架另一个名字有限公司"})
    rows[9] = penalty_row(10, **{"处罚决定日期": "2025/02/30"})  # rejected
    return rows


def _on_first_chunk(monkeypatch, check) -> list[int]:
    """Run `check()` once, after the first chunk committed and before the
    second is written; returns the counts it saw (received so far)."""
    seen: list[int] = []
    original = progress.ProgressWriter.__call__

    def hooked(self, counts):
        original(self, counts)
        if not seen:
            seen.append(counts.received)
            check()

    monkeypatch.setattr(progress.ProgressWriter, "__call__", hooked)
    return seen


def _public_texts(client, staff_client, department) -> dict[str, str]:
    """What every public path and the staff pages answer, as text."""
    new_name = penalty_row(NEW)["行政相对人名称"]
    subject = Subject.objects.filter(uscc=company_code(NEW)).first()
    staged = Record.objects.filter(record_key=f"神市监罚〔2025〕{NEW}号").first()
    pages = {
        "search by name": client.get(reverse("portal:search"), {"q": new_name}),
        "search by code": client.get(reverse("portal:search"), {"q": company_code(NEW)}),
        "penalties": client.get(reverse("portal:record_list", args=["penalties"])),
        "open data": client.get("/api/v1/public/records", {"limit": 500}),
        "changes": client.get(
            "/api/v1/public/changes", {"since": "2025-01-01T00:00:00+08:00", "limit": 500}
        ),
        "home": client.get(reverse("portal:home")),
        "late": staff_client.get(reverse("ingest:late_records")),
        "conflicts": staff_client.get(reverse("subjects:conflict_list")),
    }
    # The CSV is the file the worker builds: built now, from what is public now.
    texts = {"csv": download_csv(client, "penalties")}
    for name, response in pages.items():
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        texts[name] = body.decode("utf-8-sig")
        if name in ("open data", "changes"):  # JSON: its Chinese as written
            texts[name] = json.dumps(json.loads(texts[name]), ensure_ascii=False)
    texts["subject page"] = str(
        client.get(reverse("portal:subject", args=[subject.pk])).status_code if subject else 404
    )
    texts["staff subject"] = str(
        staff_client.get(reverse("subjects:subject_detail", args=[subject.pk])).status_code
        if subject
        else 404
    )
    texts["staff record"] = str(
        staff_client.get(reverse("records:detail", args=[staged.pk])).status_code if staged else 404
    )
    return texts


def test_an_unfinished_import_is_seen_nowhere_then_all_at_once(
    tmp_path, department, xzcf, clerk, admin_user, client, monkeypatch
):
    from django.test import Client

    first = _first_batch(tmp_path, department, xzcf)
    staff_client = Client()
    staff_client.force_login(admin_user)
    before_counts = public_counts()
    doc = f"神市监罚〔2025〕{NEW}号"
    new_name = penalty_row(NEW)["行政相对人名称"]

    def check():
        # The chunk is in the database, staged ...
        assert Record.objects.filter(status="staged").count() >= 1_990
        assert Subject.objects.filter(pending_batch_id__isnull=False).exists()
        # ... and on no path.
        texts = _public_texts(client, staff_client, department)
        link = reverse("portal:subject", args=[Subject.objects.get(uscc=company_code(NEW)).pk])
        for name in ("search by name", "search by code"):  # (the page repeats the query)
            assert link not in texts[name], name
        for name in ("penalties", "csv", "open data"):
            assert new_name not in texts[name] and doc not in texts[name], name
            assert "0.8万元" not in texts[name], name  # the correction is not seen yet
        assert doc not in texts["changes"] and new_name not in texts["changes"]
        assert "另一个名字" not in texts["conflicts"]
        assert not conflict_list_for(admin_user).filter(seen_name__contains="另一个名字")
        assert texts["subject page"] == texts["staff subject"] == texts["staff record"] == "404"
        from django.core.cache import cache

        cache.clear()
        assert public_counts() == before_counts
        corrected = Record.objects.live().get(record_key=f"神市监罚〔2025〕{CORRECTED}号")
        assert (corrected.revision, corrected.source_batch_id) == (1, first.pk)

    seen = _on_first_chunk(monkeypatch, check)
    batch = batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "second.csv", _second_rows())
    )
    assert seen == [2_000]
    assert batch.status == "done", batch.failure_reason
    assert (batch.received, batch.accepted, batch.rejected) == (ROWS, ROWS - 1, 1)
    assert batch.received == batch.accepted + batch.rejected
    assert (batch.created, batch.updated, batch.unchanged) == (ROWS - 3 - 1, 2, 1)

    # Done: everything at once, nothing left staged or pending.
    assert not Record.objects.filter(status="staged").exists()
    assert not Subject.objects.filter(pending_batch_id__isnull=False).exists()
    texts = _public_texts(client, staff_client, department)
    link = reverse("portal:subject", args=[Subject.objects.get(uscc=company_code(NEW)).pk])
    assert link in texts["search by name"] and link in texts["search by code"]
    assert doc in texts["csv"]
    assert Record.objects.publicly_visible().filter(record_key=doc).exists()
    assert texts["subject page"] == texts["staff subject"] == texts["staff record"] == "200"
    assert "另一个名字" in texts["conflicts"]
    # The correction merged into the record it corrects: one record, revision
    # 2, its earlier content kept as revision 1.
    corrected = Record.objects.get(record_key=f"神市监罚〔2025〕{CORRECTED}号")
    assert (corrected.revision, corrected.source_batch_id) == (2, batch.pk)
    assert "0.8万元" in json.dumps(corrected.data, ensure_ascii=False)
    assert list(corrected.revisions.values_list("revision", "source_batch_id")) == [(1, first.pk)]
    assert corrected.published_on is not None  # kept its publication
    assert Record.objects.count() == ROWS - 1


def test_a_key_twice_in_a_file_that_corrects_a_live_record(tmp_path, department, xzcf):
    """A live record corrected twice by one batch: both earlier contents
    become revisions, in order, when the batch is done."""
    first = _first_batch(tmp_path, department, xzcf)
    rows = [
        penalty_row(CORRECTED, **{"处罚内容": "罚款人民币0.6万元"}),
        penalty_row(CORRECTED, **{"处罚内容": "罚款人民币0.7万元"}),
    ]
    batch = batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "twice.csv", rows)
    )
    assert (batch.status, batch.updated, batch.created) == ("done", 2, 0)
    record = Record.objects.get(record_key=f"神市监罚〔2025〕{CORRECTED}号")
    assert record.revision == 3
    assert "0.7万元" in json.dumps(record.data, ensure_ascii=False)
    history = list(
        RecordRevision.objects.filter(record=record)
        .order_by("revision")
        .values_list("revision", "source_batch_id")
    )
    assert history == [(1, first.pk), (2, batch.pk)]
    assert "0.6万元" in json.dumps(
        RecordRevision.objects.get(record=record, revision=2).data, ensure_ascii=False
    )


@pytest.mark.parametrize("where", ["between chunks", "inside a chunk"])
def test_a_failure_mid_way_leaves_nothing(tmp_path, department, xzcf, monkeypatch, where):
    from xinyong.ingest.pipeline import writing

    first = _first_batch(tmp_path, department, xzcf)
    before = (Record.objects.count(), Subject.objects.count(), SubjectConflict.objects.count())
    corrected_before = Record.objects.get(record_key=f"神市监罚〔2025〕{CORRECTED}号").data

    def check():
        assert Record.objects.filter(status="staged").count() >= 1_990
        raise RuntimeError("the disk is full")  # inside the import, after a committed chunk

    if where == "between chunks":
        _on_first_chunk(monkeypatch, check)
    else:
        original = writing.record_write_chunk
        calls = []

        def write_then_fail(**kwargs):
            outcome = original(**kwargs)
            calls.append(1)
            if len(calls) == 2:  # the second chunk's records written, then an error
                check()
            return outcome

        monkeypatch.setattr(writing, "record_write_chunk", write_then_fail)
    batch = batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "second.csv", _second_rows())
    )
    assert batch.status == "failed"
    assert "已全部回退" in batch.failure_reason
    assert (batch.received, batch.accepted, batch.rejected) == (0, 0, 0)
    assert not Record.objects.filter(status="staged").exists()
    assert not Subject.objects.filter(pending_batch_id__isnull=False).exists()
    assert not RejectedRow.objects.filter(batch=batch).exists()
    after = (Record.objects.count(), Subject.objects.count(), SubjectConflict.objects.count())
    assert after == before
    record = Record.objects.get(record_key=f"神市监罚〔2025〕{CORRECTED}号")
    assert (record.data, record.revision, record.source_batch_id) == (
        corrected_before,
        1,
        first.pk,
    )


def test_a_retried_batch_adds_up_and_is_idempotent(tmp_path, department, xzcf, monkeypatch):
    """A batch whose first attempt died mid-way (staged rows left behind) is
    run again: the leftovers go first, and it ends as if it ran once."""
    _first_batch(tmp_path, department, xzcf)
    path = write_csv(tmp_path / "second.csv", _second_rows())
    killed = []

    def die():
        killed.append(True)
        raise SystemExit  # as a killed process: no cleanup runs

    _on_first_chunk(monkeypatch, die)
    with pytest.raises(SystemExit):
        batch_submit_file(department=department, item=xzcf, path=path)
    batch = Batch.objects.get(original_name="second.csv")
    assert batch.status == "processing"
    assert Record.objects.filter(source_batch_id=batch.pk, status="staged").count() == 1_998
    monkeypatch.undo()

    batch.attempts += 1  # as `ingest.services` counts the worker's next attempt
    batch = pipeline.process(
        batch, lambda: _rows_of(path), progress=None
    )  # the retry (as the worker's next attempt)
    assert batch.status == "done", batch.failure_reason
    assert (batch.received, batch.accepted, batch.rejected) == (ROWS, ROWS - 1, 1)
    assert RejectedRow.objects.filter(batch=batch).count() == 1
    assert Record.objects.filter(source_batch_id=batch.pk).count() == ROWS - 1 - 1  # 1 unchanged
    assert not Record.objects.filter(status="staged").exists()
    # The same file again: nothing new, every row accounted for.
    again = batch_submit_file(department=department, item=xzcf, path=path)
    assert (again.received, again.accepted, again.rejected) == (ROWS, ROWS - 1, 1)
    assert (again.created, again.updated, again.unchanged) == (0, 0, ROWS - 1)
    assert Record.objects.count() == ROWS - 1


def _rows_of(path: Path):
    from xinyong.ingest.readers import read_rows

    return read_rows(path)


def test_the_daily_job_leaves_staged_rows_alone(tmp_path, department, xzcf, monkeypatch):
    from xinyong.records.tasks import run_daily

    def check():
        run_daily(dt.date(2025, 10, 9))
        assert not Record.objects.live().filter(source_batch_id__isnull=False).exists()
        assert Record.objects.filter(status="staged").count() >= 1_990

    _on_first_chunk(monkeypatch, check)
    batch = batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "second.csv", _second_rows())
    )
    assert batch.status == "done"


def test_a_key_made_live_by_another_writer_meanwhile_is_merged(
    tmp_path, department, xzcf, monkeypatch
):
    """Between the read of the corrections and the batch's end, an API push
    makes one of the batch's new keys live: the end notices (a unique
    constraint) and merges the batch's row into that record."""
    from xinyong.ingest.pipeline import importing
    from xinyong.ingest.services import batch_submit_api

    key = "神市监罚〔2025〕2号"
    original = importing.record_batch_corrections

    def with_a_push_meanwhile(*, batch_id):
        stale = original(batch_id=batch_id)
        if calls:  # the push's own end
            return stale
        calls.append(batch_id)
        pushed = batch_submit_api(
            department=department,
            item=xzcf,
            records=[penalty_row(2, **{"处罚内容": "罚款人民币0.9万元"})],
        )
        assert pushed.status == "done", pushed.failure_reason
        return stale

    monkeypatch.setattr(importing, "record_batch_corrections", with_a_push_meanwhile)
    calls: list[int] = []  # the file's batch reads its corrections first
    rows = [penalty_row(n) for n in range(1, 4)]
    batch = batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "race.csv", rows)
    )
    assert batch.status == "done", batch.failure_reason
    assert (batch.received, batch.accepted) == (3, 3)
    record = Record.objects.get(record_key=key)
    assert (record.revision, record.source_batch_id) == (2, batch.pk)
    assert "0.9万元" in json.dumps(
        RecordRevision.objects.get(record=record, revision=1).data, ensure_ascii=False
    )
    assert Record.objects.count() == 3
    assert not Record.objects.filter(status="staged").exists()


def test_the_recovery_makes_live_the_subjects_of_a_done_batch(tmp_path, department, xzcf):
    """The process died between the batch's last transaction and making its
    subjects live: a worker's recovery finishes it."""
    from xinyong.ingest.services import batch_recover_stalled

    batch = _first_batch(tmp_path, department, xzcf)
    Subject.objects.update(pending_batch_id=batch.pk)
    batch_recover_stalled()
    assert not Subject.objects.filter(pending_batch_id__isnull=False).exists()
    assert Subject.objects.live().count() == 3


@pytest.mark.parametrize("then", ["done", "failed"])
def test_records_turned_active_behind_the_gate_are_seen_nowhere(
    tmp_path, department, xzcf, client, monkeypatch, then
):
    """The new records turn active a chunk per transaction before the batch
    is done; the batch's gate keeps them out of every view and holds the
    change feed; a failure then removes them and the gate."""
    from xinyong.ingest.pipeline import importing
    from xinyong.records.models import PublishingBatch
    from xinyong.records.selectors.changes import FeedPosition, changes_since

    first = _first_batch(tmp_path, department, xzcf)
    since = FeedPosition(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), 0)
    before = [change.record_id for change in changes_since(since, 100).changes]
    original = importing.record_batch_activate

    def activate_then_look(**kwargs):
        corrections = original(**kwargs)
        assert PublishingBatch.objects.filter(batch_id=kwargs["batch_id"]).exists()
        active = Record.objects.filter(source_batch_id=kwargs["batch_id"], status="active")
        assert active.count() >= ROWS - 10
        assert not Record.objects.live().filter(source_batch_id=kwargs["batch_id"]).exists()
        assert (
            not Record.objects.publicly_visible()
            .filter(source_batch_id=kwargs["batch_id"])
            .exists()
        )
        assert Record.objects.publicly_visible().count() == 3  # the first batch's
        assert f"神市监罚〔2025〕{NEW}号" not in download_csv(client, "penalties")
        # The feed holds before the gate's moment: none of the batch's records,
        # nothing changed since (the pinned clock: the first batch's too).
        gate = PublishingBatch.objects.get(batch_id=kwargs["batch_id"])
        listed = changes_since(since, 100).changes
        assert not {change.record_id for change in listed} & set(
            active.values_list("pk", flat=True)
        )
        assert all(change.changed_at < gate.since for change in listed)
        if then == "failed":
            raise RuntimeError("the machine stops")
        return corrections

    monkeypatch.setattr(importing, "record_batch_activate", activate_then_look)
    batch = batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "second.csv", _second_rows())
    )
    assert not PublishingBatch.objects.exists()
    if then == "failed":
        assert batch.status == "failed"
        assert Record.objects.count() == 3
        assert Record.objects.filter(source_batch_id=first.pk).count() == 3
        assert not Subject.objects.filter(pending_batch_id__isnull=False).exists()
        return
    assert batch.status == "done", batch.failure_reason
    assert Record.objects.publicly_visible().count() == ROWS - 1
    listed = {change.record_id for change in changes_since(since, ROWS + 10).changes}
    assert Record.objects.filter(source_batch_id=batch.pk).count() == len(listed - set(before)) + 2


def test_a_batch_done_keeps_its_records_if_its_subjects_step_stops(
    tmp_path, department, xzcf, monkeypatch
):
    from xinyong.ingest.pipeline import importing
    from xinyong.ingest.services import batch_recover_stalled

    def stops(*, batch_id):
        raise RuntimeError("the process is stopping")

    monkeypatch.setattr(importing, "subject_batch_publish", stops)
    batch = _first_batch(tmp_path, department, xzcf)  # asserts done
    assert Record.objects.publicly_visible().count() == 3
    assert Subject.objects.filter(pending_batch_id=batch.pk).count() == 3
    monkeypatch.undo()
    batch_recover_stalled()
    assert Subject.objects.live().count() == 3
    assert Record.objects.publicly_visible().count() == 3
