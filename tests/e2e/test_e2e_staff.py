"""A clerk's path in the browser: log in, upload a file, watch the batch
while a worker imports it, read the rejected rows."""

import pytest

from support.ingest_files import penalty_row, write_csv
from support.tasks import run_ready_tasks
from xinyong.catalog.models import CatalogItem
from xinyong.core import clock

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clerk_logs_in_uploads_and_sees_rejected_row(
    live_server, page, clerk, department, tmp_path
):
    CatalogItem.objects.get(code="XZCF").departments.add(department)
    with clock.pinned("2025-10-09"):
        path = write_csv(
            tmp_path / "九月处罚.csv",
            [penalty_row(1), penalty_row(2, **{"处罚决定日期": "2023/02/30"})],
        )
        page.goto(f"{live_server.url}/staff/login/")
        page.get_by_label("用户名").fill("clerk")
        page.get_by_label("密码").fill("pw-for-tests-123")
        page.get_by_role("button", name="登录").click()
        page.get_by_role("heading", name="您好").wait_for()
        assert "信息报送员" in page.content()

        page.get_by_role("link", name="数据报送").click()
        page.get_by_role("link", name="上传报送文件").click()
        page.get_by_label("目录事项").select_option(label="XZCF 行政处罚")
        page.get_by_label("文件").set_input_files(str(path))
        page.get_by_role("button", name="上传并校验").click()

        # The upload answers at once: the batch waits in the queue, and its
        # page reloads itself until the batch ends.
        page.get_by_text("已排队，等待后台处理").wait_for()
        assert page.locator('meta[http-equiv="refresh"]').count() == 1
        # The worker, here in the test's process: the batch, and the builds of the public
        # CSV files that the database's flush (the built-in catalog) and the import queued.
        assert run_ready_tasks() in (2, 3)
        page.get_by_role("heading", name="退回行").wait_for()
        assert page.locator('meta[http-equiv="refresh"]').count() == 0
        body = page.content()
        assert "第3行" in body and "不是有效日期" in body
        assert page.get_by_role("link", name="下载退回行").is_visible()
