"""An officer's 联合奖惩核查 in the browser: one subject, then a bidders file."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from lists.factories import fed_record
from orgs.factories import DepartmentFactory
from subjects.factories import SubjectFactory
from support.tasks import run_ready_tasks
from xinyong.sanctions.models import CheckBatch
from xinyong.sanctions.reference import forget

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

USCC = "91110000600037341L"


def test_officer_checks_one_subject_and_a_bidders_file(live_server, page, officer, tmp_path):
    forget()
    company = SubjectFactory(name="神农架林区某某建材有限责任公司", uscc=USCC)
    fed_record(
        subject=company,
        department=DepartmentFactory(name="神农架林区人民法院", short_code="fayuan"),
    )
    SubjectFactory(name="神农架清白建筑有限公司", uscc="91350200776049653A")

    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("用户名").fill("officer")
    page.get_by_label("密码").fill("pw-for-tests-123")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="您好").wait_for()
    assert "联合奖惩案例任务" in page.content()

    # One subject, by USCC, before a procurement award.
    page.get_by_role("link", name="联合奖惩核查").click()
    page.get_by_label("核查对象").fill(USCC)
    page.get_by_label("领域").first.select_option("ZFCG")
    page.get_by_label("办理事项").first.fill("政府采购项目 SNJ-2026-031")
    page.get_by_role("button", name="核查", exact=True).click()
    result = page.locator("#check-result")
    result.wait_for()
    text = result.inner_text()
    assert "命中 1 条名单" in text and "失信被执行人名单" in text
    assert "限制参加政府采购活动" in text and "强制性" in text
    assert "统一社会信用代码" in text

    # A fragment hits nothing.
    page.get_by_label("核查对象").fill("神农架林区")
    page.get_by_label("办理事项").first.fill("政府采购项目 SNJ-2026-031")
    page.get_by_role("button", name="核查", exact=True).click()
    page.locator("#check-result").wait_for()
    assert "平台中未找到该主体" in page.locator("#check-result").inner_text()

    # A bidders list, answered with a result sheet.
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "投标人名称", "统一社会信用代码"])
    sheet.append([1, "神农架林区某某建材有限公司", USCC])
    sheet.append([2, "神农架清白建筑有限公司", "91350200776049653A"])
    path = tmp_path / "投标人名单.xlsx"
    workbook.save(path)
    form = page.locator("#bulk-form")
    form.get_by_label("投标人名单").set_input_files(str(path))
    form.get_by_label("领域").select_option("ZBTB")
    form.get_by_label("办理事项").fill("林区旅游公路施工招标")
    form.get_by_role("button", name="上传并核查").click()
    # Answered at once: queued, the page shows its progress and reloads itself.
    page.locator("#bulk-progress").wait_for()
    assert "已排队" in page.locator("#bulk-progress").inner_text()
    # The worker, here in the test's process (the batch, and any task queued
    # by the records made above); the page's next reload shows the result.
    run_ready_tasks()
    assert CheckBatch.objects.get().status == "done"
    page.locator("#bulk-counts").wait_for(timeout=10_000)
    assert "共 2 行，命中 1 行" in page.locator("#bulk-counts").inner_text()
    with page.expect_download() as download:
        page.locator("#bulk-download").click()
    rows = list(
        load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][3] == "核查结果"
    assert {r[0]: r[3] for r in rows[1:]} == {2: "命中", 3: "未命中"}
