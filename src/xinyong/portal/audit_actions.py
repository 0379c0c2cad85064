"""Audit actions of `portal`: the credit office's news and policy articles (admin edits,
publishing and taking down)."""

from django.utils.translation import gettext_lazy as _

from xinyong.core.audit import declare

ARTICLE_CREATE = declare("article.create", label=_("新增文章"), object_type="portal.Article")
ARTICLE_CHANGE = declare("article.change", label=_("修改文章"), object_type="portal.Article")
ARTICLE_DELETE = declare("article.delete", label=_("删除文章"), object_type="portal.Article")
ARTICLE_PUBLISH = declare("article.publish", label=_("发布文章"), object_type="portal.Article")
ARTICLE_UNPUBLISH = declare("article.unpublish", label=_("撤下文章"), object_type="portal.Article")
