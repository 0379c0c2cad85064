"""What the portal and the staff pages show of a record's disclosure window:
list-like items' ends, one public end date, the tier and how it was found
(issue 12 item 9)."""

import datetime as dt

import pytest
from django.urls import reverse

from support.ingest_files import company_code, penalty_row
from xinyong.catalog.models import CatalogItem
from xinyong.records import selectors

pytestmark = pytest.mark.django_db

D = dt.date


def _item(code: str, department) -> CatalogItem:
    item = CatalogItem.objects.get(code=code)
    item.departments.add(department)
    return item


def _tax_a_row(n: int) -> dict:
    return {
        "纳税人名称": f"神农架林海{n}商贸有限公司",
        "统一社会信用代码": company_code(n),
        "评价年度": "2025",
        "评价结果": "A",
        "评价机关": "国家税务总局神农架林区税务局",
        "文书号（公告号）": "神税公告〔2026〕1号",
        "评定日期": "2026/04/15",
    }


def _dishonest_row(n: int) -> dict:
    return {
        "被执行人名称": f"神农架林海{n}商贸有限公司",
        "被执行人类别": "法人及非法人组织",
        "统一社会信用代码": company_code(n),
        "执行法院": "神农架林区人民法院",
        "执行案号": f"（2026）鄂9021执{n}号",
        "发布日期": "2026/04/15",
        "失信情形": "违反财产报告制度",
        "生效法律文书确定的义务": "支付货款10万元",
    }


def test_list_like_items_show_an_end_never_a_dash(department, submit, day, client):
    day("2026-04-20")
    (tax_a,) = submit(_item("NSXYA", department), [_tax_a_row(1)])
    (dishonest,) = submit(_item("SXBZX", department), [_dishonest_row(2)])
    # A级: valid until the next year's list, one year after this one's publication.
    assert tax_a.disclosure_end == D(2027, 4, 14)
    assert dishonest.disclosure_end is None  # until the court removes it

    page = client.get(reverse("portal:subject", args=[tax_a.subject_id])).content.decode()
    assert "2027-04-14" in page
    page = client.get(reverse("portal:subject", args=[dishonest.subject_id])).content.decode()
    assert "至法院移除" in page


def test_list_like_items_on_the_staff_page(department, clerk, submit, day, client_as):
    day("2026-04-20")
    (dishonest,) = submit(_item("SXBZX", department), [_dishonest_row(3)])
    page = client_as(clerk).get(reverse("records:detail", args=[dishonest.pk])).content.decode()
    assert '<span id="record-end">至法院移除</span>' in page


def test_one_public_end_date_and_staff_flag_a_department_own(
    xzcf, clerk, submit, day, client, client_as
):
    day("2026-04-10")
    own, same = submit(
        xzcf,
        [
            penalty_row(1, **{"处罚决定日期": "2026/04/01", "公示截止期": "2026/10/01"}),
            penalty_row(2, **{"处罚决定日期": "2026/04/01", "公示截止期": "2027/04/01"}),
        ],
    )
    assert own.disclosure_end == D(2027, 4, 1)  # 一般: one year, computed
    assert own.data["publish_until"] == "2026-10-01"  # the department's own, kept

    page = client.get(reverse("portal:record_detail", args=["penalties", own.pk])).content.decode()
    assert "公示截止期" not in page  # the department's own date is not shown publicly
    assert "2026-10-01" not in page
    assert '<dd id="record-public-until">2027-04-01</dd>' in page

    staff = client_as(clerk)
    page = staff.get(reverse("records:detail", args=[own.pk])).content.decode()
    assert 'id="record-department-end"' in page and "2026-10-01" in page
    page = staff.get(reverse("records:detail", args=[same.pk])).content.decode()
    assert 'id="record-department-end"' not in page


def test_staff_page_marks_an_inferred_tier(xzcf, clerk, submit, day, client_as):
    day("2026-04-10")
    stated, inferred, old = submit(
        xzcf,
        [
            penalty_row(1, **{"处罚决定日期": "2026/04/01", "失信程度": "严重"}),
            penalty_row(2, **{"处罚决定日期": "2026/04/01"}),
            penalty_row(
                3,
                **{
                    "处罚决定日期": "2026/04/01",
                    "处罚类别": "暂扣或者吊销执照",
                    "处罚内容": "吊销营业执照",
                    "罚款金额（万元）": "",
                },
            ),
        ],
    )
    staff = client_as(clerk)
    page = staff.get(reverse("records:detail", args=[stated.pk])).content.decode()
    assert "严重" in page and "决定机关认定" in page and "推定" not in page
    page = staff.get(reverse("records:detail", args=[inferred.pk])).content.decode()
    assert "一般" in page and "推定" in page
    info = selectors.record_disclosure(old)
    assert info["tier_label"] == "严重" and info["tier_inferred"]
    assert "修订前的处罚类别" in info["tier_note"]
