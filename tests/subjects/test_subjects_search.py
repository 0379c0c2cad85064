"""Subject search (`subjects.search`): codes first, then names; 2-character queries; never a person."""

import pytest
from django.db import connection

from support.ingest_files import company_code
from xinyong.core.db.postgresql import like_pattern
from xinyong.core.db.sqlite import fts_query
from xinyong.subjects import search
from xinyong.subjects.models import Subject, SubjectIdentifier
from xinyong.subjects.naming import name_key
from xinyong.subjects.search import query as search_query
from xinyong.subjects.search.index import ensure_triggers, index_objects

pytestmark = pytest.mark.django_db


def names(result):
    return [hit.name for hit in result.hits]


def test_exact_uscc_first_then_names(make_subject):
    code = company_code(7)
    target = make_subject("神农架木鱼酒店管理有限公司", uscc=code)
    # A name that contains the code's digits must not outrank the code.
    make_subject(f"{code}神农架代码相似有限公司")
    result = search.search_subjects(code.lower())
    assert result.hits[0].id == target.pk and result.hits[0].by_code


def test_legacy_code_found_after_normalisation(make_subject):
    subject = make_subject("神农架老字号食品厂", uscc=company_code(8))
    SubjectIdentifier.objects.create(
        subject=subject, kind=SubjectIdentifier.Kind.REGISTRATION, value="429021000012345"
    )
    # Full-width digits and spaces as people paste them.
    query = " ".join("４２９０２１０００") + "012345"
    result = search.search_subjects(query)
    assert [h.id for h in result.hits] == [subject.pk]
    assert result.hits[0].by_code


def test_name_ranking_exact_prefix_contains(make_subject):
    contains = make_subject("湖北神农架林海有限公司")
    longer_prefix = make_subject("神农架林海旅游开发有限责任公司")
    prefix = make_subject("神农架林海有限公司")
    exact = make_subject("神农架林海")
    make_subject("宜昌三峡有限公司")
    result = search.search_subjects("神农架林海")
    assert [h.id for h in result.hits] == [exact.pk, prefix.pk, longer_prefix.pk, contains.pk]
    assert result.total == 4


def test_three_characters_in_the_middle(make_subject):
    middle = make_subject("湖北松柏百草堂药业有限公司")
    assert names(search.search_subjects("百草堂")) == [middle.name]


def test_a_long_query_is_found_inside_names_and_only_whole(make_subject):
    # On PostgreSQL the index is asked for a few trigrams of a long query
    # (`_trigram_pattern`); the whole query must still be in the name.
    inside = make_subject("湖北神农架惠农菊香生态农业有限责任公司宜昌分公司")
    # Holds, in order, the trigrams the index is asked for, not the query.
    make_subject("神农架某惠农菊某农业有某限责任公司")
    result = search.search_subjects("神农架惠农菊香生态农业有限责任公司")
    assert [h.id for h in result.hits] == [inside.pk]


@pytest.mark.parametrize("query", ["50%_合作社", "百分之50%_合作社联合"])
def test_like_wildcards_in_a_long_query_are_literal(make_subject, query):
    literal = make_subject("湖北" + query + "有限公司")
    make_subject("湖北50xy合作社联合有限公司")
    assert [h.id for h in search.search_subjects(query).hits] == [literal.pk]


def _fts_query(key):
    return fts_query(search_query.trigram_pieces(key) or [key])


def _trigram_pattern(key):
    return like_pattern(search_query.trigram_pieces(key) or [key])


def test_a_long_query_asks_the_index_for_a_few_trigrams_in_order():
    assert _fts_query("百草堂") == '"百草堂"'
    assert _fts_query("神农架林海山") == '"神农架" "林海山"'
    assert _fts_query('a"bcdef') == '"a""b" "cde"'
    assert _trigram_pattern("百草堂") == "%百草堂%"
    assert _trigram_pattern("神农架林海") == "%神农架林海%"
    assert _trigram_pattern("神农架林海山") == "%神农架%林海山%"
    pattern = _trigram_pattern("神农架惠农菊香生态农业有限责任公司")
    assert pattern == "%神农架%惠农菊%农业有%限责任%"
    assert _trigram_pattern("a%b_c\\def") == "%a\\%b%\\_c\\\\%def%"


@pytest.mark.parametrize("query", ["神农", "百草", "ＡＢ", "ab"])
def test_two_character_query_uses_its_own_index(make_subject, query):
    one = make_subject("湖北神农百草AB有限公司")
    make_subject("宜昌三峡有限公司")
    result = search.search_subjects(query)
    assert [h.id for h in result.hits] == [one.pk]


def test_a_code_that_finds_a_subject_skips_names_containing_it(make_subject):
    code = company_code(7)
    target = make_subject("神农架木鱼酒店管理有限公司", uscc=code)
    starts = make_subject(f"{code}神农架代码开头有限公司")
    make_subject(f"神农架{code}代码在中间有限公司")
    result = search.search_subjects(code)
    assert [h.id for h in result.hits] == [target.pk, starts.pk]
    # A legacy code too (15 characters: 工商注册号).
    SubjectIdentifier.objects.create(
        subject=target, kind=SubjectIdentifier.Kind.REGISTRATION, value="429021000012345"
    )
    make_subject("神农架429021000012345有限公司")
    assert [h.id for h in search.search_subjects("429021000012345").hits] == [target.pk]


def test_a_code_that_finds_nothing_keeps_every_name_path(make_subject):
    code = company_code(9)
    middle = make_subject(f"神农架{code}代码在中间有限公司")
    assert [h.id for h in search.search_subjects(code).hits] == [middle.pk]
    # A person's code finds no public subject: names containing it still count.
    make_subject("李四", kind=Subject.Kind.PERSON, uscc=code)
    assert [h.id for h in search.search_subjects(code).hits] == [middle.pk]
    # Not code-shaped (10 characters): the contains path runs as for a name.
    short = make_subject("神农架老店有限公司", uscc=None)
    SubjectIdentifier.objects.create(
        subject=short, kind=SubjectIdentifier.Kind.REGISTRATION, value="4290210001"
    )
    also = make_subject("神农架4290210001分店")
    assert [h.id for h in search.search_subjects("4290210001").hits] == [short.pk, also.pk]


def test_a_code_that_finds_a_subject_never_opens_the_trigram_index(make_subject):
    code = company_code(7)
    found = make_subject("神农架木鱼酒店管理有限公司", uscc=code)
    for n in range(30):
        make_subject(f"神农架{n}号{code}商店")
    # The statement run for the page has no contains path at all.
    sql, _params = search_query.statement_for(search.parse_query(code), limit=20, offset=0)
    # (SQLite's contains path is an FTS5 MATCH; PostgreSQL's a second LIKE.)
    assert "MATCH" not in sql and sql.count("LIKE") <= 1
    assert [h.id for h in search.search_subjects(code).hits] == [found.pk]
    # A code-shaped query that finds nothing by code still looks among names.
    other = company_code(8)
    named = make_subject(f"神农架{other}商店")
    assert [h.id for h in search.search_subjects(other).hits] == [named.pk]


def test_one_character_is_too_short(make_subject):
    make_subject("神农架林海有限公司")
    result = search.search_subjects("神")
    assert not result.query.usable and result.hits == []


def test_persons_are_never_found_by_name_nor_indexed(make_subject):
    make_subject("张三丰", kind=Subject.Kind.PERSON)
    business = make_subject("张三丰小吃店", kind=Subject.Kind.INDIVIDUAL_BUSINESS)
    assert names(search.search_subjects("张三丰")) == [business.name]
    assert names(search.search_subjects("张三")) == [business.name]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM subjects_search_bigram b JOIN subjects_subject s "
            "ON s.id = b.subject_id WHERE s.kind = 'person'"
        )
        assert cursor.fetchone()[0] == 0
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid FROM subjects_search_fts WHERE subjects_search_fts MATCH ?",
                ['"张三丰"'],
            )
            assert [r[0] for r in cursor.fetchall()] == [business.pk]


def test_person_with_code_not_found_by_code(make_subject):
    make_subject("李四", kind=Subject.Kind.PERSON, uscc=company_code(31))
    assert search.search_subjects(company_code(31)).hits == []


def test_index_follows_renames_kind_changes_and_deletes(make_subject):
    subject = make_subject("神农架旧名称有限公司")
    subject.name = "神农架新名称有限公司"
    subject.name_key = name_key(subject.name)
    subject.save()
    assert search.search_subjects("旧名称").hits == []
    assert names(search.search_subjects("新名称")) == [subject.name]
    assert names(search.search_subjects("新名")) == [subject.name]
    Subject.objects.filter(pk=subject.pk).update(kind=Subject.Kind.PERSON)
    assert search.search_subjects("新名称").hits == []
    assert search.search_subjects("新名").hits == []
    Subject.objects.filter(pk=subject.pk).update(kind=Subject.Kind.LEGAL)
    assert len(search.search_subjects("新名称").hits) == 1
    Subject.objects.filter(pk=subject.pk).delete()
    assert search.search_subjects("新名称").hits == []
    assert search.search_subjects("新名").hits == []


def test_paging(make_subject):
    for n in range(45):
        make_subject(f"松柏{n:02d}号林海商店")
    first = search.search_subjects("林海", page=1)
    third = search.search_subjects("林海", page=3)
    assert first.total == 45 and first.num_pages == 3 and len(first.hits) == 20
    assert len(third.hits) == 5 and not third.has_next and third.has_previous
    seen = {h.id for p in (1, 2, 3) for h in search.search_subjects("林海", page=p).hits}
    assert len(seen) == 45
    # Past the end: the last page, not an empty one.
    assert search.search_subjects("林海", page=9).page == 3


def test_common_words_are_capped(make_subject, monkeypatch):
    monkeypatch.setattr(search_query, "CANDIDATE_CAP", 10)
    for n in range(30):
        make_subject(f"神农架{n:02d}有限公司")
    result = search.search_subjects("有限公司")
    assert result.total == 10 and result.capped


def test_highlight_escapes_first():
    html = search.highlight("<b>神农</b>&“神农”", "神农")
    assert html == "&lt;b&gt;<mark>神农</mark>&lt;/b&gt;&amp;“<mark>神农</mark>”"
    # Full-width and lower-case text marks by its matching form.
    assert search.highlight("ａｂｃ公司", name_key("ABC")) == "<mark>ａｂｃ</mark>公司"
    assert search.highlight("<i>x</i>", "") == "&lt;i&gt;x&lt;/i&gt;"


@pytest.mark.parametrize(
    "query", ["神农架林海", "神农架林海有限公司", "神农", "91429021MA0000000X"]
)
def test_plan_uses_the_indexes(make_subject, query):
    make_subject("神农架林海有限公司")
    if connection.vendor == "postgresql":
        # On a table of one row PostgreSQL rightly prefers reading the table;
        # forbidding that shows each path has an index the planner can use.
        # (At 10^6 it picks them itself: `xinyong bench search` prints its plans.)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = "\n".join(search.search_plan(query))
    if connection.vendor == "sqlite":
        assert "subjects_subject_name_key" in plan and "SCAN subjects_subject" not in plan
        if len(name_key(query)) >= 3:
            assert "subjects_search_fts VIRTUAL TABLE INDEX" in plan
        else:
            assert "subjects_search_bigram USING PRIMARY KEY" in plan
    else:
        assert "Seq Scan on subjects_subject" not in plan
        if not query[0].isdigit():
            # The prefix path: Django's pattern index on name_key (the one
            # there is; a second, identical one cost every new subject).
            assert "subjects_subject_name_key" in plan and "_like" in plan
        if len(name_key(query)) >= 3:
            assert "subjects_search_trgm" in plan
        else:
            assert "subjects_search_bigram_pkey" in plan
        # Run more often than the connection's prepare threshold, a search
        # is still not prepared, so never given a generic plan: that of
        # `name_key LIKE $2` reads the whole table.
        for _ in range(8):
            search.search_subjects(query)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%name_key%"],
            )
            assert cursor.fetchone()[0] == 0


def test_triggers_survive_a_table_rebuild(make_subject):
    """A migration of subjects that rebuilds the table on SQLite drops our
    triggers; the post-migrate hook puts them back. PostgreSQL keeps
    triggers and indexes through ALTER TABLE; the hook leaves them alone."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER subjects_search_{name}")
        else:
            # What a migration of subjects does there, a table rewrite
            # included (USING forces one); rolled back with the test.
            cursor.execute("ALTER TABLE subjects_subject ADD COLUMN search_probe integer")
            cursor.execute(
                "ALTER TABLE subjects_subject ALTER COLUMN name_key TYPE varchar(200) "
                "USING name_key || ''"
            )
            cursor.execute("ALTER TABLE subjects_subject DROP COLUMN search_probe")
    ensure_triggers(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'subjects_subject'"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'subjects_subject'::regclass "
                "AND NOT tgisinternal"
            )
        triggers = {row[0] for row in cursor.fetchall()}
    expected = {f"subjects_search_{name}" for name in ("insert", "delete", "update")}
    if connection.vendor == "postgresql":
        expected.add("subjects_search_truncate")
    assert triggers >= expected
    subject = make_subject("神农架重建触发器有限公司")
    assert [h.id for h in search.search_subjects("重建触发器").hits] == [subject.pk]
    assert [h.id for h in search.search_subjects("重建").hits] == [subject.pk]


# The index's objects, per database: what migration subjects.0002 leaves.
EXPECTED_OBJECTS = {
    "sqlite": {
        "table": {
            "subjects_search_fts",
            "subjects_search_bigram",
            "subjects_search_seq",
            "subjects_search_deferral",
        },
        "trigger": {"subjects_search_insert", "subjects_search_delete", "subjects_search_update"},
    },
    "postgresql": {
        "table": {"subjects_search_bigram"},
        "index": {"subjects_search_trgm", "subjects_search_bigram_pkey"},
        "trigger": {
            "subjects_search_insert",
            "subjects_search_delete",
            "subjects_search_update",
            "subjects_search_truncate",
        },
        "function": {
            "subjects_search_insert",
            "subjects_search_delete",
            "subjects_search_update",
            "subjects_search_truncate",
        },
    },
}


def test_the_migrated_index_has_every_object_and_none_of_the_portal():
    found = index_objects(connection)
    for kind, names in EXPECTED_OBJECTS[connection.vendor].items():
        assert names <= found.get(kind, set()), kind
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert not [t for t in tables if t.startswith(("portal_subject", "portal_seq"))]


def test_the_migrated_triggers_are_the_live_definition():
    """Migration subjects.0002 froze a copy of the DDL; the live one in
    core.db (which puts SQLite's triggers back after a table rebuild) must
    say the same, or a rebuild would change the index's behaviour."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            from xinyong.core.db.sqlite import SEARCH_TRIGGERS

            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'subjects_search_%' ORDER BY name"
            )
            stored = sorted(row[0] for row in cursor.fetchall())
            live = sorted(t.replace(" IF NOT EXISTS", "") for t in SEARCH_TRIGGERS)
        else:
            from xinyong.core.db.postgresql import SEARCH_FUNCTIONS

            cursor.execute(
                "SELECT prosrc FROM pg_proc WHERE proname LIKE 'subjects\\_search\\_%%' "
                "ORDER BY proname"
            )
            stored = sorted(row[0].strip() for row in cursor.fetchall())
            live = sorted(f.split("$$")[1].strip() for f in SEARCH_FUNCTIONS)
    assert stored == live


def test_every_bigram_of_the_longest_name_is_indexed(make_subject):
    longest = Subject._meta.get_field("name_key").max_length
    name = "".join(chr(0x4E00 + n) for n in range(longest))
    subject = make_subject(name)
    assert len(subject.name_key) == longest
    tail = name[-2:]
    assert [h.id for h in search.search_subjects(tail).hits] == [subject.pk]
