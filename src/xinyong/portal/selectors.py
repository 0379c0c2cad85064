"""Reads of the portal's own pages: the CMS articles (news, policy, education)
and the tags shared by articles and published cases.

What the public sees of records and subjects is read through
`records.selectors` (the public shape of a record, the subject page, the
change feed), where the apps below the portal can read it too.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.errors import NotFoundError
from xinyong.core.models import Tag
from xinyong.portal.models import Article
from xinyong.records.selectors import Page
from xinyong.sanctions import selectors as sanctions
from xinyong.sanctions.models import Case

# Longest accepted ?tag= value: a primary key, as digits.
_TAG_PARAM_MAX = 12


def articles(section: str | None = None, tag: Tag | None = None) -> QuerySet[Article]:
    """Published articles, newest first, with their tags (one more statement a page)."""
    qs = Article.objects.published(clock.now())
    if section:
        qs = qs.filter(section=section)
    if tag is not None:
        qs = qs.filter(tags=tag)
    return qs.prefetch_related("tags").order_by("-published_at", "-id")


def article_get(pk: int) -> Article:
    article = articles().filter(pk=pk).first()
    if article is None:
        raise NotFoundError("not_found", _("文章不存在或尚未发布"))
    return article


def latest_articles(n: int = 5) -> dict[str, list[Article]]:
    return {
        section: list(articles(section).prefetch_related(None)[:n])
        for section in Article.Section.values
    }


# -- tags ------------------------------------------------------------------------------


def tag_get(pk: int) -> Tag:
    tag = Tag.objects.filter(pk=pk).first()
    if tag is None:
        raise NotFoundError("not_found", _("该标签不存在"))
    return tag


def tag_from_param(value: str | None) -> Tag | None:
    """The `?tag=` of a list page: absent → no filter; anything else must be
    an existing tag's number (else 404, never a 500)."""
    if value is None or value == "":
        return None
    if not value.isdigit() or len(value) > _TAG_PARAM_MAX:
        raise NotFoundError("not_found", _("该标签不存在"))
    return tag_get(int(value))


@dataclass(frozen=True, slots=True)
class TaggedItem:
    kind: Literal["article", "case"]
    day: dt.date
    article: Article | None = None
    case: Case | None = None


def tagged_page(tag: Tag, number: int, page_size: int = 15) -> Page:
    """The published articles and cases with `tag`, newest first, one page.

    SQL intent: two narrow reads of (id, date) of what is published with the
    tag, merged here; then the page's rows with their tags (four statements,
    whatever the page holds). A tag holds tens of items, not thousands."""
    keys: list[tuple[dt.date, str, int]] = [
        (published_at.astimezone(clock.SHANGHAI).date(), "article", pk)
        for pk, published_at in articles(tag=tag)
        .prefetch_related(None)
        .values_list("pk", "published_at")
    ]
    keys += [
        (day, "case", pk)
        for pk, day in sanctions.cases_published(tag)
        .prefetch_related(None)
        .values_list("pk", "published_on")
        if day is not None  # a published case always has its date (case_published_has_date)
    ]
    keys.sort(reverse=True)
    number = max(1, number)
    start = (number - 1) * page_size
    chosen = keys[start : start + page_size]
    article_ids = [pk for _d, kind, pk in chosen if kind == "article"]
    case_ids = [pk for _d, kind, pk in chosen if kind == "case"]
    found_articles = {a.pk: a for a in articles().filter(pk__in=article_ids)} if article_ids else {}
    found_cases = (
        {c.pk: c for c in sanctions.cases_published().filter(pk__in=case_ids)} if case_ids else {}
    )
    rows = [
        TaggedItem("article", day, article=found_articles[pk])
        if kind == "article"
        else TaggedItem("case", day, case=found_cases[pk])
        for day, kind, pk in chosen
        if pk in (found_articles if kind == "article" else found_cases)
    ]
    return Page(
        rows=rows,
        number=number,
        page_size=page_size,
        has_next=len(keys) > start + page_size,
        total=len(keys),
    )
