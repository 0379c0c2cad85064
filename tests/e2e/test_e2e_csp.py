"""Under the Content-Security-Policy, the pages still work in a browser: no violation is
reported, and the API docs (django-ninja's local Swagger UI) draw their operations."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _violations(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def test_portal_and_login_pages_raise_no_csp_violation(live_server, page):
    violations = _violations(page)
    for path in ["/", "/shuanggongshi/penalties/", "/staff/login/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
    assert violations == []


def test_api_docs_render_from_local_assets(live_server, page):
    violations = _violations(page)
    external: list[str] = []
    page.on(
        "request",
        lambda request: (
            external.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 5
    assert external == []
    assert violations == []
