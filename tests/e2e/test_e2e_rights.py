"""An objection in the browser: a person files it from a record's page on
the portal, the credit office accepts it (the record shows 异议处理中),
routes it, the providing department's clerk concludes, the credit office
replies, and the mark disappears; the person reads the reply."""

import re

import pytest

from rights.factories import PERSON_ID, PERSON_NAME, person, public_record
from xinyong.core import clock

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _staff_page(browser, live_server, username):
    context = browser.new_context(locale="zh-CN")
    staff = context.new_page()
    staff.set_default_timeout(15_000)
    staff.goto(f"{live_server.url}/staff/login/")
    staff.get_by_label("用户名").fill(username)
    staff.get_by_label("密码").fill("pw-for-tests-123")
    staff.get_by_role("button", name="登录").click()
    staff.get_by_role("heading", name="您好").wait_for()
    return staff


def test_objection_filed_on_portal_handled_by_staff(
    live_server, browser, page, xzcf, department, clerk, admin_user
):
    with clock.pinned("2025-10-09"):
        record = public_record(department=department, subject=person())
        record_url = f"{live_server.url}/shuanggongshi/penalties/{record.pk}/"
        page.goto(record_url)
        assert page.locator("#record-disputed").count() == 0
        page.get_by_role("link", name="对该信息提出异议").click()
        page.get_by_label("个人（居民身份证）").check()
        page.get_by_label("单位名称或姓名").fill(PERSON_NAME)
        page.get_by_label("统一社会信用代码或身份证号码").fill(PERSON_ID)
        page.get_by_label("联系电话").fill("13800001111")
        page.get_by_label("异议理由").fill("罚款已缴纳，处罚决定已被复议撤销")
        page.get_by_role("button", name="提交异议").click()
        number = page.locator("#filed-number").inner_text().strip()
        secret = page.locator("#filed-secret").inner_text().strip()
        assert re.fullmatch(r"YY20251009\d{6}", number)

        office = _staff_page(browser, live_server, "admin")
        office.get_by_role("link", name="异议申请").first.click()
        office.get_by_role("link", name=number).click()
        office.get_by_role("button", name="受理", exact=True).click()
        office.locator("#objection-status", has_text="受理").wait_for()

        page.goto(record_url)
        assert "异议处理中" in page.locator("#record-disputed").inner_text()

        office.get_by_role("button", name="转交提供部门核查").click()
        office.locator("#objection-status", has_text="核查中").wait_for()

        dept = _staff_page(browser, live_server, "clerk")
        dept.goto(office.url)
        dept.get_by_label("维持（记录无误）").check()
        dept.get_by_label("核查意见").fill("经核对原处罚决定书，记录无误")
        dept.get_by_role("button", name="核查结论").click()
        dept.locator("#objection-status", has_text="维持").wait_for()

        office.reload()
        office.get_by_label("答复意见").fill("经核查，该记录准确，予以维持")
        office.get_by_role("button", name="答复并办结").click()
        office.locator("#objection-status", has_text="已办结").wait_for()

        page.goto(record_url)
        assert page.locator("#record-disputed").count() == 0
        page.goto(f"{live_server.url}/applications/")
        page.get_by_label("受理编号").fill(number)
        page.get_by_label("查询密码").fill(secret)
        page.locator("#status-form").get_by_role("button", name="查询").click()
        assert page.locator("#application-status").inner_text() == "已办结"
        assert "予以维持" in page.locator("#application-reply").inner_text()
