"""The public's path by tag: open 信用动态, click an article's tag, find the
published case with the same tag (a case still under review is not there)."""

import datetime as dt

import pytest

from sanctions.factories import CaseFactory, CheckFactory, FeedbackFactory
from xinyong.core import clock
from xinyong.core.models import Tag
from xinyong.portal.models import Article
from xinyong.sanctions.models import Case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_news_tag_to_the_tagged_case(live_server, page, department):
    tag = Tag.objects.create(name="拖欠工资")
    article = Article.objects.create(
        section=Article.Section.NEWS,
        title="林区开展根治欠薪专项行动",
        body="正文",
        published_at=clock.now() - dt.timedelta(days=1),
        is_published=True,
    )
    article.tags.add(tag)
    published = CaseFactory(
        feedback=FeedbackFactory(check_run=CheckFactory(department=department)),
        title="某建筑公司拖欠农民工工资被联合惩戒",
        status=Case.Status.PUBLISHED,
        published_on=clock.today(),
    )
    published.tags.add(tag)
    review = CaseFactory(
        feedback=FeedbackFactory(check_run=CheckFactory(department=department)),
        title="待审核的欠薪案例",
    )
    review.tags.add(tag)

    page.goto(live_server.url + "/news/")
    page.locator(f"#article-{article.pk}").get_by_role("link", name="拖欠工资").click()
    page.locator("#tag-title").wait_for()
    assert page.locator("#tag-title").inner_text() == "标签：拖欠工资"
    page.get_by_role("link", name=published.title).click()
    page.locator("#case").wait_for()
    assert published.title in page.locator("#case h1").inner_text()
    assert page.locator("#case").get_by_role("link", name="拖欠工资").is_visible()
    page.go_back()
    assert "待审核的欠薪案例" not in page.content()
