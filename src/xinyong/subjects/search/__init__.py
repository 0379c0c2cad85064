"""Subject search for the public site (and the apps below it): codes first,
then names, never a person. `search_subjects` answers a query a page at a
time (`query`); `highlight` marks the query in a name; the name index and
its triggers are in `index`."""

from xinyong.subjects.search.highlight import highlight
from xinyong.subjects.search.index import subject_index_deferred
from xinyong.subjects.search.query import (
    CANDIDATE_CAP,
    MAX_LENGTH,
    MIN_LENGTH,
    PAGE_SIZE,
    Hit,
    Query,
    Result,
    parse_query,
    search_plan,
    search_subjects,
)

__all__ = [
    "CANDIDATE_CAP",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "PAGE_SIZE",
    "Hit",
    "Query",
    "Result",
    "highlight",
    "parse_query",
    "search_plan",
    "search_subjects",
    "subject_index_deferred",
]
