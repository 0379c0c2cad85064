"""A credit service agency's account orders and files credit reports and manages its own
tokens; it is not a government department. Every other staff page and API operation is
refused to it (403, in Chinese), whatever that page would show: a check on a bidder, a
person's integrity file, an upload of records, a list proposal."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from xinyong.sanctions.models import Check

pytestmark = pytest.mark.django_db

# The staff pages an agency opens (orgs.permissions.AGENCY_PAGES), without a parameter.
OPEN = {
    "staff/",
    "staff/login/",
    "staff/logout/",
    "staff/reports/",
    "staff/reports/filings/",
    "staff/reports/filings/new/",
}


def staff_routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from staff_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith("staff/") and "<" not in route:
            yield route


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_staff_page_but_its_own_is_refused_to_an_agency(client, agency_user):
    client.force_login(agency_user)
    routes = sorted(set(staff_routes()))
    assert "staff/checks/" in routes and "staff/integrity/check/" in routes  # the walk works
    for route in routes:
        response = client.get("/" + route)
        if route in OPEN:
            assert response.status_code in (200, 302, 405), route
        else:
            assert response.status_code == 403, route
            assert "信用服务机构账号" in response.content.decode(), route


def test_an_agency_cannot_check_a_subject_nor_upload_records(client, agency_user, company):
    client.force_login(agency_user)
    response = client.post("/staff/checks/", {"query": company.uscc, "purpose": "招标"})
    assert response.status_code == 403
    assert not Check.objects.exists()
    assert client.post("/staff/ingest/upload/", {}).status_code == 403
    assert client.get(f"/staff/subjects/{company.pk}/").status_code == 403


def test_an_agency_sees_its_own_pages_and_a_home_of_its_work(client, agency_user, agency):
    client.force_login(agency_user)
    home = client.get("/staff/").content.decode()
    assert "信用报告备案" in home and "/staff/reports/filings/" in home
    assert "联合奖惩核查" not in home and "/staff/checks/" not in home
    assert "/staff/ingest/" not in home
    for path in (
        "/staff/reports/",
        "/staff/reports/filings/",
        "/staff/reports/filings/new/",
        f"/staff/departments/{agency.department.short_code}/",
    ):
        assert client.get(path).status_code == 200, path


def test_a_department_clerk_is_not_affected(client, clerk):
    client.force_login(clerk)
    assert client.get("/staff/checks/").status_code == 200
    assert client.get("/staff/ingest/upload/").status_code == 200


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/api/v1/checks"),
        ("post", "/api/v1/items/XZCF/records"),
        ("get", "/api/v1/batches/1"),
        ("post", "/api/v1/commitments"),
        ("post", "/api/v1/integrity/checks"),
    ],
)
def test_an_agency_token_is_refused_every_operation_but_reports(client, agency_token, method, path):
    headers = {"Authorization": f"Bearer {agency_token.secret}"}
    response = getattr(client, method)(path, {}, content_type="application/json", headers=headers)
    assert response.status_code == 403, response.content[:300]
    body = response.json()
    assert body["code"] == "agency_scope" and chinese(body["message"])


def test_an_agency_token_still_reaches_its_filings(client, agency_token):
    headers = {"Authorization": f"Bearer {agency_token.secret}"}
    response = client.get("/api/v1/agency-reports/999999", headers=headers)
    assert response.status_code == 404
    assert response.json()["code"] != "agency_scope"
