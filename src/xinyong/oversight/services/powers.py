"""The 权力清单 of a department, imported from xlsx: all rows or none, each
refused row with its reason in Chinese. The file is read by intake's
hostile-file-safe reader (`ingest.readers`: archive, dimension, row and
cell limits checked before reading; a broken sheet is a Chinese refusal)."""

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError
from xinyong.ingest.readers import FileProblem, read_rows, sniff_kind
from xinyong.orgs.models import Department, User
from xinyong.orgs.permissions import ensure_department_access
from xinyong.oversight.audit_actions import POWERS_IMPORT
from xinyong.oversight.models import Power

MAX_ROWS = 5000
KIND_OF_LABEL = {"行政许可": Power.Kind.LICENCE, "行政处罚": Power.Kind.PENALTY}
# Header label → field; the first three are required.
COLUMNS = {
    "权力编码": "code",
    "权力名称": "name",
    "权力类型": "kind",
    "设定依据": "basis",
    "匹配关键词": "keywords",
}
REQUIRED = ("权力编码", "权力名称", "权力类型")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    deactivated: int


def _limit(field: str) -> int:
    found = Power._meta.get_field(field)
    return int(getattr(found, "max_length", 0) or 0)


def _unreadable() -> ApplicationError:
    return ApplicationError("unreadable", _("无法读取该文件，请上传 xlsx 格式的权力清单"))


def _read(handle: IO[bytes]) -> list[tuple[int, dict[str, str]]]:
    with tempfile.TemporaryDirectory(prefix="xinyong-powers-") as tmp:
        path = Path(tmp) / "powers.xlsx"
        with open(path, "wb") as out:
            shutil.copyfileobj(handle, out)
        try:
            if sniff_kind(path) != "xlsx":
                raise _unreadable()
            return _read_rows(path)
        except FileProblem as problem:
            raise ApplicationError(
                "unreadable",
                _("无法读取该文件，请上传 xlsx 格式的权力清单（%(why)s）")
                % {"why": problem.message},
            ) from None


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    rows = read_rows(path)
    header = next(rows, None)
    labels = [str(c).strip() if c is not None else "" for c in (header or ())]
    missing = [label for label in REQUIRED if label not in labels]
    if missing:
        raise ApplicationError(
            "missing_columns",
            _("表头缺少必需的列：%(c)s") % {"c": "、".join(missing)},
            {"missing": missing},
        )
    found = []
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise ApplicationError("too_many_rows", _("权力清单最多 %(n)d 行") % {"n": MAX_ROWS})
        cells = {
            label: ("" if value is None else str(value).strip())
            for label, value in zip(labels, values, strict=False)
            if label in COLUMNS
        }
        if any(cells.values()):
            found.append((number, cells))
    return found


def _check(rows: list[tuple[int, dict[str, str]]]) -> tuple[list[dict[str, str]], list[RowError]]:
    errors: list[RowError] = []
    clean: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        bad = False
        for label in REQUIRED:
            if not cells.get(label):
                errors.append(RowError(number, label, _("%(c)s不能为空") % {"c": label}))
                bad = True
        kind = cells.get("权力类型", "")
        if kind and kind not in KIND_OF_LABEL:
            errors.append(
                RowError(
                    number, "权力类型", _("权力类型应为“行政许可”或“行政处罚”：%(v)s") % {"v": kind}
                )
            )
            bad = True
        for label, field in COLUMNS.items():
            most = _limit(field) if field != "kind" else 0
            if most and len(cells.get(label, "")) > most:
                errors.append(
                    RowError(number, label, _("%(c)s超过 %(n)d 个字") % {"c": label, "n": most})
                )
                bad = True
        code = cells.get("权力编码", "")
        if code and code in seen:
            errors.append(
                RowError(
                    number,
                    "权力编码",
                    _("权力编码 %(c)s 与第 %(r)d 行重复") % {"c": code, "r": seen[code]},
                )
            )
            bad = True
        seen.setdefault(code, number)
        if not bad:
            clean.append({field: cells.get(label, "") for label, field in COLUMNS.items()})
    if not rows:
        errors.append(RowError(1, "", _("文件中没有权力事项")))
    return clean, errors


@transaction.atomic
def powers_import(*, actor: User, department: Department, handle: IO[bytes]) -> ImportResult:
    """Replace the department's 权力清单 with the file's: powers matched by
    code are updated, new ones added, those missing from the file made
    inactive (kept: their decisions still count in earlier figures). Any
    row in error: nothing changes, every error is reported (`details.rows`)."""
    ensure_department_access(actor, department)
    clean, errors = _check(_read(handle))
    if errors:
        raise ApplicationError(
            "invalid_rows",
            _("权力清单有 %(n)d 处错误，未导入") % {"n": len(errors)},
            {"rows": [e.__dict__ for e in errors]},
        )
    now = clock.now()
    existing = {p.code: p for p in Power.objects.select_for_update().filter(department=department)}
    created = updated = 0
    for row in clean:
        values = {
            "name": row["name"],
            "kind": KIND_OF_LABEL[row["kind"]],
            "basis": row["basis"],
            "keywords": row["keywords"],
            "is_active": True,
            "imported_at": now,
        }
        power = existing.get(row["code"])
        if power is None:
            Power.objects.create(department=department, code=row["code"], **values)
            created += 1
        else:
            for key, value in values.items():
                setattr(power, key, value)
            power.save(update_fields=list(values))
            updated += 1
    codes = {row["code"] for row in clean}
    deactivated = (
        Power.objects.filter(department=department, is_active=True)
        .exclude(code__in=codes)
        .update(is_active=False, imported_at=now)
    )
    result = ImportResult(created, updated, deactivated)
    audit_record(action=POWERS_IMPORT, actor=actor, obj=department, after=result.__dict__)
    return result
