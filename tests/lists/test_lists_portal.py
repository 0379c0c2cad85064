"""The portal's red and black list pages and the listings on a subject's page."""

import datetime as dt

import pytest
from django.urls import reverse

from lists.factories import ListEntryFactory, ListTypeFactory, fed_record
from subjects.factories import SubjectFactory
from xinyong.core.audit import SYSTEM
from xinyong.lists import services
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def test_index_shows_red_and_black_lists(client):
    page = client.get(reverse("portal:list_index")).content.decode()
    red, black = page.split('id="black-lists"')
    assert "纳税信用A级纳税人名单" in red and "守合同重信用企业名单" in red
    assert "拖欠农民工工资失信联合惩戒对象名单" in black and "失信被执行人名单" in black


def test_list_page_searches_by_name_or_code(client, django_assert_max_num_queries):
    lt = ListTypeFactory(code="SEARCH", name="测试黑名单")
    a = ListEntryFactory(
        list_type=lt,
        subject=SubjectFactory(name="神农架林区甲建材有限公司", uscc="91110000600037341L"),
    )
    b = ListEntryFactory(list_type=lt, subject=SubjectFactory(name="神农架乙商贸（有限）公司"))
    url = reverse("portal:list_detail", args=["SEARCH"])
    with django_assert_max_num_queries(6):
        page = client.get(url).content.decode()
    assert a.subject.name in page and b.subject.name in page
    assert "认定依据" in page and lt.legal_basis in page and lt.remedies in page
    page = client.get(url, {"q": "乙商贸(有限)"}).content.decode()
    assert b.subject.name in page and a.subject.name not in page
    page = client.get(url, {"q": "91110000600037341l"}).content.decode()
    assert a.subject.name in page and b.subject.name not in page
    assert client.get(reverse("portal:list_detail", args=["NOPE"])).status_code == 404


def test_persons_masked_or_absent_on_the_list_page(client):
    person = SubjectFactory(kind=Subject.Kind.PERSON, name="李四光", uscc=None)
    ListEntryFactory(list_type=ListTypeFactory(code="NOPEOPLE"), subject=person)
    ListEntryFactory(
        list_type=ListTypeFactory(code="PEOPLE", publish_persons=True),
        subject=person,
        reasons="李四光，身份证11010519491231002X",
    )
    page = client.get(reverse("portal:list_detail", args=["NOPEOPLE"])).content.decode()
    assert "李" not in page.split('id="list-entries"')[1]
    page = client.get(reverse("portal:list_detail", args=["PEOPLE"])).content.decode()
    assert "李四光" not in page and "11010519491231002X" not in page
    assert "李**" in page


def test_a_persons_full_name_does_not_find_the_masked_entry(client):
    """The page shows 李**: a search by the full name must not confirm who that is."""
    person = SubjectFactory(kind=Subject.Kind.PERSON, name="李四光", uscc=None)
    ListEntryFactory(list_type=ListTypeFactory(code="PEOPLE", publish_persons=True), subject=person)
    url = reverse("portal:list_detail", args=["PEOPLE"])
    assert "李**" in client.get(url).content.decode().split('id="list-entries"')[1]
    for q in ("李四光", "四光"):
        page = client.get(url, {"q": q}).content.decode()
        assert "李**" not in page.split('id="list-entries"')[1]
    assert client.get("/api/v1/public/lists/PEOPLE/entries", {"q": "李四光"}).json()["items"] == []


def test_subject_page_shows_current_listings_with_period_and_removal(client, pin_today, department):
    pin_today("2025-10-09")
    subject = SubjectFactory(name="神农架林区某某建材有限公司")
    entry = ListEntryFactory(subject=subject, decided_by=department)
    fed_record(subject=subject, department=department)
    page = client.get(reverse("portal:subject", args=[subject.pk])).content.decode()
    listings = page.split('id="subject-listings"')[1]
    assert entry.list_type.name in listings and entry.document_number in listings
    assert entry.valid_until.isoformat() in listings and "提前移出" in listings
    assert "失信被执行人名单" in listings and "至法院移除" in listings
    services.list_entry_revoke(actor=SYSTEM, entry=entry, reason="撤销")
    page = client.get(reverse("portal:subject", args=[subject.pk])).content.decode()
    assert entry.document_number not in page
    pin_today(entry.valid_until + dt.timedelta(days=1))


def test_expired_entry_leaves_the_portal_at_once(client, pin_today):
    pin_today("2025-06-01")
    entry = ListEntryFactory(listed_on=dt.date(2022, 6, 1), valid_until=dt.date(2025, 5, 31))
    url = reverse("portal:list_detail", args=[entry.list_type.code])
    assert entry.subject.name not in client.get(url).content.decode()
