"""Tags on the portal: on the lists and details, /tags/<id>/, ?tag= filters;
only published articles and cases, ever."""

import datetime as dt

import pytest

from sanctions.factories import CaseFactory, CheckFactory, FeedbackFactory
from xinyong.core import clock
from xinyong.core.models import Tag
from xinyong.portal.models import Article
from xinyong.sanctions.models import Case

pytestmark = pytest.mark.django_db


def _article(title: str, *, section=Article.Section.NEWS, tags=(), published=True, days_ago=1):
    article = Article.objects.create(
        section=section,
        title=title,
        body="正文",
        published_at=clock.now() - dt.timedelta(days=days_ago),
        is_published=published,
    )
    article.tags.set(tags)
    return article


def _case(department, title: str, *, tags=(), published=True, days_ago=0):
    case = CaseFactory(
        feedback=FeedbackFactory(check_run=CheckFactory(department=department)),
        title=title,
        status=Case.Status.PUBLISHED if published else Case.Status.SUBMITTED,
        published_on=clock.today() - dt.timedelta(days=days_ago) if published else None,
    )
    case.tags.set(tags)
    return case


@pytest.fixture
def tagged(department):
    food = Tag.objects.create(name="食品药品")
    wages = Tag.objects.create(name="拖欠工资")
    return {
        "food": food,
        "wages": wages,
        "news": _article("食品抽检结果公布", tags=[food]),
        "news_wages": _article("清欠工作推进", tags=[wages]),
        "draft": _article("未发布的食品文章", tags=[food], published=False),
        "future": _article("定时发布的食品文章", tags=[food], days_ago=-3),
        "education": _article("食品安全宣传周", section=Article.Section.EDUCATION, tags=[food]),
        "case": _case(department, "某超市销售过期食品被联合惩戒", tags=[food], days_ago=2),
        "case_wages": _case(department, "某建筑公司拖欠工资被联合惩戒", tags=[wages]),
        "case_draft": _case(department, "待审核的食品案例", tags=[food], published=False),
    }


def test_tags_are_links_on_lists_and_details(client, tagged):
    food = tagged["food"]
    link = f'href="/tags/{food.pk}/">食品药品</a>'
    assert link in client.get("/news/").content.decode()
    assert link in client.get(f"/articles/{tagged['news'].pk}/").content.decode()
    assert link in client.get("/education/cases/").content.decode()
    assert link in client.get(f"/education/cases/{tagged['case'].pk}/").content.decode()


def test_the_tag_page_lists_published_articles_and_cases_only(client, tagged):
    page = client.get(f"/tags/{tagged['food'].pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "标签：食品药品" in body
    for shown in ("news", "education", "case"):
        assert tagged[shown].title in body
    for hidden in ("draft", "future", "case_draft", "news_wages", "case_wages"):
        assert tagged[hidden].title not in body
    # Newest first: the article of yesterday, then the case of two days ago.
    assert body.index(tagged["news"].title) < body.index(tagged["case"].title)


def test_a_draft_cases_tags_never_show(client, department):
    secret = Tag.objects.create(name="政务诚信")
    _case(department, "待审核案例", tags=[secret], published=False)
    body = client.get(f"/tags/{secret.pk}/").content.decode()
    assert "待审核案例" not in body and "暂无公开的文章和案例" in body
    assert "政务诚信" not in client.get("/education/cases/").content.decode()


def test_the_tag_page_is_paged(client, department):
    tag = Tag.objects.create(name="守信激励")
    for n in range(10):
        _article(f"守信文章{n:02d}", tags=[tag], days_ago=n + 1)
        _case(department, f"守信案例{n:02d}", tags=[tag], days_ago=n + 1)
    first = client.get(f"/tags/{tag.pk}/").content.decode()
    second = client.get(f"/tags/{tag.pk}/?page=2").content.decode()
    assert first.count('class="articles"') == 1
    assert "第 1 页" in first and "共 2 页" in first and 'id="page-next"' in first
    titles = [f"守信文章{n:02d}" for n in range(10)] + [f"守信案例{n:02d}" for n in range(10)]
    on_first = {t for t in titles if t in first}
    on_second = {t for t in titles if t in second}
    assert len(on_first) == 15 and len(on_second) == 5 and not on_first & on_second


def test_unknown_tags_are_the_portals_404(client, tagged):
    for url in ("/tags/999999/", "/news/?tag=999999", "/news/?tag=abc", "/education/cases/?tag=-1",
                "/news/?tag=" + "9" * 40):  # fmt: skip
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert "该标签不存在" in answer.content.decode()


def test_the_list_filters(client, tagged):
    food, wages = tagged["food"], tagged["wages"]
    news = client.get(f"/news/?tag={food.pk}").content.decode()
    assert tagged["news"].title in news and tagged["news_wages"].title not in news
    assert tagged["draft"].title not in news and 'id="tag-filter"' in news
    education = client.get(f"/education/?tag={food.pk}").content.decode()
    assert tagged["education"].title in education
    cases = client.get(f"/education/cases/?tag={wages.pk}").content.decode()
    assert tagged["case_wages"].title in cases and tagged["case"].title not in cases
    assert (
        tagged["case_draft"].title
        not in client.get(f"/education/cases/?tag={food.pk}").content.decode()
    )


def test_the_filter_is_kept_across_pages(client):
    tag = Tag.objects.create(name="信用修复")
    for n in range(17):
        _article(f"修复{n}", tags=[tag], days_ago=n + 1)
    page = client.get(f"/news/?tag={tag.pk}").content.decode()
    assert f'href="?tag={tag.pk}&amp;page=2"' in page


def test_query_counts_do_not_grow_with_tags(client, department, django_assert_max_num_queries):
    tags = [Tag.objects.create(name=f"标签{n}") for n in range(5)]
    for n in range(15):
        _article(f"文章{n}", tags=tags, days_ago=n + 1)
        _case(department, f"案例{n}", tags=tags, days_ago=n + 1)
    client.get("/news/")  # warm the cached parts of the page (nav, footer)
    with django_assert_max_num_queries(4):
        assert client.get("/news/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(f"/news/?tag={tags[0].pk}").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/education/cases/").status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(f"/tags/{tags[0].pk}/").status_code == 200


def test_the_admin_keeps_tags_and_articles_pick_them(client_as, admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = client_as(admin_user)
    assert client.post("/admin/core/tag/add/", {"name": "食品药品"}).status_code == 302
    tag = Tag.objects.get(name="食品药品")
    from xinyong.core.models import AuditLog

    assert AuditLog.objects.get(action="tag.create").after == {"name": "食品药品"}
    form = client.get("/admin/portal/article/add/").content.decode()
    assert 'name="tags"' in form and "admin-autocomplete" in form
    found = client.get(
        "/admin/autocomplete/",
        {"term": "食品", "app_label": "portal", "model_name": "article", "field_name": "tags"},
    ).json()
    assert found["results"] == [{"id": str(tag.pk), "text": "食品药品"}]


def test_article_edits_and_publishing_in_the_admin_are_audited(client_as, admin_user):
    from xinyong.core.models import AuditLog

    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = client_as(admin_user)
    form = {
        "section": Article.Section.NEWS,
        "title": "我区召开社会信用体系建设推进会",
        "summary": "",
        "body": "会议部署了下一阶段工作。",
        "image_alt": "",
        "source": "信用办",
        "published_at_0": "2026-11-30",
        "published_at_1": "09:00:00",
    }
    assert client.post("/admin/portal/article/add/", form).status_code == 302
    article = Article.objects.get(title=form["title"])
    created = AuditLog.objects.get(action="article.create")
    assert created.object_id == str(article.pk) and created.after["is_published"] is False
    changed = {"action": "publish", "_selected_action": [article.pk]}
    assert client.post("/admin/portal/article/", changed).status_code == 302
    article.refresh_from_db()
    assert article.is_published
    published = AuditLog.objects.get(action="article.publish")
    assert (published.before["is_published"], published.after["is_published"]) == (False, True)
    form["title"] = "我区召开社会信用体系建设推进会（更正）"
    form["is_published"] = "on"
    assert client.post(f"/admin/portal/article/{article.pk}/change/", form).status_code == 302
    edit = AuditLog.objects.get(action="article.change")
    assert edit.before["title"].endswith("推进会") and edit.after["title"].endswith("（更正）")
    client.post("/admin/portal/article/", {"action": "unpublish", "_selected_action": [article.pk]})
    assert AuditLog.objects.filter(action="article.unpublish").count() == 1
    assert not Article.objects.get(pk=article.pk).is_published
