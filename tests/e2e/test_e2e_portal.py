"""The public's path in the browser: search from the home page, open the
subject and its penalty; after the penalty's disclosure period it is gone."""

import datetime as dt
from pathlib import Path

import pytest

from support.ingest_files import penalty_row, write_csv
from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.ingest.services import batch_submit_file
from xinyong.records.models import Record
from xinyong.records.tasks import run_daily

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "神农架林海云峰商贸有限公司"


@pytest.fixture
def penalty(tmp_path: Path, department) -> Record:
    item = CatalogItem.objects.get(code="XZCF")
    item.departments.add(department)
    with clock.pinned("2025-10-09"):
        path = write_csv(tmp_path / "penalties.csv", [penalty_row(1, **{"行政相对人名称": NAME})])
        batch = batch_submit_file(department=department, item=item, path=path)
    assert batch.accepted == 1
    record = Record.objects.get()
    assert record.published_on and record.disclosure_end
    return record


def test_search_subject_penalty_then_expiry(live_server, page, penalty):
    with clock.pinned("2025-10-09"):
        page.goto(live_server.url + "/")
        page.get_by_label("输入企业或组织名称").fill("林海云峰")
        page.locator("#search-submit").click()
        page.locator("#search-results").wait_for()
        assert page.locator("#search-results mark").first.inner_text() == "林海云峰"
        page.locator("#search-results a", has_text="商贸有限公司").first.click()

        page.locator("#subject-name").wait_for()
        assert page.locator("#subject-name").inner_text() == NAME
        page.get_by_role("link", name=penalty.doc_number).click()
        page.get_by_role("heading", name="行政处罚").first.wait_for()
        body = page.content()
        assert penalty.doc_number in body and "销售不符合食品安全标准的食品" in body
        record_url = page.url

    # The day after the disclosure period ends, the daily job takes it down:
    # it leaves the subject page, the penalty list and its own page at once.
    after = penalty.disclosure_end + dt.timedelta(days=1)
    with clock.pinned(after):
        run_daily(after)
        page.goto(f"{live_server.url}/subjects/{penalty.subject_id}/")
        assert penalty.doc_number not in page.content()
        page.goto(f"{live_server.url}/shuanggongshi/penalties/")
        assert penalty.doc_number not in page.content()
        response = page.goto(record_url)
        assert response.status == 404


def test_home_works_on_a_phone(live_server, phone, penalty, tmp_path):
    with clock.pinned("2025-10-09"):
        phone.goto(live_server.url + "/")
        box = phone.get_by_label("输入企业或组织名称")
        assert box.is_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "the home page must not scroll sideways on a phone"
        shot = tmp_path / "phone.png"
        phone.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000  # a page was painted, not a blank
