"""Subject search: one SQL statement per results page.

Ranking: exact code first (USCC, or a legacy code such as 工商注册号 or
组织机构代码, compared after `normalize_code`), then names — the exact name,
then names starting with the query, then names containing it; within a
tier, shorter names first. Natural persons are never found: their names are
not in the index and the statement excludes them again.

Every path of the statement has an index, at any size (the SQL of the name
paths is the database's: `core.db`, `Dialect.name_prefix` and
`Dialect.name_contains`):

- code: the unique index on `subjects_subject.uscc`, and the unique index
  (kind, value) of `subjects_subjectidentifier` probed once per code kind;
- prefix: the `name_key` B-tree;
- contains, 3 characters or more: the trigram index (FTS5 on SQLite,
  pg_trgm on PostgreSQL); for a query of 6 characters or more, asked for a
  few of its trigrams, the whole query checked after (see `trigram_pieces`);
- contains, 2 characters (a trigram index cannot answer them): the primary
  key of `subjects_search_bigram`.

A query shaped like a whole code (18, 15 or 9 characters after
`normalize_code`) that finds a subject by code skips the contains path: the
user typed a code, and names containing it are noise that costs the most.

Each name path stops after `CANDIDATE_CAP` rows, so a query matching half the
registry (“有限公司”) costs the same as a rare one; the page then says that
only the first results are shown and asks for a longer query.

PostgreSQL chooses per query: for a selective one the indexes above; for a
word in a large share of the names (“有限公司”, a 3-character place name) it
may read the table in order and stop at the cap's match, which is cheaper
than building the trigram index's bitmap of 300,000 names (forbidding that
measured slower: bench/README.md). Every search statement is planned for its
values (`Dialect.fetch_unprepared`).
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.safestring import SafeString

from xinyong.core.db import dialect
from xinyong.core.identifiers import normalize_code
from xinyong.subjects.models import Subject, SubjectIdentifier
from xinyong.subjects.naming import name_key
from xinyong.subjects.search.highlight import highlight

PAGE_SIZE = 20
# Rows taken from each name path before ranking: the most results a query shows
# (ten pages). Each candidate is read and ranked: the cap bounds a common
# query's cost, and a user who needs more types a longer query.
CANDIDATE_CAP = 200
MIN_LENGTH = 2
MAX_LENGTH = 100
# The most trigrams a contains-lookup asks the trigram index for.
TRIGRAM_KEYS = 4
# A page of a query that reached the candidate cap (a common word: “有限公司”,
# “神农架”) is kept this long: such a query costs the most (every path at its
# cap; on PostgreSQL the trigram index's bitmap of every matching name) and
# is asked the most. Rarer queries are always answered fresh.
COMMON_QUERY_SECONDS = 60

_CODE_SHAPE = re.compile(r"[0-9A-Z]{6,30}")
# The lengths of the codes people search by: 统一社会信用代码 (GB 32100-2015),
# 工商注册号, 组织机构代码 (GB 11714-1997, without its hyphen).
_CODE_LENGTHS = (18, 15, 9)
_PERSON = Subject.Kind.PERSON.value


class Tier:
    """How a candidate was found, best first."""

    CODE = 0
    PREFIX = 1
    CONTAINS = 2


@dataclass(frozen=True, slots=True)
class Query:
    raw: str
    key: str  # the name's matching form (subjects.naming.name_key)
    code: str  # a code to look up exactly, or ""

    @property
    def usable(self) -> bool:
        return bool(self.code) or len(self.key) >= MIN_LENGTH

    @property
    def code_shaped(self) -> bool:
        """Shaped like a whole USCC, 工商注册号 or 组织机构代码: a subject found
        by it is what the user wants, so names containing it are not looked
        up (the most expensive path of the statement, for nothing)."""
        return len(self.code) in _CODE_LENGTHS


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    kind: str
    kind_label: str
    name: str
    uscc: str
    by_code: bool
    name_html: SafeString


@dataclass(slots=True)
class Result:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    page_size: int = PAGE_SIZE
    # Some name path stopped at its cap: there may be more matches than shown.
    capped: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def parse_query(raw: str) -> Query:
    raw = (raw or "").strip()[:MAX_LENGTH]
    code = normalize_code(raw)
    if not (_CODE_SHAPE.fullmatch(code) and any(c.isdigit() for c in code)):
        code = ""
    return Query(raw=raw, key=name_key(raw), code=code)


def trigram_pieces(key: str) -> list[str]:
    """A few non-overlapping trigrams of `key`, spread over it and in its
    order, for the trigram index to find the names that may contain `key`
    (the statement then checks the whole key); [] when the key is too short
    for that to pay (under 6 characters: ask for the whole key).

    Both trigram indexes look up every trigram they are given, at a cost per
    trigram whatever its rarity: a 16-character name asks for 14, among them
    the trigrams of 有限责任公司 found in one name of six. Four spread over
    the key select almost as well, for a fraction of the cost
    (bench/README.md)."""
    pieces = [key[p : p + 3] for p in range(0, len(key) - 2, 3)]
    if len(pieces) <= 1:
        return []
    if len(pieces) > TRIGRAM_KEYS:
        step = (len(pieces) - 1) / (TRIGRAM_KEYS - 1)
        pieces = [pieces[round(i * step)] for i in range(TRIGRAM_KEYS)]
    return pieces


def search_sql(
    query: Query, *, limit: int, offset: int, contains: bool = True
) -> tuple[str, list[object]]:
    """The statement for one page: (sql, params). Columns: id, kind, name, uscc,
    tier (`Tier`), total (a window count of all hits). `contains=False`
    leaves out the contains path (see `statement_for`)."""
    db = dialect()
    ctes: list[str] = []
    parts: list[str] = []
    params: list[object] = []

    def add(tier: int, sql: str, path_params: list[object]) -> None:
        # Every path yields (id, name_key) of subjects that are not persons.
        parts.append(f"SELECT id, {tier} AS tier, name_key FROM ({sql}) AS tier{tier}_{len(parts)}")
        params.extend(path_params)

    if query.code:
        # One probe of the unique (kind, value) index per kind.
        sql, code_params = _code_sql(query.code)
        ctes.append(f"code_hits (id) AS ({sql})")
        params += code_params
        add(
            Tier.CODE,
            "SELECT s.id, s.name_key FROM code_hits "
            "JOIN subjects_subject s ON s.id = code_hits.id WHERE s.kind <> %s",
            [_PERSON],
        )
    key = query.key
    if len(key) >= MIN_LENGTH:
        add(Tier.PREFIX, *db.name_prefix(key, cap=CANDIDATE_CAP, exclude_kind=_PERSON))
        if len(key) >= 3 and contains:
            add(
                Tier.CONTAINS,
                *db.name_contains(
                    key, trigram_pieces(key), cap=CANDIDATE_CAP, exclude_kind=_PERSON
                ),
            )
        if len(key) == 2:
            add(
                Tier.CONTAINS,
                "SELECT s.id, s.name_key FROM (SELECT subject_id AS id "
                "FROM subjects_search_bigram WHERE bigram = %s LIMIT %s) AS bigram_hits "
                "JOIN subjects_subject s ON s.id = bigram_hits.id WHERE s.kind <> %s",
                [key, CANDIDATE_CAP, _PERSON],
            )
    if not parts:
        raise ValueError("query too short")
    union = " UNION ALL ".join(parts)
    ctes.append(f"candidates (id, tier, name_key) AS ({union})")
    # Every path excludes persons and carries the name key it read, so the
    # ranking needs no further row; only the page's rows are joined for
    # their name and code. The subjects of unfinished imports are left out
    # by one read of the small partial index `subject_pending_idx`.
    sql = (
        f"WITH {', '.join(ctes)}, "
        "best AS (SELECT id, MIN(tier) AS tier, MIN(name_key) AS name_key "
        f"FROM candidates WHERE {_NOT_PENDING} GROUP BY id), "
        "page AS (SELECT id, tier, CASE WHEN name_key = %s THEN 0 ELSE 1 END AS exact, "
        "LENGTH(name_key) AS size, COUNT(*) OVER () AS total FROM best "
        "ORDER BY tier, exact, size, id LIMIT %s OFFSET %s) "
        "SELECT s.id, s.kind, s.name, s.uscc, page.tier, page.total "
        "FROM page JOIN subjects_subject s ON s.id = page.id "
        "ORDER BY page.tier, page.exact, page.size, page.id"
    )
    params += [key, limit, offset]
    return sql, params


# Not a subject an unfinished import created (`subjects.staging`).
_NOT_PENDING = "id NOT IN (SELECT id FROM subjects_subject WHERE pending_batch_id IS NOT NULL)"


def _code_sql(code: str) -> tuple[str, list[object]]:
    """Subjects holding `code` as USCC or as a legacy code: index probes only."""
    kinds = list(SubjectIdentifier.Kind.values)
    marks = ", ".join(["%s"] * len(kinds))
    return (
        "SELECT id FROM subjects_subject WHERE uscc = %s "
        "UNION ALL SELECT subject_id FROM subjects_subjectidentifier "
        f"WHERE kind IN ({marks}) AND value = %s",
        [code, *kinds, code],
    )


def statement_for(query: Query, *, limit: int, offset: int) -> tuple[str, list[object]]:
    """The page's statement. A query shaped like a whole code (18, 15 or 9
    characters) is first looked up as a code, with two index probes: if that
    finds a subject (not a person), the user typed a code, and the contains
    path — names containing the code, noise that costs the most — is left out.
    (Decided here rather than inside the statement: SQLite evaluates a
    condition on the CTE as a LIMIT expression slowly.)"""
    contains = True
    if query.code_shaped:
        sql, params = _code_sql(query.code)
        found = dialect().fetch_unprepared(
            f"SELECT 1 FROM subjects_subject WHERE kind <> %s AND pending_batch_id IS NULL "
            f"AND id IN ({sql}) LIMIT 1",
            [_PERSON, *params],
        )
        contains = not found
    return search_sql(query, limit=limit, offset=offset, contains=contains)


def search_subjects(raw: str, *, page: int = 1, page_size: int = PAGE_SIZE) -> Result:
    """Subjects matching a query, ranked, one page of them; persons never."""
    query = parse_query(raw)
    page = max(1, page)
    result = Result(query=query, page=page, page_size=page_size)
    if not query.usable:
        return result
    cache_key = (
        "subjects.search:"
        + hashlib.sha1(
            f"{query.key}\x1f{query.code}\x1f{page}\x1f{page_size}".encode(), usedforsecurity=False
        ).hexdigest()
    )
    cached: Result | None = cache.get(cache_key)
    if cached is not None:
        return cached
    result = _search(query, raw, page, page_size, result)
    if result.capped:
        cache.set(cache_key, result, COMMON_QUERY_SECONDS)
    return result


def _search(query: Query, raw: str, page: int, page_size: int, result: Result) -> Result:
    sql, params = statement_for(query, limit=page_size, offset=(page - 1) * page_size)
    rows = dialect().fetch_unprepared(sql, params)
    if not rows and page > 1:
        # Past the last page: answer the last page instead of an empty one.
        first = search_subjects(raw, page=1, page_size=page_size)
        if first.total:
            return search_subjects(raw, page=first.num_pages, page_size=page_size)
        return first
    labels = dict(Subject.Kind.choices)
    for pk, kind, name, uscc, tier, total in rows:
        result.total = total
        result.hits.append(
            Hit(
                id=pk,
                kind=kind,
                kind_label=str(labels.get(kind, kind)),
                name=name,
                uscc=uscc or "",
                by_code=tier == Tier.CODE,
                name_html=highlight(name, query.key),
            )
        )
    result.capped = result.total >= CANDIDATE_CAP
    return result


def search_plan(raw: str) -> list[str]:
    """The database's plan for a query's statement, one line per step."""
    query = parse_query(raw)
    sql, params = statement_for(query, limit=PAGE_SIZE, offset=0)
    return dialect().explain(sql, params)
