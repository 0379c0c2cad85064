"""Security headers on a portal page, a staff page and the API docs (issue 12, item 8)."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(clerk):
    client = Client()
    client.force_login(clerk)
    return client


def pages(client: Client, staff: Client):
    yield "portal", client.get("/")
    yield "staff login", client.get("/staff/login/")
    yield "staff", staff.get("/staff/")
    yield "api docs", client.get("/api/v1/docs")


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def test_every_page_has_a_strict_csp_and_a_permissions_policy(client, staff):
    for name, response in pages(client, staff):
        assert response.status_code == 200, name
        csp = response.headers.get("Content-Security-Policy", "")
        assert csp, name
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, (name, csp)
        policy = directives(csp)
        assert policy["default-src"] == ["'self'"], name
        assert policy["script-src"] == ["'self'"], name
        assert policy["object-src"] == ["'none'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        permissions = response.headers.get("Permissions-Policy", "")
        assert "camera=()" in permissions and "geolocation=()" in permissions, name


def test_pages_carry_no_inline_script_or_style(client, staff):
    for name, response in pages(client, staff):
        html = response.content.decode()
        assert ' style="' not in html, name
        assert "<style" not in html, name
        for script in re.findall(r"<script\b[^>]*>", html):
            # Scripts from our own /static/; a JSON data block is not executed.
            assert 'src="/static/' in script or 'type="application/json"' in script, (
                name,
                script,
            )


def test_api_docs_load_swagger_ui_from_this_site(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in html.lower()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert all(a.startswith("/") for a in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_head_of_the_home_page_is_allowed(client):
    response = client.head("/")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/healthz"])
def test_healthz_is_never_redirected(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/").status_code == 301  # everything else goes to https
    response = client.get(path)
    assert response.status_code == 200
    assert response.content == b"ok"
