"""政府违约失信投诉 in the browser: a company complains on the portal about a
town government, keeps the number and the secret shown once, reads the
status (待受理); a wrong secret finds nothing; once the credit office
accepts it and routes it to a department, the status page says 办理中."""

import re

import pytest

from orgs.factories import ClerkFactory, CreditAdminFactory, CreditOfficeFactory, DepartmentFactory
from subjects.factories import SubjectFactory
from xinyong.core import clock
from xinyong.core.identifiers import uscc_with_checks
from xinyong.integrity import services
from xinyong.integrity.models import GovComplaint

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ORGAN_USCC = uscc_with_checks("11429021" + "80000001")
ORGAN_NAME = "神农架林区某镇人民政府"
COMPANY_USCC = uscc_with_checks("91429021" + "70000001")


def _status(page, live_server, number, secret):
    page.goto(f"{live_server.url}/zhengwu-tousu/status/")
    page.get_by_label("投诉编号").fill(number)
    page.get_by_label("查询密码").fill(secret)
    page.locator("#complaint-status-form").get_by_role("button", name="查询").click()


def test_complaint_filed_then_followed_on_the_status_page(live_server, page):
    office = CreditOfficeFactory()
    admin = CreditAdminFactory(username="xyb", department=office)
    handling = DepartmentFactory(short_code="zhujian", name="林区住房和城乡建设委员会")
    ClerkFactory(username="zj", department=handling)
    body = SubjectFactory(name=ORGAN_NAME, uscc=ORGAN_USCC)

    with clock.pinned("2025-09-01"):
        page.goto(f"{live_server.url}/zhengwu-tousu/")
        page.get_by_label("单位（统一社会信用代码）").check()
        page.get_by_label("单位名称或姓名").fill("神农架林海商贸有限公司")
        page.get_by_label("统一社会信用代码或身份证号码").fill(COMPANY_USCC)
        page.get_by_label("联系电话").fill("0719-3331234")
        page.get_by_label("被投诉单位（机关或事业单位）").fill(ORGAN_NAME)
        page.get_by_label("被投诉单位统一社会信用代码").fill(ORGAN_USCC)
        page.get_by_label("合同或承诺名称").fill("招商引资协议")
        page.get_by_label("违约失信事实").fill("约定的奖补资金逾期一年未兑现。")
        page.get_by_role("button", name="提交投诉").click()

        assert page.get_by_role("heading", name="投诉已提交").is_visible()
        number = page.locator("#filed-number").inner_text().strip()
        secret = page.locator("#filed-secret").inner_text().strip()
        assert number and len(secret) >= 20
        assert "仅显示这一次" in page.get_by_role("note").inner_text()
        complaint = GovComplaint.objects.get()
        assert complaint.number == number and complaint.subject_id == body.pk
        assert secret not in complaint.secret_digest

        _status(page, live_server, number, secret)
        assert page.locator("#complaint-status").inner_text() == "待受理"
        assert ORGAN_NAME in page.locator("#complaint").inner_text()

        _status(page, live_server, number, secret[:-1] + ("x" if secret[-1] != "x" else "y"))
        assert page.get_by_role("alert").inner_text().strip() == (
            "未找到该投诉，请核对投诉编号和查询密码"
        )
        assert page.locator("#complaint").count() == 0
        assert ORGAN_NAME not in page.content()

        services.complaint_accept(actor=admin, complaint=complaint, department=handling)
        _status(page, live_server, number, secret)
        assert page.locator("#complaint-status").inner_text() == "办理中"
        facts = page.locator("#complaint").inner_text()
        assert "林区住房和城乡建设委员会" in facts
        assert re.search(r"受理日期\s*2025-09-01", facts)
