"""What the public sees: `publicly_visible()`, public fields, masking, queries."""

import copy
import datetime as dt

import pytest
from django.db import connection

from records.conftest import person_penalty_row
from support.ingest_files import penalty_row
from support.plans import query_plan
from xinyong.records import selectors
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db

D = dt.date


def test_publicly_visible_needs_public_item_publication_and_window(xzcf, submit, day):
    from xinyong.catalog.models import CatalogItem

    day("2025-10-09")
    shown, waiting, disputed = submit(xzcf, [penalty_row(1), penalty_row(2), penalty_row(3)])
    Record.objects.filter(pk=waiting.pk).update(published_on=None)
    Record.objects.filter(pk=disputed.pk).update(disputed=True)
    # Under objection it stays public (with a mark the portal shows).
    assert set(Record.objects.publicly_visible().values_list("pk", flat=True)) == {
        shown.pk,
        disputed.pk,
    }
    # A public item made non-public takes its records out at once.
    CatalogItem.objects.filter(pk=xzcf.pk).update(disclosure=CatalogItem.Disclosure.AUTHORIZED)
    assert not Record.objects.publicly_visible().exists()


def test_public_fields_omit_non_public_fields_and_mask_a_natural_person(xzcf, submit, day):
    day("2025-10-09")
    company, person = submit(
        xzcf,
        [
            penalty_row(1, **{"证件类型": "身份证", "法定代表人证件号码": "11010519491231002X"}),
            person_penalty_row(2),
        ],
    )
    company_fields = dict(selectors.record_public_fields(company))
    assert company_fields["行政相对人名称"] == "神农架林海1商贸有限公司"
    assert company_fields["处罚类别"] == "罚款"
    for hidden in ("证件类型", "证件号码", "法定代表人证件号码", "法定代表人证件类型"):
        assert hidden not in company_fields
    person.refresh_from_db()
    person_fields = dict(selectors.record_public_fields(person))
    assert person.subject.kind == "person"
    assert person_fields["行政相对人名称"] == "张**"
    assert "证件号码" not in person_fields
    assert all("11010519491231002X" not in str(v) for v in person_fields.values())
    assert "张三丰" not in str(person_fields)


def test_public_fields_follow_each_fields_masking(xzcf, submit, day):
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1, **{"备注": "联系电话13812345678"})])
    schema = copy.deepcopy(record.version.schema)
    by_key = {f["key"]: f for f in schema["fields"]}
    by_key["id_number"].update(is_public=True, masking="id_number")
    by_key["remarks"].update(masking="hidden")
    by_key["legal_rep"].update(masking="person_name")
    by_key["agency"].update(masking="phone")
    record.version.schema = schema  # in memory only: a catalog change as data
    record.data = {
        **record.data,
        "id_number": "11010519491231002X",
        "legal_rep": "欧阳娜娜",
        "agency": "0719-3331234",
    }
    fields = dict(selectors.record_public_fields(record))
    assert fields["证件号码"] == "1101**********002X"
    assert "备注" not in fields
    assert fields["法定代表人"] == "欧***"
    assert fields["处罚机关"] == "*******1234"
    # A person's ID number never reaches the public, whatever the catalog says.
    record.subject.kind = "person"
    assert "证件号码" not in dict(selectors.record_public_fields(record))


def test_person_without_subject_is_recognised_by_the_data(xzcf, submit, day):
    day("2025-10-09")
    (record,) = submit(xzcf, [person_penalty_row(1)])
    record.subject = None
    record.subject_id = None
    assert dict(selectors.record_public_fields(record))["行政相对人名称"] == "张**"


def test_public_list_is_one_query_whatever_its_length(xzcf, submit, day, django_assert_num_queries):
    day("2025-10-09")
    submit(xzcf, [penalty_row(n) for n in range(1, 31)] + [person_penalty_row(31)])
    for size in (5, 25):
        with django_assert_num_queries(1):
            page = list(selectors.record_list_public().order_by("-decision_date", "-pk")[:size])
            rows = [selectors.record_public_fields(r) for r in page]
        assert len(rows) == size


def test_subject_page_list_is_one_query(xzcf, submit, day, django_assert_num_queries):
    day("2025-10-09")
    records = submit(xzcf, [penalty_row(1), penalty_row(2)])
    with django_assert_num_queries(1):
        listed = list(selectors.record_list_public().filter(subject_id=records[0].subject_id))
        [selectors.record_public_fields(r) for r in listed]
    assert [r.pk for r in listed] == [records[0].pk]


def test_disclosure_summary_names_the_rule_and_tier(xzcf, submit, day, django_assert_num_queries):
    day("2025-10-09")
    (record,) = submit(xzcf, [penalty_row(1)])
    with django_assert_num_queries(1):
        info = selectors.record_disclosure(record)
    assert info["disclosure_end"] == D(2026, 9, 30)
    assert info["tier_label"] == "一般"
    assert "527号" in info["rule_basis"]


@pytest.mark.parametrize(
    ("name", "indexes"),
    [
        ("public_list", {"record_public_date_idx"}),
        # On an empty table either partial index is as good.
        ("public_item_list", {"record_public_item_idx", "record_public_date_idx"}),
        ("waiting", {"record_waiting_idx"}),
        ("expiring", {"record_expiry_idx"}),
        ("uncomputed", {"record_uncomputed_idx"}),
        ("batch_rows", {"record_batch_idx"}),
    ],
)
def test_hot_queries_use_an_index_never_a_full_scan(xzcf, submit, day, name, indexes):
    day("2025-10-09")
    today = D(2025, 10, 9)
    # Some published records, and statistics, so that plans are not those of
    # an empty table.
    submit(xzcf, [penalty_row(n) for n in range(1, 201)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    queries = {
        "public_list": selectors.record_list_public().order_by("-decision_date")[:20],
        "public_item_list": selectors.record_list_public()
        .filter(item=xzcf)
        .order_by("-decision_date")[:20],
        "waiting": Record.objects.awaiting_publication(today),
        "expiring": Record.objects.filter(
            status="active", unpublish_reason="", disclosure_end__lt=today
        ).values_list("disclosure_end"),
        "uncomputed": Record.objects.filter(disclosure_rule="").values_list("pk")[:100],
        "batch_rows": Record.objects.filter(source_batch_id=1, pk__gt=0)
        .order_by("pk")
        .values_list("pk")[:100],
    }
    plan = query_plan(queries[name])
    assert any(index in plan for index in indexes), plan
    assert "SCAN records_record\n" not in plan + "\n" and "Seq Scan on records_record" not in plan
