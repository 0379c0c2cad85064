"""The national format of what goes to the provincial platform (GB/T 39443-2020).

双公示 records travel in the national column codes (XK_* for licences, CF_*
for penalties, `data/national_columns.json`: the codes, their Chinese
headers and the catalog field each is read from), with dates written
`YYYY/MM/DD` and 许可类别 / 证件类型 as their two-digit codes.

A message's payload is frozen when it is enqueued (what we send is the
record as it was), except one thing: a person's resident ID, which the
outbox never holds in clear. The payload names the column and the subject
(`personal_id`), and `wire_payload` fills the decrypted number in at the
moment of sending, over TLS, to the configured endpoint only
(`exchange.client`). Files (`exchange.files`) keep the masked number.
"""

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xinyong.core import clock
from xinyong.core.audit import Actor, ActorKind
from xinyong.core.models import OutboxMessage
from xinyong.records.models import Record
from xinyong.subjects.models import Subject
from xinyong.subjects.services import subject_reveal_id

RECORD_TOPIC = "records.shuanggongshi"
SUBJECT_TOPIC = "subjects.code"
FORMATS = ("XZXK", "XZCF")
_DATA = Path(__file__).parent / "data" / "national_columns.json"
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# The exchange decrypts as the system (subjects.services.subject_reveal_id allows it).
EXCHANGE_ACTOR = Actor(kind=ActorKind.SYSTEM, label="省级平台数据交换")


@dataclass(frozen=True, slots=True)
class Column:
    code: str  # XK_XDR_MC
    label: str  # 行政相对人名称
    field: str  # the catalog field's key


@functools.cache
def _table() -> dict[str, Any]:
    table: dict[str, Any] = json.loads(_DATA.read_text(encoding="utf-8"))
    return table


def columns(item_code: str) -> list[Column]:
    """The national columns of a 双公示 item (XZXK or XZCF), in order."""
    return [Column(*row) for row in _table()[item_code]["columns"]]


def id_column(item_code: str) -> str:
    return str(_table()[item_code]["id_column"])


def national_value(field: str, value: object) -> str:
    """A stored value as the national format writes it."""
    if value is None:
        return ""
    text = str(value)
    if m := _ISO_DAY.match(text):
        return f"{m[1]}/{m[2]}/{m[3]}"
    codes: dict[str, str] = _table()["codes"].get(field.removeprefix("legal_rep_"), {})
    if text in codes:
        return codes[text]
    if text.startswith("其他-") and "其他" in codes:
        return codes["其他"]
    return text


def record_columns(record: Record) -> dict[str, str]:
    """A record's content in the national columns (personal IDs as stored: masked)."""
    data = record.data or {}
    return {c.code: national_value(c.field, data.get(c.field)) for c in columns(record.item.code)}


def _needs_clear_id(subject: Subject | None) -> bool:
    return subject is not None and subject.kind != Subject.Kind.LEGAL and bool(subject.id_encrypted)


def record_upsert_payload(record: Record) -> dict[str, Any]:
    """The payload of a record that is (again) in the public view."""
    code = record.item.code
    return {
        "format": code,
        "op": "upsert",
        "record_id": record.pk,
        "record_key": record.record_key,
        "revision": record.revision,
        "columns": record_columns(record),
        "personal_id": (
            {"column": id_column(code), "subject_id": record.subject_id}
            if _needs_clear_id(record.subject)
            else None
        ),
    }


def record_removal_payload(record: Record, *, reason: str, reason_text: str) -> dict[str, Any]:
    """The payload of a record that left the public view: withdrawn (行政处罚法
    art. 48), expired or not disclosed. The province stops showing it."""
    code = record.item.code
    number = next(c.code for c in columns(code) if c.field == "doc_number")
    return {
        "format": code,
        "op": "withdraw" if reason == "withdrawn" else "unpublish",
        "record_id": record.pk,
        "record_key": record.record_key,
        "revision": record.revision,
        "columns": {number: record.doc_number},
        "reason": reason,
        "reason_text": reason_text,
        "decided_on": (
            record.withdrawal_decided_on.isoformat() if record.withdrawal_decided_on else None
        ),
        "personal_id": None,
    }


def subject_payload(subject: Subject) -> dict[str, Any]:
    """A new subject's code (the plan's 二.5: new codes go up to the province)."""
    return {
        "format": "SUBJECT",
        "op": "upsert",
        "subject_id": subject.pk,
        "columns": {
            "ZT_MC": subject.name,
            "ZT_LB": str(subject.get_kind_display()),
            "ZT_TYSHXYDM": subject.uscc or "",
            "ZT_DJRQ": national_value(
                "", subject.created_at.astimezone(clock.SHANGHAI).date().isoformat()
            ),
        },
        "personal_id": None,
    }


def wire_payload(message: OutboxMessage) -> dict[str, Any]:
    """What goes over the wire for a message: its envelope and its payload,
    with the resident ID decrypted if the payload names one (audited as a
    look-up of personal data by the system, with the message as reason)."""
    data = dict(message.payload)
    personal = data.pop("personal_id", None)
    if personal:
        subject = Subject.objects.filter(pk=personal["subject_id"]).first()
        if subject is not None and subject.id_encrypted:
            clear = subject_reveal_id(
                actor=EXCHANGE_ACTOR,
                subject=subject,
                reason=f"报送省级平台 {message.idempotency_key}",
            )
            data["columns"] = {**data.get("columns", {}), personal["column"]: clear}
    return {
        "topic": message.topic,
        "key": message.key,
        "idempotency_key": message.idempotency_key,
        "created_at": message.created_at.astimezone(dt.UTC).isoformat(),
        "sent_at": clock.now().astimezone(dt.UTC).isoformat(),
        "data": data,
    }
