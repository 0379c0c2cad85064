"""The search page: what the portal makes of `subjects.search`."""

import pytest

from support.ingest_files import company_code

pytestmark = pytest.mark.django_db


def test_search_page_escapes_and_marks(client, make_subject, django_assert_max_num_queries):
    make_subject("<script>alert(1)</script>神农有限公司")
    with django_assert_max_num_queries(4):
        response = client.get("/search/", {"q": "神农"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>神农</mark>有限公司" in body


def test_search_page_short_query_message(client):
    response = client.get("/search/", {"q": "神"})
    assert 'id="search-too-short"' in response.content.decode()


def test_search_page_query_count_does_not_grow(client, make_subject, django_assert_max_num_queries):
    for n in range(40):
        make_subject(f"木鱼{n:02d}号林海商店", uscc=company_code(100 + n))
    with django_assert_max_num_queries(4):
        response = client.get("/search/", {"q": "林海商店"})
    assert response.content.decode().count('id="subject-') == 20
