"""A department's upload of signed commitments: real csv and xlsx files
through the staff page and the task queue; every row accepted or rejected
with a Chinese reason naming its row and field; hostile files refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from rights.factories import COMPANY_USCC, PERSON_ID
from support.tasks import run_ready_tasks
from xinyong.core.errors import ApplicationError
from xinyong.rights.models import Commitment, CommitmentUpload
from xinyong.rights.services.commitment_upload import commitment_upload_submit

pytestmark = pytest.mark.django_db


HEADER = "承诺类型,主体类别,主体名称,证件号码,联系电话,联系人,承诺事项,签署日期"
ROWS = [
    f"审批替代型,单位,神农架林区某某建材有限公司,{COMPANY_USCC},0719-3331234,李四,食品经营许可,2026/11/02",
    f"信用修复型,个人,张三丰,{PERSON_ID},13800001111,,,2026年11月3日",
    "容缺受理型,单位,某公司,91110000600037341X,0719-1,,,2026-11-04",  # bad USCC (row 4)
    "随便型,团体,,,,,,明天",  # row 5: four fields wrong
    "主动型,单位,神农架某旅游公司,91350200776049653A,0719-2,,,2099-01-01",  # future (row 6)
]


def _csv(lines, name="承诺.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(encoding), "text/csv")


def test_every_row_accepted_or_rejected_with_row_and_field(clerk, department, process):
    upload = process(actor=clerk, department=department, upload=_csv([HEADER, *ROWS]))
    assert upload.status == "done" and upload.stored_file == ""
    assert (upload.received, upload.accepted, upload.rejected) == (5, 2, 3)
    assert upload.received == upload.accepted + upload.rejected
    by_row = {}
    for e in upload.errors:
        by_row.setdefault(e["row"], {})[e["field"]] = e["message"]
    assert set(by_row) == {4, 5, 6}
    assert "统一社会信用代码" in by_row[4]["证件号码"]
    assert set(by_row[5]) >= {
        "承诺类型",
        "主体类别",
        "主体名称",
        "证件号码",
        "联系电话",
        "签署日期",
    }
    assert "必填" in by_row[5]["主体名称"]
    assert "不能晚于今天" in by_row[6]["签署日期"]
    made = Commitment.objects.filter(upload=upload).order_by("id")
    assert [c.type for c in made] == ["approval", "repair"]
    assert all(c.channel == "upload" and c.department == department for c in made)
    assert str(made[1].signed_on) == "2026-11-03"


def test_gb18030_csv_and_xlsx_are_read(clerk, department, process):
    upload = process(
        actor=clerk, department=department, upload=_csv([HEADER, ROWS[0]], encoding="gb18030")
    )
    assert upload.accepted == 1
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(ROWS[1].split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = SimpleUploadedFile("承诺.xlsx", buffer.getvalue())
    upload = process(actor=clerk, department=department, upload=xlsx)
    assert (upload.accepted, upload.rejected) == (1, 0)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "不是 Excel"),
        (b"PK\x03\x04garbage-not-a-zip", "损坏"),
        ("姓名,电话\n张三,1\n".encode(), "表头缺少必填列"),
        (b"", "空"),
    ],
)
def test_hostile_or_wrong_files_are_refused_whole(clerk, department, content, words):
    with pytest.raises(ApplicationError) as exc:
        commitment_upload_submit(
            actor=clerk, department=department, upload=SimpleUploadedFile("x.csv", content)
        )
    assert words in exc.value.message
    assert not CommitmentUpload.objects.exists() and not Commitment.objects.exists()


def test_row_cap(clerk, department, monkeypatch, process):
    monkeypatch.setenv("XINYONG_COMMITMENT_UPLOAD_ROWS", "1")
    # Declared far over the limit: refused at once.
    with pytest.raises(ApplicationError) as exc:
        commitment_upload_submit(actor=clerk, department=department, upload=_csv([HEADER, *ROWS]))
    assert "1 行" in exc.value.message
    # Just over it: the worker counts the rows before it records any.
    upload = process(actor=clerk, department=department, upload=_csv([HEADER, *ROWS[:2]]))
    assert upload.status == "failed" and "1 行" in upload.failure_reason
    assert upload.received == 0 and not Commitment.objects.exists()


def test_upload_page_shows_the_rows_refused(
    client_as, clerk, department, django_capture_on_commit_callbacks
):
    client = client_as(clerk)
    page = client.get(reverse("rights:commitment_upload"))
    assert "承诺类型、主体类别" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("rights:commitment_upload"), {"file": _csv([HEADER, *ROWS])}, follow=True
        )
    html = response.content.decode()
    assert "已排队，等待后台处理" in html and 'http-equiv="refresh"' in html
    with django_capture_on_commit_callbacks(execute=True):
        run_ready_tasks()
    html = client.get(response.redirect_chain[-1][0]).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "收到 5 行，接收 2 行，退回 3 行" in html
    assert "不是有效的统一社会信用代码" in html
    refused = client.post(
        reverse("rights:commitment_upload"), {"file": SimpleUploadedFile("a.csv", b"\x89PNG\x00")}
    )
    assert refused.status_code == 400 and "不是 Excel" in refused.content.decode()


def test_another_department_cannot_read_an_upload(
    client_as, clerk, other_clerk, department, process
):
    upload = process(actor=clerk, department=department, upload=_csv([HEADER, ROWS[0]]))
    url = reverse("rights:commitment_upload_detail", args=[upload.pk])
    assert client_as(other_clerk).get(url).status_code == 404
