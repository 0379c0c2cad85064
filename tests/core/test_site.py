"""The site as a browser meets it: styles served, errors in Chinese."""

import pytest

pytestmark = pytest.mark.django_db


def test_stylesheet_is_served(client):
    response = client.get("/static/xinyong/site.css")
    assert response.status_code == 200
    assert b"--brand" in b"".join(response.streaming_content)


def test_unknown_page_is_chinese_404(client):
    response = client.get("/no-such-page-at-all/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_unknown_staff_page_is_chinese_404_signed_in_or_not(client, clerk):
    # A path that no page serves is not found, for everyone: sending an
    # anonymous visitor to the login first would promise a page that is not
    # there. A staff page that exists asks an anonymous visitor to log in.
    known = client.get("/staff/")
    assert known.status_code == 302 and known["Location"] == "/staff/login/?next=/staff/"
    for signed_in in (False, True):
        if signed_in:
            client.force_login(clerk)
        response = client.get("/staff/no-such-page/")
        assert response.status_code == 404, signed_in
        assert response["Content-Type"].startswith("text/html")
        body = response.content.decode()
        assert "<title>页面不存在" in body and "您访问的页面不存在或已被移除。" in body
