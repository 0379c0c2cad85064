"""Reads of the portal's own pages: the CMS articles (news, policy, education).

What the public sees of records and subjects is read through
`records.selectors` (the public shape of a record, the subject page, the
change feed), where the apps below the portal can read it too.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.errors import NotFoundError
from xinyong.portal.models import Article


def articles(section: str | None = None) -> QuerySet[Article]:
    qs = Article.objects.published(clock.now())
    if section:
        qs = qs.filter(section=section)
    return qs.order_by("-published_at", "-id")


def article_get(pk: int) -> Article:
    article = articles().filter(pk=pk).first()
    if article is None:
        raise NotFoundError("not_found", _("文章不存在或尚未发布"))
    return article


def latest_articles(n: int = 5) -> dict[str, list[Article]]:
    return {section: list(articles(section)[:n]) for section in Article.Section.values}
