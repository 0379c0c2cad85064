"""Subject search of the public portal: one SQL statement per results page.

Ranking: exact code first (USCC, or a legacy code such as 工商注册号 or
组织机构代码, compared after `normalize_code`), then names — the exact name,
then names starting with the query, then names containing it; within a
tier, shorter names first. Natural persons are never found: their names are
not in the index (see `searchindex`) and the statement excludes them again.

Every path of the statement has an index, at any size:

- code: the unique index on `subjects_subject.uscc`, and the unique index
  (kind, value) of `subjects_subjectidentifier` probed once per code kind;
- prefix: a range on the `name_key` B-tree (SQLite) or `LIKE 'q%'` on the
  `varchar_pattern_ops` index (PostgreSQL);
- contains, 3 characters or more: FTS5 trigram MATCH (SQLite) or LIKE on
  the pg_trgm GIN index (PostgreSQL); for a query of 6 characters or more,
  of a few of its trigrams, then the whole query with `instr`/`strpos`
  (see `_trigram_pieces`);
- contains, 2 characters (a trigram index cannot answer them): the primary
  key of `portal_subject_bigram`.

A query shaped like a whole code (18, 15 or 9 characters after
`normalize_code`) that finds a subject by code skips the contains path: the
user typed a code, and names containing it are noise that costs the most.

Each name path stops after `CANDIDATE_CAP` rows, so a query matching half the
registry (“有限公司”) costs the same as a rare one; the page then says that
only the first results are shown and asks for a longer query.

PostgreSQL chooses per query: for a selective one the indexes above; for a
word in a large share of the names (“有限公司”, a 3-character place name) it
may read the table in order and stop at the cap's match, which is cheaper
than building the trigram index's bitmap of 300,000 names. Forbidding that
(`enable_seqscan = off`) measured twice as slow on average and three times
at the 99th percentile at 10^6 subjects; the benchmark prints the plans.
"""

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from xinyong.core.identifiers import normalize_code
from xinyong.subjects.models import Subject, SubjectIdentifier
from xinyong.subjects.naming import name_key

PAGE_SIZE = 20
# Rows taken from each name path before ranking: the most results a query shows
# (ten pages). Each candidate is read and ranked: the cap bounds a common
# query's cost, and a user who needs more types a longer query.
CANDIDATE_CAP = 200
MIN_LENGTH = 2
MAX_LENGTH = 100

_CODE_SHAPE = re.compile(r"[0-9A-Z]{6,30}")
# The lengths of the codes people search by: 统一社会信用代码 (GB 32100-2015),
# 工商注册号, 组织机构代码 (GB 11714-1997, without its hyphen).
_CODE_LENGTHS = (18, 15, 9)
_PERSON = Subject.Kind.PERSON.value


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


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# The most trigrams a contains-lookup asks the trigram index for.
TRIGRAM_KEYS = 4


def _trigram_pieces(key: str) -> list[str]:
    """A few non-overlapping trigrams of `key`, spread over it and in its
    order, for the trigram index to find the names that may contain `key`
    (the statement then checks the whole key); [] when the key is too short
    for that to pay (under 6 characters: ask for the whole key).

    Both indexes look up every trigram they are given, at a cost per trigram
    whatever its rarity (pg_trgm's GIN ~0.2 ms at 10^6 names; FTS5 walks a
    doclist per token): a 16-character name asks for 14, among them the
    trigrams of 有限责任公司 found in one name of six. Four spread over the
    key select almost as well: exact-name queries measured 2 to 2.5 times as
    fast at 10^6 on both databases."""
    pieces = [key[p : p + 3] for p in range(0, len(key) - 2, 3)]
    if len(pieces) <= 1:
        return []
    if len(pieces) > TRIGRAM_KEYS:
        step = (len(pieces) - 1) / (TRIGRAM_KEYS - 1)
        pieces = [pieces[round(i * step)] for i in range(TRIGRAM_KEYS)]
    return pieces


def _trigram_pattern(key: str) -> str:
    """PostgreSQL: the LIKE pattern for pg_trgm (“%神农架%惠农菊%农业有%限责任%”)."""
    pieces = _trigram_pieces(key) or [key]
    return "%" + "%".join(_like_escape(p) for p in pieces) + "%"


def _fts_query(key: str) -> str:
    """SQLite: the FTS5 query, the pieces as phrases that must all be there."""
    return " ".join(_fts_phrase(p) for p in _trigram_pieces(key) or [key])


def _fts_phrase(text: str) -> str:
    """An FTS5 string literal: the whole text as one phrase (trigram: a substring)."""
    return '"' + text.replace('"', '""') + '"'


def search_sql(query: Query, *, limit: int, offset: int, contains: bool = True) -> tuple[str, list]:
    """The statement for one page: (sql, params). Columns: id, kind, name, uscc,
    tier (0 code, 1 prefix, 2 contains), total (a window count of all hits).
    `contains=False` leaves out the contains path (see `statement_for`)."""
    sqlite = connection.vendor == "sqlite"
    ctes: list[str] = []
    parts: list[str] = []
    params: list = []
    if query.code:
        # One probe of the unique (kind, value) index per kind.
        sql, code_params = _code_sql(query.code)
        ctes.append(f"code_hits (id) AS ({sql})")
        params += code_params
        parts.append(
            "SELECT s.id, 0 AS tier, s.name_key FROM code_hits "
            "JOIN subjects_subject s ON s.id = code_hits.id WHERE s.kind <> %s"
        )
        params.append(_PERSON)
    key = query.key
    if len(key) >= MIN_LENGTH:
        if sqlite:
            # A range on the name_key B-tree is a prefix match (BINARY collation).
            parts.append(
                "SELECT id, 1, name_key FROM (SELECT id, name_key FROM subjects_subject "
                "WHERE name_key >= %s AND name_key < %s AND kind <> %s LIMIT %s)"
            )
            params += [key, key + "\U0010ffff", _PERSON, CANDIDATE_CAP]
            if len(key) >= 3 and contains:
                if _trigram_pieces(key):
                    # A few of the key's trigrams, then the whole key, before the cap.
                    parts.append(
                        "SELECT id, 2, name_key FROM (SELECT s.id, s.name_key FROM "
                        "(SELECT rowid AS id FROM portal_subject_fts "
                        "WHERE portal_subject_fts MATCH %s) AS fts_hits "
                        "JOIN subjects_subject s ON s.id = fts_hits.id "
                        "WHERE s.kind <> %s AND instr(s.name_key, %s) > 0 LIMIT %s)"
                    )
                    params += [_fts_query(key), _PERSON, key, CANDIDATE_CAP]
                else:
                    # The whole key as one phrase: every hit contains it.
                    parts.append(
                        "SELECT s.id, 2, s.name_key FROM (SELECT rowid AS id "
                        "FROM portal_subject_fts WHERE portal_subject_fts MATCH %s LIMIT %s) "
                        "AS fts_hits JOIN subjects_subject s ON s.id = fts_hits.id "
                        "WHERE s.kind <> %s"
                    )
                    params += [_fts_phrase(key), CANDIDATE_CAP, _PERSON]
        else:
            parts.append(
                "(SELECT id, 1, name_key FROM subjects_subject "
                "WHERE kind <> %s AND name_key LIKE %s LIMIT %s)"
            )
            params += [_PERSON, _like_escape(key) + "%", CANDIDATE_CAP]
            if len(key) >= 3 and contains:
                parts.append(
                    "(SELECT id, 2, name_key FROM subjects_subject "
                    "WHERE kind <> %s AND name_key LIKE %s AND strpos(name_key, %s) > 0 LIMIT %s)"
                )
                params += [_PERSON, _trigram_pattern(key), key, CANDIDATE_CAP]
        if len(key) == 2:
            parts.append(
                "SELECT s.id, 2, s.name_key FROM (SELECT subject_id AS id "
                "FROM portal_subject_bigram WHERE bigram = %s LIMIT %s) AS bigram_hits "
                "JOIN subjects_subject s ON s.id = bigram_hits.id WHERE s.kind <> %s"
            )
            params += [key, CANDIDATE_CAP, _PERSON]
    if not parts:
        raise ValueError("query too short")
    union = " UNION ALL ".join(parts)
    ctes.append(f"candidates (id, tier, name_key) AS ({union})")
    # Every path excludes persons and carries the name key it read, so the
    # ranking needs no further row; only the page's rows are joined for
    # their name and code.
    sql = (
        f"WITH {', '.join(ctes)}, "
        "best AS (SELECT id, MIN(tier) AS tier, MIN(name_key) AS name_key "
        "FROM candidates GROUP BY id), "
        "page AS (SELECT id, tier, CASE WHEN name_key = %s THEN 0 ELSE 1 END AS exact, "
        "LENGTH(name_key) AS size, COUNT(*) OVER () AS total FROM best "
        "ORDER BY tier, exact, size, id LIMIT %s OFFSET %s) "
        "SELECT s.id, s.kind, s.name, s.uscc, page.tier, page.total "
        "FROM page JOIN subjects_subject s ON s.id = page.id "
        "ORDER BY page.tier, page.exact, page.size, page.id"
    )
    params += [key, limit, offset]
    return sql, params


def _code_sql(code: str) -> tuple[str, list]:
    """Subjects holding `code` as USCC or as a legacy code: index probes only."""
    kinds = list(SubjectIdentifier.Kind.values)
    marks = ", ".join(["%s"] * len(kinds))
    return (
        "SELECT id FROM subjects_subject WHERE uscc = %s "
        "UNION ALL SELECT subject_id FROM subjects_subjectidentifier "
        f"WHERE kind IN ({marks}) AND value = %s",
        [code, *kinds, code],
    )


def statement_for(query: Query, *, limit: int, offset: int) -> tuple[str, list]:
    """The page's statement. A query shaped like a whole code (18, 15 or 9
    characters) is first looked up as a code, with two index probes: if that
    finds a subject (not a person), the user typed a code, and the contains
    path — names containing the code, noise that costs the most — is left out.
    (Decided here rather than inside the statement: SQLite evaluates a
    condition on the CTE as a LIMIT expression slowly, ~100 ms at 10^6.)"""
    contains = True
    if query.code_shaped:
        sql, params = _code_sql(query.code)
        found = _execute(
            f"SELECT 1 FROM subjects_subject WHERE kind <> %s AND id IN ({sql}) LIMIT 1",
            [_PERSON, *params],
        )
        contains = not found
    return search_sql(query, limit=limit, offset=offset, contains=contains)


# A page of a query that reached the candidate cap (a common word: “有限公司”,
# “神农架”) is kept this long: such a query costs the most (every path at its
# cap; on PostgreSQL the trigram index's bitmap of every matching name) and
# is asked the most. Rarer queries are always answered fresh.
COMMON_QUERY_SECONDS = 60


def search_subjects(raw: str, *, page: int = 1, page_size: int = PAGE_SIZE) -> Result:
    """Subjects matching a query, ranked, one page of them; persons never."""
    query = parse_query(raw)
    page = max(1, page)
    result = Result(query=query, page=page, page_size=page_size)
    if not query.usable:
        return result
    cache_key = (
        "portal.search:"
        + hashlib.sha1(f"{query.key}\x1f{query.code}\x1f{page}\x1f{page_size}".encode()).hexdigest()
    )
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    result = _search(query, raw, page, page_size, result)
    if result.capped:
        cache.set(cache_key, result, COMMON_QUERY_SECONDS)
    return result


def _search(query: Query, raw: str, page: int, page_size: int, result: Result) -> Result:
    sql, params = statement_for(query, limit=page_size, offset=(page - 1) * page_size)
    rows = _execute(sql, params)
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
                by_code=tier == 0,
                name_html=highlight(name, query.key),
            )
        )
    result.capped = result.total >= CANDIDATE_CAP
    return result


def _execute(sql: str, params: list, prefix: str = "") -> list[tuple]:
    """Run a search statement. On PostgreSQL it is never prepared, so it is
    planned for its values every time: connections prepare statements run a
    few times (settings, `XINYONG_PG_PREPARE`), and after five runs
    PostgreSQL may give a prepared statement one generic plan, which for
    `name_key LIKE $2` reads the whole table (120 ms for a rare name at 10^6
    instead of 1 ms). The portal's other statements keep their generic plans:
    planning the subject page's statement every time cost the database three
    times its execution."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(prefix + sql, params)
            return cursor.fetchall()
        psycopg_connection = connection.connection
        threshold = psycopg_connection.prepare_threshold
        psycopg_connection.prepare_threshold = None  # this statement only
        try:
            cursor.execute(prefix + sql, params)
        finally:
            psycopg_connection.prepare_threshold = threshold
        return cursor.fetchall()


def search_plan(raw: str) -> list[str]:
    """The database's plan for a query's statement (`EXPLAIN QUERY PLAN` on
    SQLite, `EXPLAIN` on PostgreSQL), one line per step."""
    query = parse_query(raw)
    sql, params = statement_for(query, limit=PAGE_SIZE, offset=0)
    if connection.vendor == "sqlite":
        depth: dict[int, int] = {0: 0}
        lines = []
        for node, parent, _unused, detail in _execute(sql, params, "EXPLAIN QUERY PLAN "):
            depth[node] = depth.get(parent, 0) + 1
            lines.append("  " * (depth[node] - 1) + detail)
        return lines
    return [row[0] for row in _execute(sql, params, "EXPLAIN ")]


# -- highlighting -------------------------------------------------------------------


@functools.lru_cache(maxsize=16_384)
def _char_key(ch: str) -> str:
    """One character's matching form, as `name_key` would make it inside a name."""
    key = name_key(ch)
    if not key and unicodedata.category(ch).startswith("P"):
        # name_key strips punctuation at the ends of a name only.
        key = unicodedata.normalize("NFKC", ch).upper()
    return key


def highlight(text: str, key: str) -> SafeString:
    """`text` escaped, with every occurrence of the query (in matching form)
    wrapped in <mark>. Spans are found on the raw text and each piece is
    escaped on its own, so a mark never splits an entity and no input is
    ever left unescaped."""
    text = text or ""
    if not key:
        return escape(text)
    folded: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for part in _char_key(ch):
            folded.append(part)
            origin.append(index)
    haystack = "".join(folded)
    spans: list[list[int]] = []
    start = haystack.find(key)
    while start != -1:
        end = start + len(key)
        span = [origin[start], origin[end - 1] + 1]
        if spans and span[0] <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], span[1])
        else:
            spans.append(span)
        start = haystack.find(key, end)
    if not spans:
        return escape(text)
    out: list[str] = []
    position = 0
    for begin, finish in spans:
        out.append(escape(text[position:begin]))
        out.append("<mark>" + escape(text[begin:finish]) + "</mark>")
        position = finish
    out.append(escape(text[position:]))
    # Safe: every piece of text above went through escape().
    return mark_safe("".join(out))
