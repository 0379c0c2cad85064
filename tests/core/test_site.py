"""The site as a browser meets it: styles served, errors in Chinese."""

import pytest

pytestmark = pytest.mark.django_db


def test_stylesheet_is_served(client):
    response = client.get("/static/xinyong/site.css")
    assert response.status_code == 200
    assert b"--brand" in b"".join(response.streaming_content)


def test_unknown_page_is_chinese_404(client):
    response = client.get("/staff/no-such-page/")
    assert response.status_code in (302, 404)
    response = client.get("/no-such-page-at-all/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
