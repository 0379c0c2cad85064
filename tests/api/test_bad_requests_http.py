"""Every request of issue 12 item 7 that once answered 500 (or was silently
accepted), sent over a real HTTP server (pytest-django's live server), as
raw bytes: a regression example for each, since schemathesis did not find
them by itself. The same cases through Django's test client are in
`test_bad_requests.py` and `tests/ingest/test_ingest_hostile_values.py`."""

import base64
import http.client
import json
import urllib.parse

import pytest

from support.ingest_files import penalty_row
from xinyong.orgs import services as org_services
from xinyong.records.models import Record

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("on_day")]

HUGE = "9" * 23  # beyond any 64-bit integer column
NAME = "行政相对人名称"
AMOUNT = "罚款金额（万元）"


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def on_day(pin_today):
    import datetime as dt

    pin_today(dt.date(2025, 10, 9))


@pytest.fixture
def token(admin_user, department, xzcf):
    _token, secret = org_services.api_token_create(
        actor=admin_user, department=department, name="处罚系统"
    )
    return secret


class Answer:
    def __init__(self, status: int, body: bytes, headers: dict[str, str]):
        self.status, self.body, self.headers = status, body, headers

    def text(self) -> str:
        """The body as read: a JSON body's strings decoded (its escapes resolved)."""
        text = self.body.decode("utf-8", "replace")
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return json.dumps(json.loads(text), ensure_ascii=False)
        return text

    def json(self) -> dict | list:
        return json.loads(self.body)


def send(
    live_server,
    method: str,
    path: str,
    body: bytes | None = None,
    token: str = "",
    content_type: str = "application/json",
) -> Answer:
    """One raw HTTP request: the path, the body and its type go on the wire as given."""
    url = urllib.parse.urlsplit(live_server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"Content-Type": content_type} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, response.read(), dict(response.getheaders()))
    finally:
        connection.close()


def api_error(answer: Answer, status: int) -> dict:
    assert answer.status == status, answer.body[:300]
    body = answer.json()
    assert isinstance(body, dict) and set(body) == {"code", "message", "details"}
    assert chinese(body["message"]), body
    return body


def push(live_server, token: str, raw: bytes) -> dict:
    answer = send(live_server, "POST", "/api/v1/items/XZCF/records", raw, token)
    assert answer.status == 200, answer.body[:500]
    result = answer.json()
    assert isinstance(result, dict)
    return result


def test_a_nul_byte_in_a_search(live_server):
    answer = send(live_server, "GET", "/search/?q=%E7%A5%9E%00%E5%86%9C")
    assert 400 <= answer.status < 500 and chinese(answer.text())


@pytest.mark.parametrize(
    "path", [f"/subjects/{HUGE}/", "/subjects/99999999999999999999999/", f"/api/v1/batches/{HUGE}"]
)
def test_a_huge_id_in_a_path(live_server, token, path):
    answer = send(live_server, "GET", path, token=token)
    assert answer.status in (404, 422) and chinese(answer.text())


@pytest.mark.parametrize(
    "path",
    [f"/shuanggongshi/penalties/?subject={HUGE}", f"/shuanggongshi/penalties.csv?subject={HUGE}"],
)
def test_a_huge_subject_filter(live_server, path):
    answer = send(live_server, "GET", path)
    if path.startswith("/shuanggongshi/penalties.csv"):
        # The download is a file the worker builds (filters other than the department's
        # are not applied): 503 "being prepared" with Retry-After until it exists.
        assert answer.status in (200, 503) and chinese(answer.text())
    else:
        assert answer.status in (200, 400)


@pytest.mark.parametrize("since", ["0001-01-01", "0001-01-01T00:00:00%2B14:00", "9999-12-31"])
def test_an_extreme_since_in_the_change_feed(live_server, since):
    answer = send(live_server, "GET", f"/api/v1/public/changes?since={since}")
    assert answer.status in (200, 422), answer.body[:300]
    if answer.status == 422:
        api_error(answer, 422)


def test_a_cursor_with_a_huge_id(live_server):
    cursor = base64.urlsafe_b64encode(f"2025-01-01T00:00:00+00:00|{HUGE}".encode()).decode()
    api_error(send(live_server, "GET", f"/api/v1/public/changes?since={cursor}"), 422)
    api_error(send(live_server, "GET", f"/api/v1/public/records?cursor={HUGE}"), 422)


def test_a_lone_surrogate_in_api_json(live_server, token):
    raw = json.dumps([penalty_row(1, **{NAME: "神农架\ud800公司"})]).encode()
    assert b"\\ud800" in raw  # an escape: the body itself is valid UTF-8
    answer = send(live_server, "POST", "/api/v1/items/XZCF/records", raw, token)
    assert answer.status in (200, 422), answer.body[:300]
    if answer.status == 422:
        api_error(answer, 422)
    else:  # its row is rejected, the field named
        result = answer.json()
        assert isinstance(result, dict) and result["rejected"] == 1
        assert result["errors"][0]["field"] == NAME
    assert not Record.objects.exists()


def test_a_body_over_the_limit_is_413_with_the_limit_and_the_records_it_allows(live_server, token):
    raw = json.dumps([penalty_row(1)] * 3500, ensure_ascii=False).encode()
    assert len(raw) > 2_621_440
    result = api_error(send(live_server, "POST", "/api/v1/items/XZCF/records", raw, token), 413)
    assert result["code"] == "request_too_large"
    assert result["details"]["max_bytes"] == 2_621_440
    assert "2.5 MB" in result["message"] or "2621440" in result["message"]
    assert str(result["details"]["max_records"]) in result["message"]
    assert not Record.objects.exists()


def test_a_nul_inside_an_api_value_is_rejected_not_cut_short(live_server, token):
    raw = json.dumps([penalty_row(1, **{NAME: "神农架\x00林海商贸有限公司"})]).encode()
    result = push(live_server, token, raw)
    assert (result["accepted"], result["rejected"]) == (0, 1)
    assert result["errors"][0]["field"] == NAME and result["errors"][0]["row"] == 1
    assert not Record.objects.exists()


@pytest.mark.parametrize("amount", ['"1e400"', "1e400"])
def test_an_amount_of_1e400_is_rejected_as_out_of_range(live_server, token, amount):
    row = json.dumps(penalty_row(1, **{AMOUNT: "AMOUNT"}), ensure_ascii=False)
    raw = ("[" + row.replace('"AMOUNT"', amount) + "]").encode()
    result = push(live_server, token, raw)
    assert (result["accepted"], result["rejected"]) == (0, 1)
    (error,) = result["errors"]
    assert error["field"] == AMOUNT and "超出范围" in error["message"]


@pytest.mark.parametrize(
    "name",
    [
        "神农架\u202e司公限有贸商海林",  # right-to-left override
        "神农架\u2066林海商贸有限公司",  # left-to-right isolate
        "神农架林\u200b海商贸有限公司",  # zero-width space
        "神农架林\u200d海商贸有限公司",  # zero-width joiner
        "神农架\ufeff林海商贸有限公司",  # a byte-order mark inside the value
    ],
)
def test_bidi_and_zero_width_characters_in_a_name_are_rejected(live_server, token, name):
    raw = json.dumps([penalty_row(1, **{NAME: name})], ensure_ascii=False).encode()
    result = push(live_server, token, raw)
    assert (result["accepted"], result["rejected"]) == (0, 1)
    (error,) = result["errors"]
    assert error["field"] == NAME and chinese(error["message"])
    assert not Record.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/agency-reports", "/api/v1/items/XZCF/records"])
@pytest.mark.parametrize(
    "content_type, body",
    [
        ("multipart/form-data", b""),  # no boundary (found by schemathesis: once a 500)
        ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data"),
    ],
)
def test_a_malformed_multipart_body_is_a_400_in_chinese(
    live_server, token, path, content_type, body
):
    answer = send(live_server, "POST", path, body, token, content_type)
    assert 400 <= answer.status < 500, answer.body[:300]
    assert chinese(answer.text())
