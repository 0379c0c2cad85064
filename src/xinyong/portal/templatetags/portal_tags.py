"""Rendering helpers of the portal: article bodies as a tiny safe subset."""

import functools

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def article_body(text: str) -> SafeString:
    """Plain text → HTML: blank lines separate paragraphs, `## ` starts a
    subheading, `- ` a list item. Every piece of text is escaped: no markup
    an editor types ever reaches the page."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush(paragraph: list[str], items: list[str]) -> None:
        if paragraph:
            out.append("<p>" + "<br>".join(escape(p) for p in paragraph) + "</p>")
            paragraph.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush(paragraph, items)
        elif line.startswith("## "):
            flush(paragraph, items)
            out.append(f"<h2>{escape(line[3:].strip())}</h2>")
        elif line.startswith(("- ", "· ")):
            flush(paragraph, [])
            items.append(line[2:].strip())
        else:
            flush([], items)
            paragraph.append(line)
    flush(paragraph, items)
    # Safe: every piece of text above went through escape().
    return mark_safe("\n".join(out))


@register.filter
def article_excerpt(article, length: int = 80) -> str:
    if article.summary:
        return article.summary
    text = " ".join(
        line.strip()
        for line in (article.body or "").splitlines()
        if line.strip() and not line.startswith("## ")
    )
    return text if len(text) <= length else text[:length] + "…"


@register.simple_tag
def search_hits(result) -> SafeString:
    """The hits of a search page as <li> items. Built here rather than in a
    template loop: the template engine costs about 0.1 ms per hit, the
    biggest part of a search page. Every value is escaped (`name_html` was
    escaped, then marked, by `search.highlight`)."""
    subject_url = escape(_id_url_prefix("portal:subject"))
    uscc_label = escape(_("统一社会信用代码"))
    exact_label = escape(_("代码精确匹配"))
    items = []
    for hit in result.hits:
        meta = [f"<span>{escape(hit.kind_label)}</span>"]
        if hit.uscc:
            code = escape(hit.uscc)
            if hit.by_code and hit.uscc == result.query.code:
                code = f"<mark>{code}</mark>"
            meta.append(f"<span>{uscc_label}：<code>{code}</code></span>")
        if hit.by_code:
            meta.append(f'<span class="badge">{exact_label}</span>')
        items.append(
            f'<li id="subject-{int(hit.id)}"><h2><a href="{subject_url}{int(hit.id)}/">'
            f'{hit.name_html}</a></h2><p class="meta">{"".join(meta)}</p></li>'
        )
    # Safe: every value above went through escape() or is an int.
    return mark_safe("\n".join(items))


_RECORD_COLUMNS = ("行政相对人", "决定文书号", "类别", "公示部门", "决定日期", "公示截止日期")


@register.simple_tag
def record_table(records, caption: str, link_subjects: bool) -> SafeString:
    """A table of public records (a subject page's groups, a 双公示 list),
    built here for the reason `search_hits` is: these pages are mostly this
    table, and the template engine's per-cell cost (an include, a translation
    and a lookup per cell) was the biggest part of them. Every value is
    escaped or is an int or an ISO date."""
    labels = [escape(_(text)) for text in _RECORD_COLUMNS]
    head = "".join(f'<th scope="col">{label}</th>' for label in labels)
    rows = (
        _record_rows(records, labels, link_subjects)
        if records
        else [f'<tr><td colspan="6">{escape(_("暂无公示信息"))}</td></tr>']
    )
    body = "\n".join(rows)
    # Safe: every value went through escape() (see _record_rows).
    return mark_safe(
        f'<div class="table-scroll">\n<table class="records">\n'
        f'  <caption class="sr-only">{escape(caption)}</caption>\n'
        f"  <thead><tr>{head}</tr></thead>\n  <tbody>\n{body}\n  </tbody>\n</table>\n</div>"
    )


def _record_rows(records, labels: list[str], link_subjects: bool) -> list[str]:
    l_subject, l_doc, l_category, l_department, l_date, l_until = labels
    l_disputed = escape(_("异议处理中"))
    l_view = escape(_("查看详情"))
    subject_prefix = escape(_id_url_prefix("portal:subject"))
    rows = []
    for r in records:
        name = escape(r.subject_name or "—")
        if r.subject_id and link_subjects:
            name = f'<a href="{subject_prefix}{int(r.subject_id)}/">{name}</a>'
        doc = escape(r.doc_number) if r.doc_number else l_view
        if r.kind is not None:
            prefix = escape(_id_url_prefix("portal:record_detail", r.kind.slug))
            doc = f'<a href="{prefix}{int(r.id)}/">{doc}</a>'
        if r.disputed:
            doc += f' <span class="badge dispute">{l_disputed}</span>'
        category = escape(r.category or "—")
        if r.licence_status:
            category += f' <span class="muted">（{escape(r.licence_status)}）</span>'
        decided = r.decision_date.isoformat() if r.decision_date else "—"
        until = r.public_until.isoformat() if r.public_until else "—"
        rows.append(
            f'<tr id="record-{int(r.id)}">'
            f'<td data-label="{l_subject}">{name}</td>'
            f'<td data-label="{l_doc}">{doc}</td>'
            f'<td data-label="{l_category}">{category}</td>'
            f'<td data-label="{l_department}">{escape(r.department_name)}</td>'
            f'<td data-label="{l_date}">{decided}</td>'
            f'<td data-label="{l_until}">{until}</td></tr>'
        )
    return rows


@register.simple_tag
def fixed_url(name: str, *args) -> str:
    """`{% url %}` for a link with constant arguments that every page repeats
    (home, search, the guides): reversed once per process, URL configuration
    and script prefix. A `{% url %}` costs about as much as building a table
    row; five of them were 12% of a subject page (callgrind)."""
    return _reversed(get_urlconf(), get_script_prefix(), name, args)


def _id_url_prefix(name: str, *args) -> str:
    """The URL of an object by its id, less the id and its slash
    ("/subjects/"): pages add each row's id to it."""
    return fixed_url(name, *args, 0)[:-2]


@functools.lru_cache(maxsize=256)
def _reversed(urlconf, _prefix: str, name: str, args: tuple) -> str:
    return reverse(name, args=args, urlconf=urlconf)


_NAV_NAMES = frozenset({"home", "search", "record_list", "news", "policy", "education", "guide"})


@register.filter
def nav_key(request) -> str:
    """The cache key of the navigation bar for this page: its path where the
    page is one of the bar's entries (marked aria-current), one shared key
    for every other page (a subject page, a record page, …), which the bar
    renders the same."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in _NAV_NAMES and match.namespace == "portal":
        return request.path
    return "-"
