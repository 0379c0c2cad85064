"""The record key of a valid row, and the column limits a row must fit: a
value longer than its column is the row's error, never a crash of the batch."""

from typing import NamedTuple

from django.utils.translation import gettext as _

from xinyong.core.columns import max_length
from xinyong.ingest.validation import RowResult
from xinyong.records.models import Record
from xinyong.subjects.models import Subject


class ColumnLimits(NamedTuple):
    """The lengths the record and subject tables hold, read from the models."""

    doc_number: int
    record_key: int
    subject_name: int

    @classmethod
    def from_models(cls) -> "ColumnLimits":
        return cls(
            doc_number=max_length(Record, "doc_number"),
            record_key=max_length(Record, "record_key"),
            subject_name=max_length(Subject, "name"),
        )


# The value each limit applies to, read only when the previous ones fit.
_VALUES = {
    "doc_number": lambda result: result.doc_number,
    "record_key": lambda result: result.record_key,
    "subject_name": lambda result: result.subject.name,
}


def check_limits(result: RowResult, key_fields: list[str], limits: ColumnLimits) -> None:
    """Set the row's record key (its key fields joined, or its content hash
    for an item without one) and reject it when a value outgrows its column.
    The error names the column as the error report always did."""
    if not key_fields:
        result.record_key = result.content_hash
    else:
        missing = [k for k in key_fields if not result.data.get(k)]
        if missing:
            result.ok = False
            result.errors = [{"field": k, "value": "", "message": _("必填项为空")} for k in missing]
            return
        result.record_key = "|".join(result.data[k] for k in key_fields)
    for name, limit in zip(ColumnLimits._fields, limits, strict=True):
        value = _VALUES[name](result)
        if len(value) > limit:
            result.ok = False
            result.errors = [
                {
                    "field": name,
                    "value": value[:50],
                    "message": _("长度为 %(n)d 个字符，超过上限 %(max)d")
                    % {"n": len(value), "max": limit},
                }
            ]
            return
