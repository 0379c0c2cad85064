"""The public list page in the browser: from the portal's navigation to a
black list, search a company, open its subject page with the listing; a
person on a list that publishes persons appears masked."""

import pytest

from lists.factories import ListEntryFactory
from subjects.factories import SubjectFactory
from xinyong.core import clock
from xinyong.lists.models import ListType
from xinyong.subjects.models import Subject

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "神农架林区欠薪建筑劳务有限公司"


def test_public_list_page(live_server, page, department):
    with clock.pinned("2025-10-09"):
        wages = ListType.objects.get(code="TQNMGGZ")
        entry = ListEntryFactory(
            list_type=wages,
            decided_by=department,
            subject=SubjectFactory(name=NAME, uscc="91350200776049653A"),
        )
        ListEntryFactory(
            list_type=wages,
            decided_by=department,
            subject=SubjectFactory(name="神农架其他商贸有限公司"),
        )
        ListEntryFactory(
            list_type=wages,
            decided_by=department,
            subject=SubjectFactory(kind=Subject.Kind.PERSON, name="王五六", uscc=None),
        )
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="红黑名单").first.click()
        page.get_by_role("link", name="拖欠农民工工资失信联合惩戒对象名单").click()
        page.locator("#list-entries").wait_for()
        table = page.locator("#list-entries").inner_text()
        assert NAME in table and "神农架其他商贸有限公司" in table
        assert "王**" in table and "王五六" not in page.content()
        page.get_by_label("企业名称或统一社会信用代码").fill("欠薪建筑")
        page.locator("#list-search-submit").click()
        page.locator("#result-count").wait_for()
        table = page.locator("#list-entries").inner_text()
        assert NAME in table and "神农架其他商贸有限公司" not in table
        page.locator("#list-entries a", has_text=NAME).click()
        page.locator("#subject-listings").wait_for()
        listing = page.locator("#subject-listings").inner_text()
        assert entry.document_number in listing and entry.valid_until.isoformat() in listing
        assert "信用承诺" in listing  # the removal conditions
