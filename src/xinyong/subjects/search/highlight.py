"""The query marked in a subject's name, for a results page."""

import functools
import unicodedata

from django.utils.html import escape, format_html, format_html_join
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
    escaped on its own, so a mark never splits an entity."""
    text = text or ""
    spans = _spans(text, key) if key else []
    if not spans:
        return escape(text)
    starts = [0, *(finish for _begin, finish in spans)]
    marked = format_html_join(
        "",
        "{}<mark>{}</mark>",
        (
            (text[before:begin], text[begin:finish])
            for before, (begin, finish) in zip(starts, spans, strict=False)
        ),
    )
    return format_html("{}{}", marked, text[spans[-1][1] :])
