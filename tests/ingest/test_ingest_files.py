"""Files as clerks have them: every row accepted or rejected with its reason."""

import datetime as dt
import logging
from pathlib import Path

import pytest

from support.ingest_files import AGENCY_CODE, company_code, penalty_row, write_csv, write_xlsx
from xinyong.core import clock
from xinyong.core.crypto import plain_chunks
from xinyong.core.identifiers import uscc_with_checks
from xinyong.ingest.models import Batch, RejectedRow
from xinyong.ingest.services import batch_submit_file
from xinyong.records.models import Record, RecordRevision

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]


def submit(path, department, item):
    return batch_submit_file(department=department, item=item, path=Path(path))


def errors_of(batch, row_number):
    return RejectedRow.objects.get(batch=batch, row_number=row_number).clear_errors()


def test_good_csv_accepted_in_full(tmp_path, department, xzcf):
    batch = submit(
        write_csv(tmp_path / "a.csv", [penalty_row(1), penalty_row(2)]), department, xzcf
    )
    assert (batch.status, batch.received, batch.accepted, batch.rejected) == ("done", 2, 2, 0)
    record = Record.objects.get(doc_number="神市监罚〔2025〕1号")
    assert record.decision_date == dt.date(2025, 9, 30)
    assert record.subject.uscc == company_code(1)
    assert "0.5" in record.data.values()
    assert record.version_id == xzcf.current_version_id
    assert record.source_batch_id == batch.pk and record.source_row == 2


def test_xlsx_with_real_dates_and_numbers(tmp_path, department, xzcf):
    row = penalty_row(1, **{"处罚决定日期": dt.datetime(2025, 9, 30), "罚款金额（万元）": 0.5})
    batch = submit(write_xlsx(tmp_path / "a.xlsx", [row]), department, xzcf)
    assert (batch.received, batch.accepted) == (1, 1)
    assert Record.objects.get().decision_date == dt.date(2025, 9, 30)


def test_gb18030_csv(tmp_path, department, xzcf):
    path = write_csv(tmp_path / "gbk.csv", [penalty_row(1)], encoding="gb18030")
    batch = submit(path, department, xzcf)
    assert batch.accepted == 1
    assert Record.objects.get().subject.name == "神农架林海1商贸有限公司"


def test_codes_normalised_full_width_lower_case_spaces(tmp_path, department, xzcf):
    code = company_code(7)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    rows = [
        penalty_row(1, **{"行政相对人代码_1(统一社会信用代码)": f"  {code.lower()} "}),
        penalty_row(2, **{"行政相对人代码_1(统一社会信用代码)": full_width}),
    ]
    batch = submit(write_csv(tmp_path / "a.csv", rows), department, xzcf)
    assert batch.accepted == 2
    assert set(Record.objects.values_list("subject__uscc", flat=True)) == {code}


def test_codes_starting_with_n_and_y_accepted(tmp_path, department, xzcf):
    rural = uscc_with_checks("N2429021" + "12345678")
    other = uscc_with_checks("Y1429021" + "87654321")
    rows = [
        penalty_row(
            1,
            **{"行政相对人代码_1(统一社会信用代码)": rural, "行政相对人名称": "某村股份经济合作社"},
        ),
        penalty_row(
            2, **{"行政相对人代码_1(统一社会信用代码)": other, "行政相对人名称": "某其他组织"}
        ),
    ]
    batch = submit(write_csv(tmp_path / "a.csv", rows), department, xzcf)
    assert (batch.accepted, batch.rejected) == (2, 0)


def test_each_bad_value_rejected_with_row_field_and_reason(tmp_path, department, xzcf):
    code = company_code(3)
    wrong_check = code[:17] + ("0" if code[17] != "0" else "1")
    rows = [
        penalty_row(1),
        penalty_row(2, **{"行政相对人代码_1(统一社会信用代码)": wrong_check}),
        penalty_row(3, **{"处罚决定日期": "2023/02/30"}),
        penalty_row(4, **{"处罚决定日期": "2025/12/01"}),  # after "today" (2025-10-09)
        penalty_row(5, **{"罚款金额（万元）": "五千元"}),
        penalty_row(6, **{"违法事实": ""}),
        penalty_row(7, **{"处罚类别": "罚酒三杯"}),
        penalty_row(8, **{"行政相对人代码_1(统一社会信用代码)": "91429021OOOOOOOO0X"}),
    ]
    batch = submit(write_csv(tmp_path / "a.csv", rows), department, xzcf)
    assert (batch.received, batch.accepted, batch.rejected) == (8, 1, 7)
    assert batch.accepted + batch.rejected == batch.received

    (err,) = errors_of(batch, 3)
    assert "统一社会信用代码" in err["field"] and "第18位" in err["message"]
    assert err["value"] == wrong_check
    (err,) = errors_of(batch, 4)
    assert err["field"] == "处罚决定日期" and "不是有效日期" in err["message"]
    (err,) = errors_of(batch, 5)
    assert "将来" in err["message"]
    (err,) = errors_of(batch, 6)
    assert err["field"] == "罚款金额（万元）" and "不是数值" in err["message"]
    (err,) = errors_of(batch, 7)
    assert err["field"] == "违法事实" and err["message"] == "必填项为空"
    (err,) = errors_of(batch, 8)
    assert err["field"] == "处罚类别" and "不在代码表中" in err["message"]
    (err,) = errors_of(batch, 9)
    assert "不是统一社会信用代码允许的字符" in err["message"] or "O" in err["message"]
    # The rejected row is kept as received, every column.
    kept = RejectedRow.objects.get(batch=batch, row_number=4).clear_values()
    assert (
        kept["处罚决定日期"] == "2023/02/30" and kept["行政相对人名称"] == "神农架林海3商贸有限公司"
    )


def test_all_errors_of_a_row_are_reported(tmp_path, department, xzcf):
    row = penalty_row(1, **{"处罚决定日期": "2023/02/30", "违法事实": "", "罚款金额（万元）": "x"})
    batch = submit(write_csv(tmp_path / "a.csv", [row]), department, xzcf)
    fields = {e["field"] for e in errors_of(batch, 2)}
    assert fields == {"处罚决定日期", "违法事实", "罚款金额（万元）"}


def test_same_file_twice_is_one_record(tmp_path, department, xzcf):
    path = write_csv(tmp_path / "a.csv", [penalty_row(1), penalty_row(2)])
    first = submit(path, department, xzcf)
    again = submit(path, department, xzcf)
    assert (first.created, again.created, again.unchanged, again.updated) == (2, 0, 2, 0)
    assert Record.objects.count() == 2
    assert RecordRevision.objects.count() == 0


def test_changed_row_is_a_new_revision(tmp_path, department, xzcf):
    submit(write_csv(tmp_path / "a.csv", [penalty_row(1)]), department, xzcf)
    fixed = penalty_row(1, **{"罚款金额（万元）": "0.8", "处罚内容": "罚款人民币0.8万元"})
    batch = submit(write_csv(tmp_path / "b.csv", [fixed]), department, xzcf)
    assert (batch.created, batch.updated) == (0, 1)
    record = Record.objects.get()
    assert record.revision == 2
    old = record.revisions.get()
    assert old.revision == 1
    assert "0.5" in old.data.values() and "0.8" in record.data.values()


def test_same_key_twice_in_one_file_keeps_both_as_revisions(tmp_path, department, xzcf):
    rows = [penalty_row(1), penalty_row(1, **{"罚款金额（万元）": "0.9"})]
    batch = submit(write_csv(tmp_path / "a.csv", rows), department, xzcf)
    assert (batch.created, batch.updated) == (1, 1)
    record = Record.objects.get()
    assert record.revision == 2 and "0.9" in record.data.values()


def test_late_marking_across_a_weekend(tmp_path, department, xzcf):
    # Decided Friday 2025-10-17: due within 7 days, by Friday 2025-10-24.
    row = penalty_row(1, **{"处罚决定日期": "2025/10/17"})
    with clock.pinned(dt.date(2025, 10, 24)):
        on_time = submit(write_csv(tmp_path / "a.csv", [row]), department, xzcf)
    assert on_time.late == 0
    assert not Record.objects.get().is_late
    row2 = penalty_row(2, **{"处罚决定日期": "2025/10/17"})
    with clock.pinned(dt.date(2025, 10, 27)):  # the Monday after: 10 days
        late = submit(write_csv(tmp_path / "b.csv", [row2]), department, xzcf)
    assert late.late == 1 and late.accepted == 1
    record = Record.objects.get(doc_number="神市监罚〔2025〕2号")
    assert record.is_late and record.submit_due == dt.date(2025, 10, 24)


def test_header_by_alias_and_in_other_order_with_title_row(tmp_path, department, xzcf):
    row = penalty_row(1)
    header = list(reversed(HEADER_WITH_ALIAS))
    path = tmp_path / "a.csv"
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["神农架林区行政处罚信息（2025年9月）"])
        writer.writerow(header)
        writer.writerow([row[ALIAS_TO_LABEL.get(h, h)] for h in header])
    batch = submit(path, department, xzcf)
    assert batch.accepted == 1, list(batch.rejected_rows.values_list("errors", flat=True))


ALIAS_TO_LABEL = {
    "统一社会信用代码": "行政相对人代码_1(统一社会信用代码)",
    "决定日期": "处罚决定日期",
}
HEADER_WITH_ALIAS = [{v: k for k, v in ALIAS_TO_LABEL.items()}.get(h, h) for h in penalty_row(1)]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "空"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "不是 Excel"),
        ("名称,地址\n甲,乙\n".encode(), "表头"),
        ("行政相对人名称,处罚决定日期\n".encode() + b"\xff\x20\x81\x20,2025/09/30\n", "编码"),
    ],
)
def test_bad_files_fail_the_batch_with_a_reason(tmp_path, department, xzcf, content, reason):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    batch = submit(path, department, xzcf)
    assert batch.status == Batch.Status.FAILED
    assert reason in batch.failure_reason
    assert Record.objects.count() == 0 and RejectedRow.objects.count() == 0


def test_missing_required_column_fails_batch_naming_it(tmp_path, department, xzcf):
    row = penalty_row(1)
    del row["违法事实"]
    batch = submit(write_csv(tmp_path / "a.csv", [row]), department, xzcf)
    assert batch.status == "failed" and "违法事实" in batch.failure_reason


def test_too_large_file_refused(tmp_path, department, xzcf, monkeypatch):
    monkeypatch.setenv("XINYONG_MAX_UPLOAD_MB", "0")
    batch = submit(write_csv(tmp_path / "a.csv", [penalty_row(1)]), department, xzcf)
    assert batch.status == "failed" and "过大" in batch.failure_reason
    assert Record.objects.count() == 0


def test_file_is_kept_as_received(tmp_path, department, xzcf, settings):
    path = write_csv(tmp_path / "原始.csv", [penalty_row(1)], encoding="gb18030")
    batch = submit(path, department, xzcf)
    stored = Path(settings.MEDIA_ROOT) / batch.stored_file
    # Encrypted at rest; it decrypts to the file as received.
    assert b"".join(plain_chunks(stored)) == path.read_bytes()
    assert path.read_bytes()[:40] not in stored.read_bytes()


def test_empty_lines_are_not_rows(tmp_path, department, xzcf):
    path = write_csv(tmp_path / "a.csv", [penalty_row(1), {}, penalty_row(2)])
    batch = submit(path, department, xzcf)
    assert (batch.received, batch.accepted) == (2, 2)


def test_agency_code_checked_too(tmp_path, department, xzcf):
    bad = AGENCY_CODE[:17] + ("0" if AGENCY_CODE[17] != "0" else "1")
    batch = submit(
        write_csv(tmp_path / "a.csv", [penalty_row(1, **{"处罚机关统一社会信用代码": bad})]),
        department,
        xzcf,
    )
    assert batch.rejected == 1


def test_wrong_code_rate_counts_rows_with_a_bad_subject_code(tmp_path, department, xzcf):
    from xinyong.subjects.selectors import quality_by_department

    code = company_code(9)
    rows = [
        penalty_row(1),
        penalty_row(
            2,
            **{"行政相对人代码_1(统一社会信用代码)": code[:17] + ("0" if code[17] != "0" else "1")},
        ),
        penalty_row(3, **{"违法事实": ""}),  # rejected, but its code is fine
    ]
    batch = submit(write_csv(tmp_path / "a.csv", rows), department, xzcf)
    assert (batch.coded_rows, batch.wrong_codes) == (3, 1)
    figures = {row["department_id"]: row for row in quality_by_department()}
    assert figures[department.pk]["wrong_code_rate"] == pytest.approx(1 / 3)


def test_parallel_reading_gives_the_same_batch(tmp_path, department, xzcf, monkeypatch):
    rows = [penalty_row(n) for n in range(1, 40)] + [
        penalty_row(40, **{"处罚决定日期": "2023/02/30"})
    ]
    monkeypatch.setenv("XINYONG_INGEST_PARALLEL_BYTES", "0")
    batch = submit(write_csv(tmp_path / "a.csv", rows), department, xzcf)
    assert (batch.received, batch.accepted, batch.rejected, batch.created) == (40, 39, 1, 39)
    assert errors_of(batch, 41)[0]["field"] == "处罚决定日期"


@pytest.mark.parametrize("reading_side_finishes", [True, False])
def test_either_side_may_finish_the_rows_with_the_same_records(
    tmp_path, department, other_department, xzcf, monkeypatch, reading_side_finishes
):
    """The last steps of a row (due date, late flag, disclosure window, the
    subject's name key) run on whichever side of an import has time: the
    records come out the same either way."""
    from xinyong.ingest.pipeline import writing

    rows = [penalty_row(n, **{"处罚决定日期": f"2025/09/{n:02d}"}) for n in range(1, 26)]
    rows.append(penalty_row(26, **{"处罚决定日期": "2023/02/30"}))
    reference = submit(write_csv(tmp_path / "a.csv", rows), department, xzcf)
    xzcf.departments.add(other_department)  # the same rows again, as new records

    original = writing.read_and_validate
    monkeypatch.setattr(
        writing,
        "read_and_validate",
        lambda reading, rows: original(reading, rows, lambda: reading_side_finishes),
    )
    batch = submit(write_csv(tmp_path / "b.csv", rows), other_department, xzcf)
    assert (batch.received, batch.accepted, batch.rejected, batch.late) == (
        reference.received,
        reference.accepted,
        reference.rejected,
        reference.late,
    )
    columns = ("record_key", "submit_due", "is_late", "publish_due", "disclosure_end",
               "disclosure_tier", "published_on", "subject__name_key")  # fmt: skip
    assert list(
        Record.objects.filter(source_batch_id=batch.pk).order_by("record_key").values_list(*columns)
    ) == list(
        Record.objects.filter(source_batch_id=reference.pk)
        .order_by("record_key")
        .values_list(*columns)
    )


def test_a_row_that_fails_while_finishing_is_rejected_with_its_content(
    tmp_path, department, xzcf, monkeypatch
):
    """Nothing lost: a row whose last steps fail unexpectedly ends rejected,
    with its content under the standard headers, ready to fix and re-import."""
    from xinyong.ingest.pipeline.reading import Reading

    original = Reading._values

    def failing(self, pending):
        if pending.row_number == 3:
            raise RuntimeError("boom")
        return original(self, pending)

    monkeypatch.setattr(Reading, "_values", failing)
    rows = [penalty_row(n) for n in range(1, 4)]
    batch = submit(write_csv(tmp_path / "a.csv", rows), department, xzcf)
    assert (batch.received, batch.accepted, batch.rejected) == (3, 2, 1)
    rejected = RejectedRow.objects.get(batch=batch)
    assert rejected.row_number == 3
    assert rejected.clear_errors()[0]["message"] == "无法处理该行，请联系信用办"
    assert rejected.clear_values()["行政处罚决定书文号"] == rows[1]["行政处罚决定书文号"]


def test_an_import_of_many_chunks_refreshes_statistics_and_keeps_every_row(
    tmp_path, department, xzcf, monkeypatch
):
    """A long import refreshes the database's statistics as the tables grow
    (PostgreSQL) and checks each chunk's references as it is written: every
    row still ends accepted or rejected, and a subject first seen in one
    chunk is the same subject when a later chunk names it again."""
    from xinyong.ingest.pipeline import reading

    monkeypatch.setattr(reading, "CHUNK_ROWS", 2)
    rows = [penalty_row(n, **{"行政相对人名称": f"神农架第{n % 4}公司"}) for n in range(1, 13)]
    for n, row in enumerate(rows, start=1):
        row["行政相对人代码_1(统一社会信用代码)"] = company_code(n % 4 + 1)
    rows.append(penalty_row(13, **{"处罚决定日期": "2023/02/30"}))
    batch = submit(write_csv(tmp_path / "a.csv", rows), department, xzcf)
    assert (batch.status, batch.received, batch.accepted, batch.rejected) == ("done", 13, 12, 1)
    records = Record.objects.filter(source_batch_id=batch.pk)
    assert records.count() == 12
    assert records.values("subject_id").distinct().count() == 4


def test_a_done_batch_logs_where_its_time_went(tmp_path, department, xzcf, caplog):
    """An operator (and `xinyong bench ingest`) sees which part of an import
    took the time: writing, waiting for rows, making the batch live, commit."""
    caplog.set_level(logging.INFO, logger="xinyong.ingest.pipeline")
    batch = submit(
        write_csv(tmp_path / "a.csv", [penalty_row(1), penalty_row(2)]), department, xzcf
    )
    (line,) = [r for r in caplog.records if getattr(r, "timings", None) is not None]
    assert line.getMessage().startswith(f"batch {batch.pk}: 2 rows; writing ")
    assert set(line.timings) == {"writing", "waiting", "activate", "publish", "commit"}
    assert all(seconds >= 0 for seconds in line.timings.values())
