"""专项信用报告: the chosen span and areas; repaired items marked 已修复 and not counted."""

import datetime as dt

import pytest

from records.factories import PenaltyRecordFactory
from reports.factories import issue, pdf_of, pdf_text
from subjects.factories import SubjectFactory
from xinyong.core import clock

pytestmark = pytest.mark.django_db


def test_special_report_marks_repaired_and_counts_the_rest(company):
    report = issue(company, kind="special", years=3)
    compact = "".join(pdf_text(pdf_of(report))[0].split())
    assert "专项信用报告" in compact
    assert "查询范围" in compact and "核查结论" in compact
    # Both penalties of the span are listed; the expired one is marked 已修复.
    assert "神市监罚〔2026〕11号" in compact
    assert "神市监罚〔2024〕7号" in compact
    assert "已修复" in compact
    assert "测试已移出名单" in compact  # removed by repair: listed, marked
    # In force: the current penalty and the black listing count.
    assert "存在2条违法违规或失信记录" in compact


def test_special_report_of_a_clean_subject_in_a_chosen_area(department, other_department):
    subject = SubjectFactory(name="神农架林区诚信旅游有限公司", uscc="91350200776049653A")
    # A penalty of another area, and one older than the span.
    PenaltyRecordFactory(
        subject=subject, department=other_department, doc_number="神税罚〔2026〕1号"
    )
    PenaltyRecordFactory(
        subject=subject,
        department=department,
        doc_number="神市监罚〔2022〕3号",
        decided=clock.today() - dt.timedelta(days=3 * 366),
    )
    report = issue(subject, kind="special", years=1, areas=["scjg"])
    compact = "".join(pdf_text(pdf_of(report))[0].split())
    assert "未发现违法违规或失信记录" in compact
    assert "林区市场监督管理局" in compact  # the area chosen
    assert "神税罚〔2026〕1号" not in compact and "神市监罚〔2022〕3号" not in compact
