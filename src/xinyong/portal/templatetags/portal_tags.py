"""Rendering helpers of the portal: article bodies as a tiny safe subset."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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
