"""Hostile files (issue 12, item 4): whatever a file holds, it is refused
with a Chinese reason naming the limit, or read in bounded memory; the batch
ends failed and the worker lives on."""

import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.test import TestCase

from support.ingest_files import HEADER, penalty_row, write_csv
from support.tasks import run_ready_tasks
from support.xlsx import hand_xlsx, sheet_xml
from xinyong.core.errors import ApplicationError
from xinyong.ingest import pipeline, services
from xinyong.ingest.models import Batch
from xinyong.ingest.progress import estimate_rows
from xinyong.ingest.readers import FileProblem, read_rows, sniff_kind
from xinyong.ingest.uploads import HashingUploadHandler
from xinyong.records.models import Record


def far_cell_xlsx(path: Path, *, dimension: bool = True) -> Path:
    """The 1.8 KB file of the issue: cells A1 and XFD1048576."""
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    return hand_xlsx(path, sheet_xml(rows, "A1:XFD1048576" if dimension else ""))


def refusal(path: Path) -> str:
    with pytest.raises(FileProblem) as caught:
        for _row in read_rows(path):
            pass
    return caught.value.message


# -- 1. checked before reading ---------------------------------------------------------


def test_a_far_cell_is_refused_by_the_declared_dimension_naming_the_limit(tmp_path):
    path = far_cell_xlsx(tmp_path / "far.xlsx")
    assert path.stat().st_size < 2000
    assert refusal(path) == "表格超过 1000 列的上限，请删除多余的列后重新上传"


def test_a_far_cell_is_refused_without_a_dimension_too(tmp_path):
    message = refusal(far_cell_xlsx(tmp_path / "far.xlsx", dimension=False))
    assert "1000 列的上限" in message and "第 16384 列有内容" in message


def test_a_far_row_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("XINYONG_MAX_ROWS", "1000")
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1001"><c r="A1001"><v>2</v></c></row>'
    assert refusal(hand_xlsx(tmp_path / "a.xlsx", sheet_xml(rows))) == (
        "表格超过 1000 行的上限，请分成几个文件上传"
    )
    declared = hand_xlsx(tmp_path / "b.xlsx", sheet_xml('<row r="1"/>', "A1:B5000"))
    assert "1000 行的上限" in refusal(declared)


def test_a_huge_cell_is_refused_shared_or_inline(tmp_path):
    long = "长" * 32_768
    shared = hand_xlsx(
        tmp_path / "s.xlsx",
        sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        shared=[long],
    )
    assert refusal(shared) == "表格中有单元格超过 32767 个字符的上限"
    inline = hand_xlsx(
        tmp_path / "i.xlsx",
        sheet_xml(f'<row r="2"><c r="B2" t="inlineStr"><is><t>{long}</t></is></c></row>'),
    )
    assert refusal(inline) == "第 2 行有单元格超过 32767 个字符的上限"


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path):
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>' + " " * (50 << 20)
    path = hand_xlsx(tmp_path / "bomb.xlsx", sheet_xml(rows))
    assert path.stat().st_size < 200_000
    assert refusal(path) == "文件内部压缩比超过 200 倍的上限，疑为压缩炸弹，已拒绝"


def test_an_xlsx_over_the_unpacked_size_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("XINYONG_XLSX_MAX_UNPACKED_MB", "1")
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n * 7919}</v></c></row>' for n in range(1, 40_000)
    )
    assert refusal(hand_xlsx(tmp_path / "a.xlsx", sheet_xml(rows))) == (
        "表格解压后超过 1 MB 的上限，请分成几个文件上传"
    )


def test_an_xlsx_with_thousands_of_members_is_refused(tmp_path):
    path = hand_xlsx(tmp_path / "a.xlsx", sheet_xml('<row r="1"/>'))
    with zipfile.ZipFile(path, "a") as archive:
        for n in range(10_001):
            archive.writestr(f"x/{n}", b"")
    assert "成员过多" in refusal(path)


def test_a_csv_line_over_the_limit_is_refused_after_reading_the_limit_only(tmp_path):
    path = tmp_path / "commas.csv"
    path.write_bytes(b"a,b\n" + b"," * 3_000_000 + b"\n")
    assert refusal(path) == "CSV 文件有一行超过 1048576 个字符的上限"


def test_a_csv_wider_than_the_column_limit_is_refused(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["x"] * 1001) + "\n", encoding="utf-8")
    assert refusal(path) == "表格超过 1000 列的上限（第 1001 列有内容），请删除多余的列后重新上传"


def test_a_csv_cell_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "cell.csv"
    path.write_text("a,b\n1," + "长" * 32_768 + "\n", encoding="utf-8")
    assert refusal(path) == "第 2 行有单元格超过 32767 个字符的上限"


# -- 3. memory stays bounded -----------------------------------------------------------

_MEASURE = """
import os, resource, sys
from pathlib import Path
import django
django.setup()
from xinyong.ingest.progress import estimate_rows
from xinyong.ingest.readers import FileProblem, read_rows, sniff_kind
from xinyong.ingest.uploads import HashingUploadHandler
cells = 0
try:
    for row in read_rows(Path(sys.argv[1])):
        cells += len(row)
    outcome = f"read {cells}"
except FileProblem as exc:
    outcome = "refused " + exc.message
print(outcome)
# The peak of this process's own memory since exec: getrusage's ru_maxrss
# would count the pages of the test process that spawned it.
status = Path("/proc/self/status")
if status.exists():
    peak = next(l for l in status.read_text().splitlines() if l.startswith("VmHWM"))
    print(int(peak.split()[1]) // 1024)
else:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def peak_mb(path: Path) -> tuple[str, int]:
    """Read the file in a child process; its outcome and its peak RSS in MB."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xinyong.settings"}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outcome, peak = done.stdout.strip().splitlines()[-2:]
    return outcome, int(peak)


MEMORY_BOUND_MB = 300


def test_50_mb_of_commas_reads_in_bounded_memory(tmp_path):
    path = tmp_path / "commas.csv"
    path.write_bytes(b"," * (50 << 20))
    outcome, peak = peak_mb(path)
    assert outcome.startswith("refused") and "字符的上限" in outcome
    assert peak < MEMORY_BOUND_MB


def test_a_dense_xlsx_reads_in_bounded_memory(tmp_path):
    """1,000 columns (the limit) by 4,000 rows of numbers: a 1.5 MB file of
    4 million cells, read row by row."""
    rows = []
    for r in range(1, 4001):
        cells = "".join(f"<c><v>{(r * c) % 97}</v></c>" for c in range(1000))
        rows.append(f'<row r="{r}">{cells}</row>')
    path = hand_xlsx(tmp_path / "dense.xlsx", sheet_xml("".join(rows), "A1:ALL4000"))
    assert path.stat().st_size < 3 << 20
    outcome, peak = peak_mb(path)
    assert outcome == "read 4000000"
    assert peak < MEMORY_BOUND_MB


# -- 4. Excel's "Unicode text" ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("on_day")
def test_excel_unicode_text_is_read(tmp_path, department, xzcf):
    """Excel's 另存为 "Unicode 文本": UTF-16 LE with its mark, tab-separated."""
    lines = ["\t".join(HEADER)] + ["\t".join(penalty_row(n)[h] for h in HEADER) for n in (1, 2)]
    path = tmp_path / "unicode.txt"
    path.write_bytes(b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))
    batch = services.batch_submit_file(department=department, item=xzcf, path=path)
    assert batch.failure_reason == ""
    assert (batch.status, batch.received, batch.accepted) == ("done", 2, 2)
    assert Record.objects.count() == 2


# -- 5. through the worker: the batch fails, the worker lives ---------------------------


def _comma_flood(path: Path) -> Path:
    path.write_bytes(b"," * (3 << 20))
    return path


def _far_column_in_row_2(path: Path) -> Path:
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="XFD2"><v>1</v></c></row>'
    return hand_xlsx(path, sheet_xml(rows))


def _garbled_number(path: Path) -> Path:
    rows = '<row r="1"><c r="A1"><v>名称</v></c><c r="B1"><v>not a number</v></c></row>'
    return hand_xlsx(path, sheet_xml(rows))


@pytest.mark.django_db
@pytest.mark.usefixtures("on_day")
@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("far.xlsx", far_cell_xlsx, "1000 列的上限"),
        ("wide.xlsx", _far_column_in_row_2, "第 16384 列有内容"),
        ("bomb.xlsx", lambda p: hand_xlsx(p, sheet_xml(" " * (20 << 20))), "压缩炸弹"),
        ("commas.csv", _comma_flood, "字符的上限"),
        ("garbled.xlsx", _garbled_number, "内容已损坏"),
    ],
)
def test_a_hostile_upload_fails_its_batch_and_the_worker_goes_on(
    tmp_path, clerk, department, xzcf, name, make, reason
):
    hostile = make(tmp_path / name)
    good = write_csv(tmp_path / "good.csv", [penalty_row(1)])
    with TestCase.captureOnCommitCallbacks(execute=True):
        bad_batch = services.batch_submit_upload(
            actor=clerk,
            department=department,
            item=xzcf,
            upload=SimpleUploadedFile(name, hostile.read_bytes()),
        )
        good_batch = services.batch_submit_upload(
            actor=clerk,
            department=department,
            item=xzcf,
            upload=SimpleUploadedFile("good.csv", good.read_bytes()),
        )
    # The two batches, then the build of the public CSV files the good one queued.
    assert run_ready_tasks() == 3
    bad_batch.refresh_from_db()
    good_batch.refresh_from_db()
    assert bad_batch.status == Batch.Status.FAILED
    assert reason in bad_batch.failure_reason
    assert (good_batch.status, good_batch.accepted) == (Batch.Status.DONE, 1)


# -- 2. the upload limit, while streaming -----------------------------------------------


def _kept_files():
    root = Path(settings.MEDIA_ROOT) / "uploads"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
@pytest.mark.usefixtures("on_day")
def test_an_upload_over_the_limit_is_stopped_while_streaming_and_not_kept(
    tmp_path, client_as, clerk, xzcf, monkeypatch
):
    monkeypatch.setenv("XINYONG_MAX_UPLOAD_MB", "1")
    before = _kept_files()
    big = b"a,b\n" + b"1,2\n" * (3 << 18)  # 3 MB
    response = client_as(clerk).post(
        "/staff/ingest/upload/", {"item": xzcf.pk, "file": SimpleUploadedFile("big.csv", big)}
    )
    assert response.status_code == 200
    assert "文件超过 1 MB 的上限，未保存，请分成几个文件上传" in response.content.decode()
    assert not Batch.objects.exists()
    assert _kept_files() == before


def test_the_upload_handler_never_writes_past_the_limit(monkeypatch, rf):
    monkeypatch.setenv("XINYONG_MAX_UPLOAD_MB", "1")
    handler = HashingUploadHandler(rf.post("/"))
    handler.new_file("file", "big.csv", "text/csv", None)
    temporary = Path(handler.file.temporary_file_path())
    chunk = b"x" * (64 << 10)
    written = 0
    with pytest.raises(StopUpload):
        for _n in range(48):  # 3 MB offered
            handler.receive_data_chunk(chunk, written)
            written += len(chunk)
            # At most the limit of data, plus the encryption's header and chunk tags.
            assert temporary.stat().st_size <= (1 << 20) + 4096
    assert handler.refused and written <= 1 << 20
    assert not temporary.exists()  # deleted as it was stopped


def test_a_declared_length_over_the_limit_is_refused_before_a_byte(monkeypatch, rf):
    monkeypatch.setenv("XINYONG_MAX_UPLOAD_MB", "1")
    handler = HashingUploadHandler(rf.post("/"))
    with pytest.raises(StopUpload):
        handler.new_file("file", "big.csv", "text/csv", 5 << 20)
    assert handler.refused


@pytest.mark.django_db
@pytest.mark.usefixtures("on_day")
def test_a_file_over_the_limit_from_the_command_line_is_not_copied(
    tmp_path, department, xzcf, monkeypatch
):
    monkeypatch.setenv("XINYONG_MAX_UPLOAD_MB", "0")
    before = _kept_files()
    batch = services.batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "a.csv", [penalty_row(1)])
    )
    assert batch.status == "failed" and "上限为 0 MB" in batch.failure_reason
    assert batch.stored_file == "" and _kept_files() == before


def test_a_bomb_is_refused_before_anything_reads_a_part(tmp_path):
    """The row estimate and the sniffing open the zip before the reader does:
    a 100 MB workbook part packed into 100 KB is never unpacked."""
    path = hand_xlsx(tmp_path / "a.xlsx", sheet_xml('<row r="1"/>'))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet2.xml", b" " * (100 << 20))
    with pytest.raises(FileProblem):
        sniff_kind(path)
    assert estimate_rows(path) is None


def test_rows_of_excel_unicode_text_are_estimated(tmp_path):
    path = tmp_path / "u.txt"
    lines = "".join(f"上\t{n}\r\n" for n in range(5))  # 上 is U+4E0A: a 0x0A byte
    path.write_bytes(b"\xff\xfe" + lines.encode("utf-16-le"))
    assert estimate_rows(path) == 4


def test_a_quoted_csv_cell_of_many_lines_is_refused_naming_the_limit(tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text('a,b\n1,"' + "长\n" * 20_000 + '"\n', encoding="utf-8")
    assert refusal(path) == "第 2 行有单元格超过 32767 个字符的上限"
    path.write_text('a,b\n1,"' + "长\n" * 70_000 + '"\n', encoding="utf-8")
    assert refusal(path) == "第 2 行有单元格超过 32767 个字符的上限"


@pytest.mark.django_db
@pytest.mark.usefixtures("on_day")
def test_a_reader_that_aborts_its_process_fails_the_batch_and_this_process_lives(
    tmp_path, department, xzcf
):
    """What calamine does on a hostile .xls (allocates past memory, aborts),
    in the reading process that such a file always gets."""
    path = write_csv(tmp_path / "a.csv", [penalty_row(1)])
    batch = services.batch_submit_file(department=department, item=xzcf, path=path)
    assert batch.status == "done"

    def aborting_rows():
        # Killed as the kernel kills a process out of memory (an abort would
        # do the same, with pytest's fault handler printing its stack).
        os.kill(os.getpid(), signal.SIGKILL)
        yield []

    batch.status = Batch.Status.PENDING
    pipeline.process(batch, aborting_rows, parallel=True)
    batch.refresh_from_db()
    assert batch.status == Batch.Status.FAILED
    assert batch.failure_reason.startswith("读取文件的进程意外中止，本批次未导入任何数据")


def test_an_old_xls_is_always_read_in_a_process_of_its_own(tmp_path):
    xls = tmp_path / "a.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    csv_file = write_csv(tmp_path / "a.csv", [penalty_row(1)])
    upload = Batch(source=Batch.Source.UPLOAD)
    assert services._read_apart(upload, xls) and not services._read_apart(upload, csv_file)
    assert pipeline.use_worker_process(xls.stat().st_size, isolate=True)


@pytest.mark.django_db
@pytest.mark.usefixtures("on_day")
def test_an_api_push_wider_than_the_column_limit_is_refused(department, xzcf):
    wide = {**penalty_row(1), **{f"多余{n}": "x" for n in range(1_000)}}
    with pytest.raises(ApplicationError) as caught:
        services.batch_submit_api(department=department, item=xzcf, records=[wide])
    assert caught.value.message == "记录共有 1015 个不同的字段名，超过 1000 列的上限"
    assert not Batch.objects.exists()
