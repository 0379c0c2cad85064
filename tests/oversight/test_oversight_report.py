"""The monthly 通报: content, the PDF with its charts, idempotence, the schedule."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from xinyong.core import clock
from xinyong.core.models import AuditLog
from xinyong.core.tasks import periodic_tasks
from xinyong.oversight import tasks
from xinyong.oversight.models import MonthlyFigures, MonthlyReport
from xinyong.oversight.periods import Month
from xinyong.oversight.services.reports import report_generate


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def october(national_day, other_department, pin_today):
    pin_today(dt.date(2025, 11, 7))
    return report_generate(month=Month(2025, 10))


def test_the_pdf_has_its_charts_ranking_and_lists(october, department, other_department):
    text = pdf_text(bytes(october.pdf))
    assert "2025年10月社会信用体系建设工作通报" in text
    # The two charts are drawn in the PDF: their titles and axis text are there.
    assert "2025年10月各部门得分" in text
    assert "近6个月全区指标走势" in text
    assert "平均得分" in text
    # The ranking names both departments, and the 通报批评 list gives reasons.
    assert department.name in text and other_department.name in text
    assert "通报批评" in text and "信息报送及时率 20.0%" in text
    assert len(PdfReader(io.BytesIO(bytes(october.pdf))).pages) >= 2


def test_the_html_carries_the_charts_as_svg_with_cjk_fonts(october):
    import base64
    import re

    uris = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', october.html)
    assert len(uris) == 2
    ranking = base64.b64decode(uris[0]).decode()
    assert ranking.lstrip().startswith("<?xml") and "<svg" in ranking
    assert "Noto Sans CJK SC" in ranking and "林区市场监督管理局" in ranking


def test_figures_are_stored_and_a_second_run_changes_nothing(october, department):
    stored = MonthlyFigures.objects.get(month=dt.date(2025, 10, 1), department=department)
    assert stored.values["intake_on_time"] == {"numerator": 1, "denominator": 5}
    assert stored.values["publication_on_time"] == {"numerator": 3, "denominator": 5}
    again = report_generate(month=Month(2025, 10))
    assert again.pk == october.pk and again.generated_at == october.generated_at
    assert AuditLog.objects.filter(action="monthly_report.generate").count() == 1
    assert october.summary["criticised"]  # both scored under 60 this month


def test_a_month_not_over_is_refused_in_chinese(db, pin_today):
    from xinyong.core.errors import ApplicationError

    pin_today(dt.date(2025, 10, 20))
    with pytest.raises(ApplicationError, match="2025年10月尚未结束"):
        report_generate(month=Month(2025, 10))


def test_the_report_day_is_the_fifth_working_day_across_national_day(db):
    # September's 通报: October 9, 10, 11 (make-up Saturday), 13, 14.
    assert Month(2025, 9).report_day() == dt.date(2025, 10, 14)
    assert Month(2025, 10).report_day() == dt.date(2025, 11, 7)


def test_the_periodic_task_generates_on_the_fifth_working_day_once(national_day, pin_today):
    assert any(p.task is tasks.monthly_report for p in periodic_tasks())
    pin_today(dt.date(2025, 11, 6))
    assert tasks.monthly_report.call() == ""
    assert not MonthlyReport.objects.exists()
    pin_today(dt.date(2025, 11, 7))
    assert tasks.monthly_report.call() == "2025-10"
    assert tasks.monthly_report.call() == ""  # idempotent: made once
    # A worker down that day catches up later in the month.
    MonthlyReport.objects.all().delete()
    pin_today(dt.date(2025, 11, 20))
    assert tasks.monthly_report.call() == "2025-10"
    assert MonthlyReport.objects.get().month == dt.date(2025, 10, 1)
    assert clock.today() == dt.date(2025, 11, 20)


def test_cli_report_writes_html_and_pdf(national_day, pin_today, tmp_path, capsys):
    pin_today(dt.date(2025, 11, 7))
    call_command("oversight", "report", "--month", "2025-10", "--out", str(tmp_path / "out"))
    pdf = Path(capsys.readouterr().out.strip())
    assert pdf == tmp_path / "out" / "tongbao-2025-10.pdf"
    assert "2025年10月各部门得分" in pdf_text(pdf.read_bytes())
    assert "各部门得分排名" in (tmp_path / "out" / "tongbao-2025-10.html").read_text("utf-8")
