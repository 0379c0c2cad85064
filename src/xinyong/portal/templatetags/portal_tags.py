"""Rendering helpers of the portal: article bodies as a tiny safe subset,
search hits and record tables."""

import functools
from collections.abc import Sequence
from typing import NamedTuple

from django import template
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from xinyong.portal.models import Article
from xinyong.records.selectors import PublicRecord
from xinyong.subjects.search import Hit, Result

register = template.Library()


@register.simple_tag
def fixed_url(name: str, *args: str) -> str:
    """`{% url %}` for a link with constant arguments that every page repeats
    (home, search, the guide in the footer): reversed once per process, URL
    configuration and script prefix (bench/README.md, "portal")."""
    return _reversed(get_urlconf(), get_script_prefix(), name, args)


@functools.lru_cache(maxsize=64)
def _reversed(urlconf: str | None, _prefix: str, name: str, args: tuple[str, ...]) -> str:
    return reverse(name, args=args, urlconf=urlconf)


# An id no row has, within the id converter's range, to find where a URL holds its id.
_ID_MARKER = 4_611_686_018_427_387_903


def object_url(name: str, *args: str | int) -> str:
    """`reverse(name, args=[*args])` where the last argument is an object's id,
    for the rows of a page (search hits, record tables: 20–50 a page).

    A `reverse()` resolves the URL configuration each time; per row it was
    the largest cost of a search page (bench/README.md, "portal"). The URL
    around the id is reversed once per process, URL configuration, script
    prefix and constant arguments, and the id put in its place."""
    *constant, pk = args
    before, after = _around_id(get_urlconf(), get_script_prefix(), name, tuple(map(str, constant)))
    return f"{before}{int(pk)}{after}"


@functools.lru_cache(maxsize=64)
def _around_id(
    urlconf: str | None, _prefix: str, name: str, constant: tuple[str, ...]
) -> tuple[str, str]:
    url = reverse(name, args=[*constant, _ID_MARKER], urlconf=urlconf)
    before, found, after = url.partition(str(_ID_MARKER))
    if not found:
        raise ValueError(f"{name} does not end in an id")
    return before, after


_LINE_BREAK = mark_safe("<br>")  # a constant tag, no text in it


@register.filter
def article_body(text: str) -> SafeString:
    """Plain text → HTML: blank lines separate paragraphs, `## ` starts a
    subheading, `- ` a list item. Every piece of text is escaped: no markup
    an editor types ever reaches the page."""
    out: list[SafeString] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush(paragraph: list[str], items: list[str]) -> None:
        if paragraph:
            lines = format_html_join(_LINE_BREAK, "{}", ((p,) for p in paragraph))
            out.append(format_html("<p>{}</p>", lines))
            paragraph.clear()
        if items:
            out.append(
                format_html(
                    "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items))
                )
            )
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush(paragraph, items)
        elif line.startswith("## "):
            flush(paragraph, items)
            out.append(format_html("<h2>{}</h2>", line[3:].strip()))
        elif line.startswith(("- ", "· ")):
            flush(paragraph, [])
            items.append(line[2:].strip())
        else:
            flush([], items)
            paragraph.append(line)
    flush(paragraph, items)
    return format_html_join("\n", "{}", ((piece,) for piece in out))


@register.filter
def article_excerpt(article: Article, length: int = 80) -> str:
    if article.summary:
        return article.summary
    text = " ".join(
        line.strip()
        for line in (article.body or "").splitlines()
        if line.strip() and not line.startswith("## ")
    )
    return text if len(text) <= length else text[:length] + "…"


_EMPTY = mark_safe("")  # nothing, as safe HTML


@register.simple_tag
def search_hits(result: Result) -> SafeString:
    """The hits of a search page as <li> items. `name_html` is safe already
    (`search.highlight` escaped the name, then marked the matches)."""
    uscc_label, exact_label = _("统一社会信用代码"), _("代码精确匹配")
    return format_html_join(
        "\n",
        '<li id="subject-{}"><h2><a href="{}">{}</a></h2>'
        '<p class="meta"><span>{}</span>{}{}</p></li>',
        (
            (
                hit.id,
                object_url("portal:subject", hit.id),
                hit.name_html,
                hit.kind_label,
                _hit_code(hit, result.query.code, uscc_label),
                format_html('<span class="badge">{}</span>', exact_label)
                if hit.by_code
                else _EMPTY,
            )
            for hit in result.hits
        ),
    )


def _hit_code(hit: Hit, query_code: str, label: str) -> SafeString:
    """The hit's USCC, marked when it is the code searched for."""
    if not hit.uscc:
        return _EMPTY
    if hit.by_code and hit.uscc == query_code:
        return format_html("<span>{}：<code><mark>{}</mark></code></span>", label, hit.uscc)
    return format_html("<span>{}：<code>{}</code></span>", label, hit.uscc)


_RECORD_COLUMNS = (
    gettext_lazy("行政相对人"),
    gettext_lazy("决定文书号"),
    gettext_lazy("类别"),
    gettext_lazy("公示部门"),
    gettext_lazy("决定日期"),
    gettext_lazy("公示截止日期"),
)


class _TableParts(NamedTuple):
    """What every record table of one language shares."""

    head: SafeString  # the header row's cells
    row: str  # the format string of a row, for `format_html`: its id, then six cells
    empty: SafeString  # the body of a table without records
    view: str  # the link text of a record without a document number
    disputed: str  # the badge of a record under objection


@functools.lru_cache(maxsize=8)
def _table_parts(language: str | None) -> _TableParts:
    """The parts of a record table, translated and escaped once per process and
    language rather than once per table (a subject page has three tables; see
    bench/README.md, "portal"). Each cell shows its column's label on a narrow
    screen, so the labels are part of the row's format string, escaped."""
    labels = [str(label) for label in _RECORD_COLUMNS]
    cells = "".join(
        '<td data-label="' + str(escape(label)).replace("{", "{{").replace("}", "}}") + '">{}</td>'
        for label in labels
    )
    return _TableParts(
        head=format_html_join("", '<th scope="col">{}</th>', ((label,) for label in labels)),
        row='<tr id="record-{}">' + cells + "</tr>",
        empty=format_html('<tr><td colspan="{}">{}</td></tr>', len(labels), _("暂无公示信息")),
        view=_("查看详情"),
        disputed=_("异议处理中"),
    )


@register.simple_tag
def record_table(records: Sequence[PublicRecord], caption: str, link_subjects: bool) -> SafeString:
    """A table of public records (`records.selectors.PublicRecord`): a subject
    page's groups, a 双公示 list."""
    parts = _table_parts(get_language())
    if records:
        rows = format_html_join(
            "\n", "{}", ((_record_row(r, parts, link_subjects),) for r in records)
        )
    else:
        rows = parts.empty
    return format_html(
        '<div class="table-scroll">\n<table class="records">\n'
        '  <caption class="sr-only">{}</caption>\n'
        "  <thead><tr>{}</tr></thead>\n  <tbody>\n{}\n  </tbody>\n</table>\n</div>",
        caption,
        parts.head,
        rows,
    )


def _record_row(r: PublicRecord, parts: _TableParts, link_subjects: bool) -> SafeString:
    name = r.subject_name or "—"
    if r.subject_id and link_subjects:
        name = format_html('<a href="{}">{}</a>', object_url("portal:subject", r.subject_id), name)
    doc = r.doc_number or parts.view
    if r.kind is not None:
        url = object_url("portal:record_detail", r.kind.slug, r.id)
        doc = format_html('<a href="{}">{}</a>', url, doc)
    if r.disputed:
        doc = format_html('{} <span class="badge dispute">{}</span>', doc, parts.disputed)
    category = r.category or "—"
    if r.licence_status:
        category = format_html('{} <span class="muted">（{}）</span>', category, r.licence_status)
    return format_html(
        parts.row,
        r.id,
        name,
        doc,
        category,
        r.department_name,
        r.decision_date.isoformat() if r.decision_date else "—",
        r.public_until_text or "—",
    )


_NAV_NAMES = frozenset({"home", "search", "record_list", "news", "policy", "education", "guide"})


@register.filter
def nav_key(request: HttpRequest) -> str:
    """The cache key of the navigation bar for this page: its path where the
    page is one of the bar's entries (marked aria-current), one shared key
    for every other page (a subject page, a record page, …), which the bar
    renders the same."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in _NAV_NAMES and match.namespace == "portal":
        return request.path
    return "-"
