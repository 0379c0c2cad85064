"""Credit repair in the browser: a company opens its penalty on the portal,
sees that it is eligible and applies with the commitment; the department
that decided it approves on its staff page; the penalty leaves the portal
and the company reads the result."""

import datetime as dt

import pytest

from rights.factories import COMPANY_USCC, company
from rights.repair_factories import negative_record
from xinyong.core import clock

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_repair_filed_on_portal_approved_by_the_department(
    live_server, browser, page, xzcf, department, clerk
):
    with clock.pinned("2025-06-03"):
        record = negative_record(
            department=department, subject=company(), decided=dt.date(2025, 1, 2)
        )
        record_url = f"{live_server.url}/shuanggongshi/penalties/{record.pk}/"
        page.goto(record_url)
        page.get_by_role("link", name="申请信用修复").click()
        assert "符合" in page.locator("#condition-min_period").inner_text()
        page.get_by_label("单位名称或姓名").fill("神农架林区某某建材有限公司")
        page.get_by_label("统一社会信用代码或身份证号码").fill(COMPANY_USCC)
        page.get_by_label("联系电话").fill("0719-3331234")
        page.get_by_label("申请理由（纠正失信行为、履行法定义务的情况）").fill("罚款已缴清")
        page.get_by_label("我已阅读并同意上述信用修复承诺书").check()
        page.get_by_role("button", name="提交信用修复申请").click()
        number = page.locator("#filed-number").inner_text().strip()
        secret = page.locator("#filed-secret").inner_text().strip()
        assert number.startswith("XF20250603")

        context = browser.new_context(locale="zh-CN")
        staff = context.new_page()
        staff.set_default_timeout(15_000)
        staff.goto(f"{live_server.url}/staff/login/")
        staff.get_by_label("用户名").fill("clerk")
        staff.get_by_label("密码").fill("pw-for-tests-123")
        staff.get_by_role("button", name="登录").click()
        staff.get_by_role("heading", name="您好").wait_for()
        staff.locator("#repair-alerts a").first.click()
        staff.get_by_role("link", name=number).click()
        staff.get_by_role("button", name="受理", exact=True).click()
        staff.locator("#repair-status", has_text="审核中").wait_for()
        staff.get_by_label("已核实申请人纠正失信行为、履行法定义务").check()
        staff.get_by_label("审核意见").fill("罚款已缴清，同意修复")
        staff.get_by_role("button", name="准予修复").click()
        staff.locator("#repair-status", has_text="已修复").wait_for()
        context.close()

        assert page.goto(record_url).status == 404
        page.goto(f"{live_server.url}/applications/")
        page.get_by_label("受理编号").fill(number)
        page.get_by_label("查询密码").fill(secret)
        page.locator("#status-form").get_by_role("button", name="查询").click()
        assert page.locator("#application-status").inner_text() == "已修复"
