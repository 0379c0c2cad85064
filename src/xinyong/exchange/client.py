"""The HTTP side of the service mode: one endpoint, TLS, no redirects.

Everything goes to `XINYONG_EXCHANGE_URL` and nowhere else: the client
builds each request from that base and a fixed path, and never follows a
redirect (a 3xx is a failed call), so a compromised or misconfigured
answer cannot send personal data to another host. The URL must be https;
plain http is accepted only for 127.0.0.1/localhost and only when
`XINYONG_EXCHANGE_ALLOW_LOCAL_HTTP=1` (tests and the simulator). TLS is
verified with the system's certificate store.

The province's interface (as the simulator implements it):

- `POST /push` one message (JSON), header `Idempotency-Key`; 2xx with
  `{"ack_id": …}` is an acknowledgement (a repeated key gets the same ack);
- `GET /receipts?day=YYYY-MM-DD` what the province received on a day
  (`[{"idempotency_key", "ack_id"}]`), for the reconciliation;
- `GET /feeds/<name>?cursor=C` an inbound feed after a cursor:
  `{"items": [...], "next_cursor": C2, "more": bool}`.
"""

import http.client
import json
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
_ERROR_LIMIT = 500


class ExchangeError(Exception):
    """A call that did not succeed (the message says why, in Chinese)."""


class NotConfigured(ExchangeError):
    pass


@dataclass(frozen=True, slots=True)
class Endpoint:
    scheme: str
    host: str
    port: int | None
    base_path: str


def endpoint() -> Endpoint:
    """The configured endpoint, checked: https, or http to this machine when allowed."""
    url = settings.XINYONG_EXCHANGE_URL.strip()
    if not url:
        raise NotConfigured(_("未配置省级平台接口地址（XINYONG_EXCHANGE_URL）"))
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        pass
    elif (
        parts.scheme == "http"
        and host in _LOCAL_HOSTS
        and settings.XINYONG_EXCHANGE_ALLOW_LOCAL_HTTP
    ):
        pass
    else:
        raise NotConfigured(
            _("省级平台接口地址必须使用 https（仅测试时可允许 http://127.0.0.1）：%(url)s")
            % {"url": url}
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise NotConfigured(_("省级平台接口地址不应包含用户名、密码、查询参数或片段"))
    return Endpoint(parts.scheme, host, parts.port, parts.path.rstrip("/"))


def _connection(point: Endpoint, timeout: float) -> http.client.HTTPConnection:
    if point.scheme == "https":
        return http.client.HTTPSConnection(
            point.host, point.port, timeout=timeout, context=ssl.create_default_context()
        )
    return http.client.HTTPConnection(point.host, point.port, timeout=timeout)


def _call(
    method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
) -> object:
    point = endpoint()
    connection = _connection(point, settings.XINYONG_EXCHANGE_TIMEOUT)
    try:
        connection.request(
            method,
            point.base_path + path,
            body=body,
            headers={"Accept": "application/json", **(headers or {})},
        )
        response = connection.getresponse()
        content = response.read()
    except (OSError, http.client.HTTPException) as exc:
        raise ExchangeError(_("连接省级平台失败：%(error)s") % {"error": exc}) from exc
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        text = content.decode("utf-8", "replace")[:_ERROR_LIMIT]
        raise ExchangeError(
            _("省级平台返回 HTTP %(status)s：%(text)s") % {"status": response.status, "text": text}
        )
    try:
        return json.loads(content or b"{}")
    except ValueError as exc:
        raise ExchangeError(_("省级平台的应答不是 JSON")) from exc


def push(message: dict[str, Any]) -> str:
    """Send one message; the province's acknowledgement id."""
    answer = _call(
        "POST",
        "/push",
        body=json.dumps(message, ensure_ascii=False).encode(),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": str(message["idempotency_key"]),
        },
    )
    ack = str(answer.get("ack_id") or "") if isinstance(answer, dict) else ""
    if not ack:
        raise ExchangeError(_("省级平台的应答缺少回执编号（ack_id）"))
    return ack


def receipts(day: str) -> list[dict[str, str]]:
    answer = _call("GET", "/receipts?" + urlencode({"day": day}))
    items = answer.get("items") if isinstance(answer, dict) else None
    if not isinstance(items, list):
        raise ExchangeError(_("省级平台的对账应答格式不正确"))
    return [
        {"idempotency_key": str(i.get("idempotency_key", "")), "ack_id": str(i.get("ack_id", ""))}
        for i in items
        if isinstance(i, dict)
    ]


def feed(name: str, cursor: str) -> dict[str, Any]:
    answer = _call("GET", f"/feeds/{name}?" + urlencode({"cursor": cursor}))
    if not isinstance(answer, dict) or not isinstance(answer.get("items"), list):
        raise ExchangeError(_("省级平台的数据源应答格式不正确"))
    return answer
