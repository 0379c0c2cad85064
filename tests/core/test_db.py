"""core.db: the one interface for what differs between SQLite and PostgreSQL.
Each function runs on the real database of the run (both in CI)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, connection, transaction

from xinyong.core.db import bulk, dialect
from xinyong.core.db.postgresql import PostgreSQLDialect
from xinyong.core.db.sqlite import SQLiteDialect

pytestmark = pytest.mark.django_db


def _groups(names):
    return bulk.insert(Group, ["name"], [(name,) for name in names], returning=True)


def test_the_dialect_follows_the_connection():
    db = dialect()
    assert db.vendor == connection.vendor
    assert isinstance(db, {"sqlite": SQLiteDialect, "postgresql": PostgreSQLDialect}[db.vendor])


def test_an_unknown_vendor_is_refused():
    class Other:
        vendor = "oracle"

    with pytest.raises(NotImplementedError, match="oracle"):
        dialect(Other())


def test_insert_returns_ids_in_row_order_and_takes_an_on_conflict_clause():
    ids = _groups(["甲", "乙", "丙"])
    assert [Group.objects.get(pk=pk).name for pk in ids] == ["甲", "乙", "丙"]
    again = bulk.insert(
        Group, ["name"], [("乙",), ("丁",)], suffix="ON CONFLICT (name) DO NOTHING", returning=True
    )
    assert [Group.objects.get(pk=pk).name for pk in again] == ["丁"]


def test_insert_splits_rows_over_the_parameter_limit():
    names = [f"组{n}" for n in range(40_000)]
    ids = _groups(names)
    assert len(ids) == len(set(ids)) == 40_000
    assert Group.objects.count() == 40_000


def test_any_of_is_one_parameter_whatever_the_list():
    ids = _groups([f"组{n}" for n in range(5)])
    sql, params = bulk.any_of("id", ids[1:4])
    assert len(params) == 1
    rows = bulk.select(f"SELECT name FROM auth_group WHERE {sql} ORDER BY id", params)
    assert [name for (name,) in rows] == ["组1", "组2", "组3"]


@pytest.mark.parametrize("use_index", [True, False])
def test_in_subquery_is_membership(use_index):
    _groups(["甲一", "甲二", "乙一"])
    condition = dialect().in_subquery(
        "id", "(SELECT id FROM auth_group WHERE name LIKE %s)", use_index=use_index
    )
    rows = bulk.select(f"SELECT name FROM auth_group WHERE {condition} ORDER BY id", ["甲%"])
    assert [name for (name,) in rows] == ["甲一", "甲二"]


def test_insert_rows_appends_without_reading_back():
    bulk.insert_rows(connection.ops.quote_name("auth_group"), ["name"], [("甲",), ("乙",)])
    bulk.insert_rows("auth_group", ["name"], [])
    assert sorted(Group.objects.values_list("name", flat=True)) == ["乙", "甲"]


def test_update_rows_sets_each_row_and_the_common_values():
    ids = _groups(["甲", "乙", "丙"])
    bulk.update_rows(Group, ["name"], [("甲二", ids[0]), ("丙二", ids[2])])
    assert list(Group.objects.order_by("id").values_list("name", flat=True)) == [
        "甲二",
        "乙",
        "丙二",
    ]
    # `also`, adapted as its field stores it (a datetime on SQLite is text).
    from xinyong.subjects.models import Subject

    now = dt.datetime(2025, 10, 9, 2, 0, tzinfo=dt.UTC)
    made = bulk.insert(
        Subject,
        ["kind", "name", "name_key", "id_masked", "created_at", "updated_at"],
        [
            (
                "legal",
                "神农架某公司",
                "神农架某公司",
                "",
                bulk.db_datetime(now),
                bulk.db_datetime(now),
            )
        ],
        returning=True,
    )
    later = now + dt.timedelta(days=1)
    bulk.update_rows(Subject, ["name"], [("神农架另一公司", made[0])], also={"updated_at": later})
    subject = Subject.objects.get(pk=made[0])
    assert (subject.name, subject.updated_at) == ("神农架另一公司", later)


def test_analyze_runs_inside_a_transaction():
    _groups(["甲"])
    dialect().analyze("auth_group", ["name"])


def test_references_are_checked_per_statement_where_the_database_defers_them():
    db = dialect()
    group = Group.objects.create(name="甲")
    with pytest.raises(IntegrityError), transaction.atomic():
        db.check_constraints_per_statement()
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO auth_group_permissions (group_id, permission_id) VALUES (%s, %s)",
                [group.pk, 987_654_321],
            )
            if connection.vendor == "sqlite":
                # Django's SQLite foreign keys are checked at the end only.
                connection.check_constraints(table_names=["auth_group_permissions"])
    assert not Permission.objects.filter(pk=987_654_321).exists()


def _cache_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


def test_page_cache_is_raised_for_the_block_and_given_back():
    db = dialect()
    if connection.vendor != "sqlite":
        with db.page_cache(128):
            pass
        return
    before = _cache_size()
    with db.page_cache(128):
        assert _cache_size() == -128 * 1024
    assert _cache_size() == before
    with db.page_cache(0):
        assert _cache_size() == before


def test_fetch_unprepared_is_never_prepared_and_still_counted(django_assert_num_queries):
    db = dialect()
    with django_assert_num_queries(8):
        for _ in range(8):
            assert db.fetch_unprepared("SELECT COUNT(*) FROM auth_group WHERE name LIKE %s", ["x%"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%auth_group WHERE name LIKE%"],
            )
            assert cursor.fetchone()[0] == 0


def test_explain_gives_one_line_per_step():
    lines = dialect().explain("SELECT id FROM auth_group WHERE name = %s", ["甲"])
    assert lines and all(isinstance(line, str) for line in lines)
    assert "auth_group" in "\n".join(lines)
