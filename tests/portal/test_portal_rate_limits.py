"""Issue 12.8: per-address rate limits on search, the open-data API and the
downloads answer 429 with a Chinese message and Retry-After; the address is
the audit log's (X-Forwarded-For only from a trusted proxy); the count is
shared by every process."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from support.exports import download
from xinyong.core import ratelimit
from xinyong.core.db import dialect

pytestmark = pytest.mark.django_db

# Mid-window: no test crosses a window's edge.
NOON = dt.datetime(2025, 10, 9, 4, 0, 20, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOON, tick=False):
        yield


def _client(address: str = "203.0.113.7") -> Client:
    return Client(REMOTE_ADDR=address)


def _search(client: Client, **headers: str):
    return client.get("/search/", {"q": "神农架"}, **headers)


def test_search_past_the_limit_is_429_in_chinese(settings):
    settings.RATE_LIMITS = {"search": (3, 60)}
    visitor = _client()
    assert [_search(visitor).status_code for _ in range(3)] == [200, 200, 200]
    refused = _search(visitor)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"  # the minute's window ends 40 s later
    text = refused.content.decode()
    assert "访问过于频繁" in text and "每分钟最多查询 3 次" in text and "40 秒后再试" in text
    # Another address is not affected; the page without a query is not counted.
    assert _search(_client("203.0.113.8")).status_code == 200
    assert visitor.get("/search/").status_code == 200
    with time_machine.travel(NOON + dt.timedelta(seconds=41), tick=False):
        assert _search(visitor).status_code == 200


def test_the_default_limits_let_a_visitor_search(settings):
    visitor = _client()
    limit, _window = settings.RATE_LIMITS["search"]
    assert limit >= 30
    assert all(_search(visitor).status_code == 200 for _ in range(limit))
    assert _search(visitor).status_code == 429


def test_the_address_is_the_audit_logs(settings):
    settings.RATE_LIMITS = {"search": (2, 60)}
    # X-Forwarded-For from an untrusted peer is the client's own writing: ignored.
    liar = _client()
    for n in range(2):
        assert _search(liar, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 200
    assert _search(liar, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429
    # Behind a trusted proxy each client is counted apart.
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    proxy = _client("10.0.0.1")
    for _ in range(2):
        assert _search(proxy, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert _search(proxy, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert _search(proxy, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_the_count_is_shared_by_every_process(settings):
    """Another web process (here: its additions to the shared counter) has
    already served this address: this process refuses it soon after."""
    settings.RATE_LIMITS = {"search": (40, 60)}  # shared every 2 requests
    window = int(NOON.timestamp()) // 60
    key = f"search:203.0.113.7:{window}"
    dialect().counter_add(key, 39, expires=(window + 1) * 60)
    visitor = _client()
    assert _search(visitor).status_code == 200
    assert _search(visitor).status_code == 200  # this one adds 2: the total is 41
    assert _search(visitor).status_code == 429
    # A process that starts afresh learns the total at its first addition.
    ratelimit.reset()
    assert _search(visitor).status_code == 200
    assert _search(visitor).status_code == 200
    assert _search(visitor).status_code == 429
    assert dialect().counter_add(key, 0, expires=(window + 1) * 60) == 43


class _Unanswering:
    def counter_add(self, *args, **kwargs):
        raise OSError("database is locked")


def test_without_the_shared_store_each_process_still_limits(settings, monkeypatch):
    settings.RATE_LIMITS = {"search": (2, 60)}
    monkeypatch.setattr(ratelimit, "dialect", _Unanswering)
    visitor = _client()
    assert [_search(visitor).status_code for _ in range(3)] == [200, 200, 429]


def test_the_open_data_api_answers_429_in_its_error_shape(settings):
    settings.RATE_LIMITS = {"open_data": (2, 60)}
    client = _client()
    for _ in range(2):
        assert client.get("/api/v1/public/records").status_code == 200
    refused = client.get("/api/v1/public/records")
    assert refused.status_code == 429 and refused["Retry-After"] == "40"
    body = refused.json()
    assert body["code"] == "rate_limited" and "开放数据接口" in body["message"]
    assert body["details"] == {"limit": 2, "window_seconds": 60, "retry_after": 40}


def test_downloads_are_limited_per_hour(settings, department):
    settings.RATE_LIMITS = {"download": (2, 3600)}
    client = _client()
    download(client, "penalties")
    assert client.get("/shuanggongshi/licences.csv").status_code == 200
    refused = client.get("/shuanggongshi/penalties.csv")
    assert refused.status_code == 429 and "每小时最多下载 2 次" in refused.content.decode()
    assert refused["Retry-After"] == str(3600 - 20)  # 04:00:20 → 05:00:00


def test_limits_can_be_turned_off(settings):
    settings.RATE_LIMITS = {}
    visitor = _client()
    assert all(_search(visitor).status_code == 200 for _ in range(100))
