"""Targets of a campaign from a clerk's file (csv or xlsx, read by
`ingest.readers`): two columns, 主体名称 and 证件号码. All rows or none; each
refused row named with its number, column and reason in Chinese."""

from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError
from xinyong.ingest.readers import read_rows
from xinyong.orgs.models import User
from xinyong.oversight.audit_actions import CAMPAIGN_TARGETS_UPLOAD
from xinyong.oversight.campaigns.services import (
    Identity,
    add_identified,
    ensure_campaign_access,
    identity,
)
from xinyong.oversight.models import Campaign

MAX_ROWS = 5000
NAME, CODE = "主体名称", "证件号码"
_COLUMN_OF_FIELD = {"name": NAME, "code": CODE}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _read(path: Path) -> tuple[list[tuple[Identity, int]], list[RowError]]:
    rows = read_rows(path)
    header = [_cell(c) for c in next(rows, [])]
    missing = [label for label in (NAME, CODE) if label not in header]
    if missing:
        raise ApplicationError(
            "missing_columns",
            _("表头缺少必需的列：%(c)s") % {"c": "、".join(missing)},
            {"missing": missing},
        )
    at_name, at_code = header.index(NAME), header.index(CODE)
    found: list[tuple[Identity, int]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise ApplicationError("too_many_rows", _("一次最多导入 %(n)d 行") % {"n": MAX_ROWS})
        cells = list(values) + [None] * 2
        name, code = _cell(cells[at_name]), _cell(cells[at_code]).upper()
        if not name and not code:
            continue
        try:
            ident = identity(name, code)
        except ApplicationError as exc:
            field = next(iter(exc.details), "code") if isinstance(exc.details, dict) else "code"
            errors.append(RowError(number, _COLUMN_OF_FIELD.get(field, CODE), exc.message))
            continue
        if code in seen:
            errors.append(
                RowError(number, CODE, _("证件号码与第 %(r)d 行重复") % {"r": seen[code]})
            )
            continue
        seen[code] = number
        found.append((ident, number))
    if not found and not errors:
        errors.append(RowError(1, "", _("文件中没有治理对象")))
    return found, errors


def _refuse(errors: list[RowError]) -> ApplicationError:
    return ApplicationError(
        "invalid_rows",
        _("文件有 %(n)d 处错误，未导入") % {"n": len(errors)},
        {"rows": [asdict(e) for e in errors]},
    )


@transaction.atomic
def campaign_targets_upload(*, actor: User, campaign: Campaign, path: Path) -> int:
    """Add the file's subjects as targets; returns how many were added."""
    ensure_campaign_access(actor, campaign)
    found, errors = _read(path)
    if errors:
        raise _refuse(errors)
    try:
        made = add_identified(actor=actor, campaign=campaign, found=found)
    except ApplicationError as exc:
        if exc.code != "duplicate" or not isinstance(exc.details, dict):
            raise
        raise _refuse([RowError(int(exc.details["row"]), CODE, exc.message)]) from exc
    audit_record(
        action=CAMPAIGN_TARGETS_UPLOAD, actor=actor, obj=campaign, after={"added": len(made)}
    )
    return len(made)
