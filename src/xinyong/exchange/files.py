"""The file mode (GB/T 39443-2020): a day's 双公示 messages as national-format
files, one per item and kind (XZXK / XZCF, csv and xlsx), written by a task
(`tasks.build_files`: yesterday's every day, any day on the credit office's
request) under `XINYONG_EXCHANGE_FILES/<day>/`, outside the web root, and
downloaded by the credit office only (audited).

A file has the column codes as its header row and their Chinese headers as
its first row, then one row per message: the operation (新增或更新 / 撤回 /
停止公示) and the columns. Personal ID numbers stay masked as stored: clear
numbers leave the platform only over the service mode's TLS. Every text
passes `core.cells` (csv: quote prefix; xlsx: inline text with the quote
prefix), so no cell can run as a formula.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.cells import csv_cell
from xinyong.core.models import OutboxMessage
from xinyong.exchange import formats
from xinyong.exchange.audit_actions import EXCHANGE_FILE_BUILD
from xinyong.sanctions.sheet import write_xlsx

OP_COLUMN = ("CZLX", "操作类型")
_NAME = re.compile(r"^(XZXK|XZCF)-(\d{4}-\d{2}-\d{2})\.(csv|xlsx)$")


@dataclass(frozen=True, slots=True)
class ExchangeFile:
    day: dt.date
    name: str
    size: int


def _op_label(op: str) -> str:
    return {"upsert": _("新增或更新"), "withdraw": _("撤回"), "unpublish": _("停止公示")}.get(
        op, op
    )


def _root() -> Path:
    return Path(settings.XINYONG_EXCHANGE_FILES)


def rows_for(day: dt.date, item_code: str) -> list[list[str]]:
    start = dt.datetime.combine(day, dt.time(), tzinfo=clock.SHANGHAI)
    messages = OutboxMessage.objects.filter(
        topic=formats.RECORD_TOPIC,
        created_at__gte=start,
        created_at__lt=start + dt.timedelta(days=1),
        payload__format=item_code,
    ).order_by("id")
    codes = [c.code for c in formats.columns(item_code)]
    out = []
    for message in messages.iterator(chunk_size=500):
        values = message.payload.get("columns", {})
        out.append([_op_label(message.payload.get("op", "")), *(values.get(c, "") for c in codes)])
    return out


def build_day(day: dt.date) -> list[ExchangeFile]:
    """Write (again) the files of `day`; returns them."""
    folder = _root() / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    built = []
    for code in formats.FORMATS:
        columns = formats.columns(code)
        header = [OP_COLUMN[0], *(c.code for c in columns)]
        labels = [OP_COLUMN[1], *(c.label for c in columns)]
        rows = rows_for(day, code)
        text = io.StringIO()
        writer = csv.writer(text)
        for row in [header, labels, *rows]:
            writer.writerow([csv_cell(v) for v in row])
        stem = f"{code}-{day.isoformat()}"
        outputs = {
            f"{stem}.csv": text.getvalue().encode("utf-8-sig"),
            f"{stem}.xlsx": write_xlsx(code, header, [labels, *rows]),
        }
        for name, content in outputs.items():
            temporary = folder / f".{name}.tmp"
            temporary.write_bytes(content)
            temporary.replace(folder / name)
            built.append(ExchangeFile(day, name, len(content)))
    audit_record(
        action=EXCHANGE_FILE_BUILD,
        object_id=day.isoformat(),
        object_label=day.isoformat(),
        after={"files": [f.name for f in built]},
    )
    return built


def list_files(limit: int = 60) -> list[ExchangeFile]:
    """The files built, newest day first."""
    root = _root()
    if not root.is_dir():
        return []
    found = []
    for folder in sorted((p for p in root.iterdir() if p.is_dir()), reverse=True)[:limit]:
        for path in sorted(folder.iterdir()):
            match = _NAME.match(path.name)
            if match:
                found.append(
                    ExchangeFile(dt.date.fromisoformat(match[2]), path.name, path.stat().st_size)
                )
    return found


def file_path(name: str) -> Path | None:
    """The stored file of that name, or None (names are checked: no path escapes)."""
    match = _NAME.match(name)
    if not match:
        return None
    path = _root() / match[2] / name
    return path if path.is_file() else None


def day_built(day: dt.date) -> bool:
    return all(file_path(f"{code}-{day.isoformat()}.csv") for code in formats.FORMATS)
