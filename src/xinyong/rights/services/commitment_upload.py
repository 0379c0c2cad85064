"""A department's upload of signed commitments (xlsx, xls or csv), read with
intake's hostile-file-safe readers (`ingest.readers`: kind by content, size,
row, column and cell limits checked before reading). Every row ends accepted
(a commitment, `commitment_record`) or rejected with its reasons, each naming
the row and the field in Chinese; accepted + rejected = received.

The file is read in the request: a commitment file is a department's papers
of a few days, so it is capped at `XINYONG_COMMITMENT_UPLOAD_ROWS` rows
(default 2,000); bulk data goes through intake and its worker.
"""

import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.env import env_int
from xinyong.core.errors import ApplicationError
from xinyong.ingest.headers import header_key
from xinyong.ingest.readers import FileProblem, read_rows
from xinyong.ingest.uploads import max_upload_bytes, too_large_message
from xinyong.ingest.values import ValueProblem, clean_text, parse_date
from xinyong.orgs.models import Department, User
from xinyong.orgs.permissions import ensure_department_access
from xinyong.rights.audit_actions import COMMITMENT_UPLOAD
from xinyong.rights.models import Commitment, CommitmentType, CommitmentUpload
from xinyong.rights.services.commitments import Signer, commitment_record

KIND_LABELS = {"单位": "legal", "法人及非法人组织": "legal", "个人": "person", "自然人": "person"}
TYPE_LABELS = {str(label): value for value, label in CommitmentType.choices}


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("type", "承诺类型", True),
    Column("kind", "主体类别", True, ("承诺主体类别",)),
    Column("name", "主体名称", True, ("承诺主体名称", "单位名称或姓名", "姓名")),
    Column("code", "证件号码", True, ("统一社会信用代码或身份证号码", "统一社会信用代码")),
    Column("phone", "联系电话", True, ("电话",)),
    Column("contact", "联系人", False),
    Column("matter", "承诺事项", False),
    Column("signed_on", "签署日期", True, ("承诺日期",)),
)
TEMPLATE_HEADER = [c.label for c in COLUMNS]


def max_rows() -> int:
    return max(env_int("XINYONG_COMMITMENT_UPLOAD_ROWS", 2000), 1)


def _columns(header: list[object]) -> dict[str, int]:
    lookup = {header_key(n): c for c in COLUMNS for n in (c.label, c.key, *c.aliases)}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = lookup.get(header_key(cell))
        if column is not None:
            found.setdefault(column.key, index)
    missing = [c.label for c in COLUMNS if c.required and c.key not in found]
    if missing:
        raise FileProblem(
            _("表头缺少必填列：%(cols)s（第一行应为：%(all)s）")
            % {"cols": "、".join(missing), "all": "、".join(TEMPLATE_HEADER)},
            "missing_columns",
        )
    return found


@dataclass(slots=True)
class RowError:
    row: int
    field: str
    value: str
    message: str

    def as_json(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "value": self.value, "message": self.message}


def _cell(row: list[object], found: dict[str, int], key: str) -> object:
    index = found.get(key)
    return row[index] if index is not None and index < len(row) else None


def _row_problems(
    row: list[object], found: dict[str, int], number: int
) -> tuple[dict[str, object], list[RowError]]:
    """The row's values, or what is wrong with them (every field checked)."""
    values: dict[str, object] = {}
    errors: list[RowError] = []
    for column in COLUMNS:
        raw = _cell(row, found, column.key)
        text = clean_text(raw) if raw is not None else ""
        if not text:
            if column.required:
                errors.append(RowError(number, column.label, "", _("必填，不能为空")))
            values[column.key] = ""
            continue
        if column.key == "type":
            value = TYPE_LABELS.get(text)
            if value is None:
                errors.append(
                    RowError(
                        number,
                        column.label,
                        text,
                        _("应为%(all)s之一") % {"all": "、".join(TYPE_LABELS)},
                    )
                )
            values["type"] = value
        elif column.key == "kind":
            kind = KIND_LABELS.get(text)
            if kind is None:
                errors.append(RowError(number, column.label, text, _("应为“单位”或“个人”")))
            values["kind"] = kind
        elif column.key == "signed_on":
            try:
                values["signed_on"] = parse_date(raw)
            except ValueProblem as problem:
                errors.append(RowError(number, column.label, text, str(problem)))
        else:
            values[column.key] = text
    return values, errors


def _numbered_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    return enumerate(read_rows(path), start=1)


@transaction.atomic
def commitment_upload_process(
    *,
    actor: User,
    department: Department,
    upload: UploadedFile,
    request: HttpRequest | None = None,
) -> CommitmentUpload:
    """Read the file and record each valid row as a commitment of `department`."""
    ensure_department_access(actor, department)
    if (upload.size or 0) > max_upload_bytes():
        raise ApplicationError("file_too_large", too_large_message())
    digest = hashlib.sha256()
    batch = CommitmentUpload(
        department=department,
        uploaded_by=actor,
        original_name=(upload.name or "upload")[:200],
        created_at=clock.now(),
    )
    errors: list[RowError] = []
    with tempfile.NamedTemporaryFile(suffix=".upload") as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
        handle.flush()
        batch.sha256 = digest.hexdigest()
        batch.save()
        try:
            rows = _numbered_rows(Path(handle.name))
            header = next((row for _number, row in rows), None)
            if header is None:
                raise FileProblem(_("文件是空的"), "empty_file")
            found = _columns(header)
            for number, row in rows:
                if not any(clean_text(c) for c in row if c is not None):
                    continue  # a blank line is no row
                batch.received += 1
                if batch.received > max_rows():
                    raise FileProblem(
                        _("文件超过 %(n)d 行的上限，请分成几个文件上传") % {"n": max_rows()},
                        "too_many_rows",
                    )
                row_errors = _record_row(actor, department, batch, row, found, number, request)
                if row_errors:
                    batch.rejected += 1
                    errors.extend(row_errors)
                else:
                    batch.accepted += 1
        except FileProblem as problem:
            transaction.set_rollback(True)
            raise ApplicationError(problem.code, problem.message) from None
    batch.errors = [e.as_json() for e in errors]
    batch.save(update_fields=["received", "accepted", "rejected", "errors"])
    audit_record(
        actor=actor,
        action=COMMITMENT_UPLOAD,
        obj=batch,
        after={"received": batch.received, "accepted": batch.accepted, "rejected": batch.rejected},
        request=request,
    )
    return batch


def _record_row(
    actor: User,
    department: Department,
    batch: CommitmentUpload,
    row: list[object],
    found: dict[str, int],
    number: int,
    request: HttpRequest | None,
) -> list[RowError]:
    values, errors = _row_problems(row, found, number)
    if errors:
        return errors
    try:
        with transaction.atomic():  # a refused row leaves nothing behind
            commitment_record(
                actor=actor,
                department=department,
                type=str(values["type"]),
                signer=Signer(
                    kind=str(values["kind"]),
                    name=str(values["name"]),
                    code=str(values["code"]),
                    phone=str(values["phone"]),
                    contact_name=str(values["contact"]),
                ),
                signed_on=values["signed_on"],  # type: ignore[arg-type]
                matter=str(values["matter"]),
                channel=Commitment.Channel.UPLOAD,
                upload=batch,
                request=request,
            )
    except ApplicationError as exc:
        field = _field_of(exc)
        return [RowError(number, field, str(_cell(row, found, _key_of(field)) or ""), exc.message)]
    return []


_DETAIL_FIELDS = {
    "signer.code": "证件号码",
    "signer.name": "主体名称",
    "signer.phone": "联系电话",
    "signer": "主体名称",
    "signed_on": "签署日期",
    "type": "承诺类型",
}


def _field_of(exc: ApplicationError) -> str:
    details = exc.details if isinstance(exc.details, dict) else {}
    for key in details:
        if key in _DETAIL_FIELDS:
            return _DETAIL_FIELDS[key]
    return "承诺类型" if exc.code == "no_text" else "主体名称"


def _key_of(label: str) -> str:
    return next((c.key for c in COLUMNS if c.label == label), "name")
