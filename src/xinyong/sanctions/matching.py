"""Which registered subjects a check's query names.

The registry's own rules (`subjects`), read only: USCC → legacy code → ID
digest → name key. Nothing is created and no fuzzy score is computed: a
check must not hit the wrong firm.

- A code is checked first (`core.identifiers`); a malformed one gives its
  Chinese reason in `problems`, and the name, if any, is still checked.
- A name matches only as a whole: its key (`subjects.naming.name_key`:
  full/half-width, brackets, spaces) equal to a subject's key or to one of its
  former names' (`SubjectAlias`), or equal under the accepted variant
  有限责任公司 ↔ 有限公司. A fragment (`神农架林区`) is no name and matches
  nothing. A natural person is matched by ID number only, never by name.
- Name-only matches are marked 需人工核实 (`needs_review`).

At most four statements per query, each on an index: subjects by USCC or
ID digest; legacy codes; names; former names.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from xinyong.core.db import bulk
from xinyong.core.identifiers import (
    check_code,
    check_organization_code,
    check_registration_number,
    check_resident_id,
    check_uscc,
    normalize_code,
)
from xinyong.core.masking import mask_id_number
from xinyong.subjects.hashing import id_digest
from xinyong.subjects.models import Subject, SubjectAlias, SubjectIdentifier
from xinyong.subjects.naming import name_key, variant_form

_LONG_FORM = "有限责任公司"
_SHORT_FORM = "有限公司"

METHOD_LABELS = {
    "uscc": "统一社会信用代码",
    "legacy_code": "旧代码（工商注册号、组织机构代码等）",
    "id_digest": "居民身份证号码",
    "name": "名称（规范化后完全一致）",
    "name_variant": "名称（变体一致：括号、空格、有限责任公司/有限公司）",
}
FIELD_LABELS = {
    "uscc": "统一社会信用代码",
    "legacy_code": "旧代码",
    "id_number": "身份证号码",
    "name": "名称",
}


@dataclass(frozen=True, slots=True)
class Query:
    """What the officer asked about ("" where absent)."""

    uscc: str = ""
    legacy_code: str = ""
    id_number: str = ""
    name: str = ""

    def shown(self) -> str:
        """The query as logged and shown: an ID number masked."""
        parts = [self.uscc, self.legacy_code, mask_id_number(self.id_number), self.name.strip()]
        return " ".join(p for p in parts if p)[:300]

    def is_empty(self) -> bool:
        return not (self.uscc or self.legacy_code or self.id_number or self.name.strip())


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class Match:
    """A subject the query names, and how: the query's and the subject's values side by side."""

    subject_id: int
    subject_name: str
    subject_kind: str
    uscc: str
    id_masked: str
    method: str  # a key of METHOD_LABELS
    query_value: str
    subject_value: str

    @property
    def needs_review(self) -> bool:
        return self.method in ("name", "name_variant")


@dataclass(slots=True)
class Resolution:
    matches: list[Match] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_text(text: str) -> Query:
    """A single query (the CLI's QUERY, the page's box): a code, an ID number or a name.

    A text of Latin letters and digits only is a code (its kind told by
    `check_code`); anything else is a name."""
    text = (text or "").strip()
    code = normalize_code(text)
    if code and code.isascii() and code.replace("-", "").isalnum():
        check = check_code(text)
        if check.kind == "resident_id":
            return Query(id_number=code)
        if check.kind in ("registration_number", "organization_code"):
            return Query(legacy_code=code)
        return Query(uscc=code)
    return Query(name=text)


def _problem(field_name: str, errors: list[str]) -> Problem:
    return Problem(field_name, f"{FIELD_LABELS[field_name]}：" + "；".join(errors))


def resolve(query: Query) -> Resolution:
    """The subjects `query` names (see the module docstring)."""
    return resolve_many([query])[0]


_Row = tuple[int, str, str, str | None, str]

# Plain lower-case table names from _meta: the same quoted form on both databases.
# Written out rather than built by the ORM: on a check's hot path the ORM's
# query building cost more than the queries (bench/README.md).
_SUBJECTS_SQL = (
    "SELECT s.id, s.kind, s.name, s.uscc, s.id_masked, s.id_digest "  # noqa: S608 - table names from _meta; values bound
    f'FROM "{Subject._meta.db_table}" s WHERE {{where}} ORDER BY s.id'
)
_ALIASES_SQL = (
    "SELECT s.id, s.kind, s.name, s.uscc, s.id_masked, a.name "  # noqa: S608 - table names from _meta; values bound
    f'FROM "{SubjectAlias._meta.db_table}" a '
    f'JOIN "{Subject._meta.db_table}" s ON s.id = a.subject_id '
    "WHERE {where} AND s.kind <> %s ORDER BY s.id"
)


def _either(*conditions: tuple[str, set[str]]) -> tuple[str, list[object]]:
    """`col1 ∈ values1 OR col2 ∈ values2 …`, leaving out the empty ones; each
    list one parameter (`core.db.bulk.any_of`), each column on its index."""
    parts: list[str] = []
    params: list[object] = []
    for column, values in conditions:
        if values:
            where, more = bulk.any_of(column, sorted(values))
            parts.append(where)
            params += more
    return "(" + " OR ".join(parts) + ")", params


@dataclass(slots=True)
class _Wanted:
    uscc: str = ""
    digest: str = ""
    legacy: str = ""


def _check_codes(query: Query, result: Resolution) -> _Wanted:
    wanted = _Wanted()
    if query.uscc:
        check = check_uscc(query.uscc)
        if check.valid:
            wanted.uscc = check.normalized
        else:
            result.problems.append(_problem("uscc", check.errors))
    if query.id_number:
        check = check_resident_id(query.id_number)
        if check.valid:
            wanted.digest = id_digest(check.normalized)
        else:
            result.problems.append(_problem("id_number", check.errors))
    if query.legacy_code:
        code = normalize_code(query.legacy_code)
        check = (
            check_registration_number(code)
            if len(code) == 15
            else check_organization_code(code)
            if len(code) in (9, 10)
            else check_code(code)
        )
        if check.valid:
            wanted.legacy = check.normalized
        else:
            result.problems.append(_problem("legacy_code", check.errors))
    return wanted


def _add(result: Resolution, row: _Row, method: str, q: str, v: str) -> None:
    pk, kind, name, subject_uscc, masked = row
    if any(m.subject_id == pk for m in result.matches):
        return
    result.matches.append(Match(pk, name, kind, subject_uscc or "", masked, method, q, v))


def resolve_many(queries: list[Query]) -> list[Resolution]:
    """`resolve` for many queries at once (a bulk check): the same three
    statements whatever their number, each with all the values."""
    results = [Resolution() for _q in queries]
    wanted = [_check_codes(q, r) for q, r in zip(queries, results, strict=True)]
    usccs = {w.uscc for w in wanted if w.uscc}
    digests = {w.digest for w in wanted if w.digest}
    legacies = {w.legacy for w in wanted if w.legacy}
    by_uscc: dict[str, _Row] = {}
    by_digest: dict[str, list[_Row]] = {}
    if usccs or digests:
        where, params = _either(("s.uscc", usccs), ("s.id_digest", digests))
        for pk, kind, name, uscc, masked, digest in bulk.select(
            _SUBJECTS_SQL.format(where=where), params
        ):
            row = (pk, kind, name, uscc, masked)
            if uscc and uscc in usccs:
                by_uscc[uscc] = row
            if digest and digest in digests:
                by_digest.setdefault(digest, []).append(row)
    by_legacy: dict[str, list[tuple[_Row, str]]] = {}
    if legacies:
        for subject_id, kind, name, uscc, masked, value in (
            SubjectIdentifier.objects.filter(
                kind__in=SubjectIdentifier.Kind.values, value__in=legacies
            )
            .order_by("subject_id")
            .values_list(
                "subject_id", "subject__kind", "subject__name", "subject__uscc",
                "subject__id_masked", "value",
            )
        ):  # fmt: skip
            by_legacy.setdefault(value, []).append(((subject_id, kind, name, uscc, masked), value))
    for query, w, result in zip(queries, wanted, results, strict=True):
        if w.uscc and w.uscc in by_uscc:
            _add(result, by_uscc[w.uscc], "uscc", w.uscc, w.uscc)
        for row in by_digest.get(w.digest, ()) if w.digest else ():
            _add(result, row, "id_digest", mask_id_number(query.id_number), row[4])
        for row, value in by_legacy.get(w.legacy, ()) if w.legacy else ():
            _add(result, row, "legacy_code", w.legacy, value)
    # Names: only for the queries that no code matched.
    by_name = [
        (i, q.name) for i, q in enumerate(queries) if not results[i].matches and q.name.strip()
    ]
    if by_name:
        _by_names(by_name, results)
    return results


def name_keys(name: str) -> tuple[str, set[str]]:
    """The query's key and every key that is the same name (its variants)."""
    key = name_key(name)
    keys = {key, variant_form(key)}
    if _SHORT_FORM in key:
        keys.add(key.replace(_SHORT_FORM, _LONG_FORM))
    keys.discard("")
    return key, keys


def _by_names(wanted: list[tuple[int, str]], results: list[Resolution]) -> None:
    """Subjects (not persons) whose name, or a former name, is one of the
    wanted names or a variant of it: two statements for all the names."""
    keys_of: list[tuple[int, str, str, str]] = []  # (index, name, key, variant)
    all_keys: set[str] = set()
    for index, name in wanted:
        key, keys = name_keys(name)
        if keys:
            keys_of.append((index, name.strip(), key, variant_form(key)))
            all_keys |= keys
    if not all_keys:
        return
    # (row, the name matched: the subject's or a former one)
    found: dict[str, list[tuple[_Row, str, str]]] = {}
    wanted_keys = sorted(all_keys)
    where, params = bulk.any_of("s.name_key", wanted_keys)
    for pk, kind, name, uscc, masked, _digest in bulk.select(
        _SUBJECTS_SQL.format(where=f"{where} AND s.kind <> %s"),
        [*params, Subject.Kind.PERSON.value],
    ):
        key = name_key(name)
        found.setdefault(variant_form(key), []).append(((pk, kind, name, uscc, masked), name, key))
    where, params = bulk.any_of("a.name_key", wanted_keys)
    for pk, kind, name, uscc, masked, alias in bulk.select(
        _ALIASES_SQL.format(where=where), [*params, Subject.Kind.PERSON.value]
    ):
        key = name_key(alias)
        found.setdefault(variant_form(key), []).append(((pk, kind, name, uscc, masked), alias, key))
    for index, name, key, variant in keys_of:
        for row, seen_name, seen_key in found.get(variant, ()):
            method = "name" if seen_key == key else "name_variant"
            _add(results[index], row, method, name, seen_name)


def problems_text(problems: list[Problem]) -> str:
    return "；".join(p.message for p in problems) or _("无")
