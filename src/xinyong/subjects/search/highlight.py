"""The query marked in a subject's name, for a results page."""

import functools
import html
import unicodedata

from django.utils.safestring import SafeString

from xinyong.subjects.naming import name_key


@functools.lru_cache(maxsize=16_384)
def _char_key(ch: str) -> str:
    """One character's matching form, as `name_key` would make it inside a name."""
    key = name_key(ch)
    if not key and unicodedata.category(ch).startswith("P"):
        # name_key strips punctuation at the ends of a name only.
        key = unicodedata.normalize("NFKC", ch).upper()
    return key


def _spans(text: str, key: str) -> list[tuple[int, int]]:
    """Where `key` (a matching form) occurs in `text`, as (begin, end) of
    the raw text, overlapping occurrences merged."""
    folded: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for part in _char_key(ch):
            folded.append(part)
            origin.append(index)
    haystack = "".join(folded)
    spans: list[tuple[int, int]] = []
    start = haystack.find(key)
    while start != -1:
        end = start + len(key)
        begin, finish = origin[start], origin[end - 1] + 1
        if spans and begin <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], finish))
        else:
            spans.append((begin, finish))
        start = haystack.find(key, end)
    return spans


def highlight(text: str, key: str) -> SafeString:
    """`text` escaped, with every occurrence of the query (in matching form)
    wrapped in <mark>. Spans are found on the raw text and each piece is
    escaped on its own, so a mark never splits an entity.

    Built from escaped pieces and the constant tags, not with `format_html`:
    twenty names a page, several pieces each, and `format_html`'s lazy
    escaping per piece was the largest cost of a search page after the
    URLs (bench/README.md, "portal"). Every piece of text passes
    `html.escape` (what Django's `escape` does to a str); the only markup
    is `<mark>`."""
    text = text or ""
    spans = _spans(text, key) if key else []
    pieces: list[str] = []
    before = 0
    for begin, finish in spans:
        pieces += (
            html.escape(text[before:begin]),
            "<mark>",
            html.escape(text[begin:finish]),
            "</mark>",
        )
        before = finish
    pieces.append(html.escape(text[before:]))
    return SafeString("".join(pieces))
