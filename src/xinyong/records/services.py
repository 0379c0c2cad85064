"""Writes of records: the bulk path used by intake, and single corrections.

The bulk path (`record_write_chunk`) is the hot path of an import: per chunk
of a few thousand rows it costs one SELECT of the existing keys, one bulk
INSERT of the new records (COPY on PostgreSQL, with their disclosure windows
computed beforehand by the reading side: `record_row_values`), and for
corrected records one INSERT … SELECT of their previous content into
`RecordRevision` plus one UPDATE per corrected row. Django's `bulk_create` builds a model instance
per row, which alone would cap an import's speed (bench/README.md); the SQL
here is written for the job and runs the same on SQLite and PostgreSQL.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import orjson
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.db import bulk
from xinyong.core.db.bulk import insert_rows
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.workdays import workdays_between
from xinyong.orgs.models import ApiToken, User
from xinyong.orgs.permissions import ensure_department_access
from xinyong.records import disclosure, exports
from xinyong.records.audit_actions import RECORD_WITHDRAW
from xinyong.records.disclosure import WINDOW_COLUMNS
from xinyong.records.models import Record, RecordRevision

# The values of a new record that vary by row, in this order. Intake's reading
# side builds them (`record_row_values`), possibly in another process, with
# dates as ISO text: both databases take that, and it pickles cheaply.
ROW_COLUMNS = (
    "doc_number",
    "record_key",
    "decision_date",
    "valid_from",
    "valid_to",
    "data",
    "content_hash",
    "submit_due",
    "is_late",
    "source_row",
    *WINDOW_COLUMNS,
)
# A new record's ROW_COLUMNS values, as `record_row_values` builds them.
RowValues = tuple[
    str,  # doc_number
    str,  # record_key
    str | None,  # decision_date (ISO)
    str | None,  # valid_from (ISO)
    str | None,  # valid_to (ISO)
    str,  # data (JSON text)
    str,  # content_hash
    str | None,  # submit_due (ISO)
    bool,  # is_late
    int,  # source_row
    *tuple[str | bool | None, ...],  # WINDOW_COLUMNS (`Window.as_params`)
]
# Positions in ROW_COLUMNS the writer reads, as literals so that their types are known
# (tests/records check them against ROW_COLUMNS).
_KEY: Final = 1
_HASH: Final = 6
_LATE: Final = 8
# The values the same for every record of a chunk, then the subject.
_CHUNK_COLUMNS = (
    "item_id",
    "version_id",
    "department_id",
    "status",
    "revision",
    "submitted_on",
    "source_batch_id",
    "created_at",
    "updated_at",
    "subject_id",
)

# A row to write: its subject's id (None when unresolved) and its values in ROW_COLUMNS order.
_Row = tuple[int | None, RowValues]
# The first seven _CHUNK_COLUMNS values (item, version, department, status, revision,
# submitted_on as ISO text, source batch); the times and the subject are added per row.
_ChunkValues = tuple[int, int, int, str, int, str, int | None]


def record_row_values(
    *,
    windows: disclosure.WindowComputer,
    item_id: int,
    department_id: int,
    version_id: int,
    row_number: int,
    record_key: str,
    doc_number: str,
    content_hash: str,
    data: dict[str, Any],
    data_json: str,
    decision_date: dt.date | None,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    submit_due: dt.date | None,
    is_late: bool,
    subject_kind: str,
) -> RowValues:
    """The `ROW_COLUMNS` values of a new record, its disclosure window
    included (computed from the record's content as of the computer's day).
    No database access once `windows` is prepared for the version."""
    window = windows.compute_new(
        item_id=item_id,
        department_id=department_id,
        version_id=version_id,
        decided=decision_date,
        valid_to=valid_to,
        subject_kind=subject_kind,
        data=data,
    )
    return (
        doc_number,
        record_key,
        _iso(decision_date),
        _iso(valid_from),
        _iso(valid_to),
        data_json,
        content_hash,
        _iso(submit_due),
        is_late,
        row_number,
        *window,
    )


@dataclass(slots=True)
class ChunkOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    late: int = 0


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def record_write_chunk(
    *,
    item_id: int,
    version_id: int,
    department_id: int,
    batch_id: int | None,
    submitted_on: dt.date,
    rows: list[tuple[int | None, RowValues]],
) -> ChunkOutcome:
    """Create, correct or leave unchanged the records of one chunk of valid
    rows, each `(subject id, ROW_COLUMNS values)`.

    The same key twice with the same content is one record; with other content
    the record gets a new revision and its previous content is kept. Must run
    inside the caller's transaction.
    """
    outcome = ChunkOutcome()
    # A key repeated within the chunk is a correction of its earlier row: write
    # the chunk in rounds so that each round holds a key once.
    rounds: list[list[_Row]] = []
    seen: dict[str, int] = {}
    for row in rows:
        key = row[1][_KEY]
        n = seen.get(key, 0)
        seen[key] = n + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(row)
    chunk: _ChunkValues = (
        item_id,
        version_id,
        department_id,
        "active",
        1,
        submitted_on.isoformat(),
        batch_id,
    )
    for round_rows in rounds:
        _write_round(outcome, chunk, round_rows)
    return outcome


def _write_round(outcome: ChunkOutcome, chunk: _ChunkValues, rows: Sequence[_Row]) -> None:
    item_id, version_id, department_id, _status, _rev, submitted_on, batch_id = chunk
    now = connection.ops.adapt_datetimefield_value(clock.now())
    table = _table(Record)
    keys = [values[_KEY] for _subject, values in rows]
    # The chunk's keys as one parameter (an array; JSON on SQLite).
    in_keys, params = bulk.any_of("record_key", keys)
    # The live records of these keys (through `record_key_unique`, whose
    # condition the literal status term repeats) ...
    live: dict[str, tuple[int, str, int]] = {}
    # S608 is silenced below: the table name comes from _meta, every value is a parameter.
    for key, pk, content_hash, revision in bulk.select(
        f"SELECT record_key, id, content_hash, revision FROM {table} "  # noqa: S608 - table names from _meta; values bound
        f"WHERE department_id = %s AND item_id = %s AND {in_keys} AND NOT (status = 'staged')",
        [department_id, item_id, *params],
    ):
        live[key] = (pk, content_hash, revision)
    # ... and this batch's own staged rows of them (`record_staged_key_unique`).
    staged: dict[str, tuple[int, str, int]] = {}
    if batch_id is not None:
        for key, pk, content_hash, revision in bulk.select(
            f"SELECT record_key, id, content_hash, revision FROM {table} "  # noqa: S608 - table names from _meta; values bound
            f"WHERE source_batch_id = %s AND {in_keys} AND status = 'staged'",
            [batch_id, *params],
        ):
            staged[key] = (pk, content_hash, revision)

    # A batch's rows are staged (invisible) until `record_batch_publish`; rows
    # written without a batch are live at once.
    status = Record.Status.STAGED.value if batch_id is not None else Record.Status.ACTIVE.value
    prefix = (*chunk[:3], status, *chunk[4:], now, now)
    new_rows: list[tuple[object, ...]] = []
    changed: dict[str, _Row] = {}
    for subject_id, values in rows:
        if values[_LATE]:
            outcome.late += 1
        key = values[_KEY]
        own = staged.get(key)
        current = live.get(key)
        if own is not None:
            # A key repeated within the batch: a correction of its staged row.
            if own[1] == values[_HASH]:
                outcome.unchanged += 1
            else:
                changed[key] = (subject_id, values)
                outcome.updated += 1
        elif current is None:
            outcome.created += 1
            new_rows.append((*prefix, subject_id, *values))
        elif current[1] == values[_HASH]:
            outcome.unchanged += 1
        elif batch_id is None:
            changed[key] = (subject_id, values)
            outcome.updated += 1
        else:
            # A correction of a live record: staged beside it (revision 1 of
            # the batch's content), merged into it when the batch is done.
            outcome.updated += 1
            new_rows.append((*prefix, subject_id, *values))
    insert_rows(table, (*_CHUNK_COLUMNS, *ROW_COLUMNS), new_rows)
    if changed:
        targets = {**live, **staged} if batch_id is not None else live
        _apply_corrections(table, version_id, batch_id, submitted_on, now, targets, changed)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _apply_corrections(
    table: str,
    version_id: int,
    batch_id: int | None,
    submitted_on: str | None,
    now: str | None,
    existing: dict[str, tuple[int, str, int]],
    changed: dict[str, _Row],
) -> None:
    # S608 is silenced below: table names come from _meta, every value is a parameter.
    ids = [existing[key][0] for key in changed]
    revision_table = _table(RecordRevision)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        # Keep what the record said until now, as its revision.
        cursor.execute(
            f"INSERT INTO {revision_table} (record_id, revision, version_id, data, content_hash, "  # noqa: S608 - table names from _meta; values bound
            f"subject_id, source_batch_id, source_row, valid_from_at, replaced_at) "
            f"SELECT id, revision, version_id, data, content_hash, subject_id, source_batch_id, "
            f"source_row, updated_at, %s FROM {table} WHERE id IN ({marks})",
            [now, *ids],
        )
        cursor.executemany(
            f"UPDATE {table} SET version_id = %s, subject_id = %s, doc_number = %s, "  # noqa: S608 - table names from _meta; values bound
            f"decision_date = %s, valid_from = %s, valid_to = %s, data = %s, content_hash = %s, "
            f"revision = revision + 1, submitted_on = %s, submit_due = %s, is_late = %s, "
            # The disclosure window is recomputed from the corrected content
            # (record_disclosure_fill, or the catch-up of `xinyong daily`).
            f"disclosure_rule = '', "
            # Warnings belong to the content they were found in (the intake
            # stores the new content's afterwards: record_warnings_store).
            f"warnings = '[]', "
            f"source_batch_id = %s, source_row = %s, updated_at = %s WHERE id = %s",
            [
                (
                    version_id,
                    subject_id,
                    doc,
                    _date(decided),
                    _date(valid_from),
                    _date(valid_to),
                    data_json,
                    content_hash,
                    _date(submitted_on),
                    _date(due),
                    is_late,
                    batch_id,
                    row_number,
                    now,
                    existing[key][0],
                )
                for key, (
                    subject_id,
                    (doc, _k, decided, valid_from, valid_to, data_json, content_hash, due, is_late,
                     row_number, *_window),
                ) in changed.items()
            ],
        )  # fmt: skip


def record_warnings_store(
    *, department_id: int, item_id: int, batch_id: int, warnings: dict[str, list[dict[str, str]]]
) -> None:
    """Store the consistency warnings of the current content of records, by
    record key (issue 12 item 9; each {"field", "value", "message"}). The
    intake calls it after writing a chunk, for the keys whose last row in the
    chunk was warned: a correction without warnings has already cleared them
    (`_apply_corrections`). Must run inside the caller's transaction.

    Only the batch's own rows take them: a correction is staged beside the
    live record it corrects, and the warnings reach the live record with the
    new content when the batch is done (`records.staging`).

    SQL intent: one UPDATE per warned record, by (department, item, key)."""
    if not warnings:
        return
    table = _table(Record)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET warnings = %s "  # noqa: S608 - table name from _meta; values bound
            f"WHERE department_id = %s AND item_id = %s AND record_key = %s "
            f"AND source_batch_id = %s",
            [
                (orjson.dumps(found).decode(), department_id, item_id, key, batch_id)
                for key, found in warnings.items()
            ],
        )


@transaction.atomic
def record_disclosure_fill(*, batch_id: int) -> disclosure.StepCounts:
    """Compute the disclosure window of every record a batch created or
    corrected, and publish those that are public and decided.

    The intake calls it once per batch, after the last chunk and inside the
    batch's transaction. Set-based: one UPDATE per decision date in the
    batch, then a few UPDATEs to publish (published_on = today, the day of
    submission: a record is public as soon as the platform has it) and to end
    what already passed its window. A corrected record gets its window
    recomputed from its new content (and keeps the day it first went public).
    Records left without a window (e.g. written by another path) are caught
    up by `xinyong daily`. Every record it writes gets `updated_at = now`
    (the change feed's position).
    """
    return disclosure.fill_batch(batch_id, clock.today())


# 行政处罚法 (2021) art. 48: withdrawn "三日内" — working days (art. 85).
WITHDRAW_WITHIN_WORKDAYS = 3


@transaction.atomic
def record_withdraw(
    *,
    actor: User | ApiToken,
    record: Record,
    reason: str,
    decided_on: dt.date | None = None,
    kind: str = "",
    request: HttpRequest | None = None,
) -> Record:
    """Withdraw a record: a penalty changed, revoked, found illegal or void
    (行政处罚法 art. 48). It leaves the public view at once; the reason is kept
    (art. 48: "公开说明理由") and `decided_on`, the date of the decision that
    changed or revoked it, says whether the withdrawal came within 3
    working days (`withdrawn_on_time`). `actor`: a user of the record's
    department or of the credit office, or the department's API token."""
    if isinstance(actor, ApiToken):
        if actor.department_id != record.department_id:
            raise NotFoundError("not_found", _("未找到该记录，或它不属于本部门"))
    else:
        ensure_department_access(actor, record.department)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "reason_required", _("撤回原因：请填写撤回原因"), {"reason": "required"}
        )
    if kind not in Record.WithdrawalKind.values:
        raise ApplicationError("invalid_kind", _("撤回类别不正确"), {"kind": kind})
    today = clock.today()
    if decided_on is not None and decided_on > today:
        raise ApplicationError(
            "decided_in_future",
            _("变更或撤销决定的日期（%(day)s）不能晚于今天") % {"day": decided_on.isoformat()},
            {"decided_on": "future"},
        )
    if decided_on is not None and record.decision_date and decided_on < record.decision_date:
        raise ApplicationError(
            "decided_before_decision",
            _("变更或撤销决定的日期（%(day)s）早于原决定日期（%(original)s）")
            % {"day": decided_on.isoformat(), "original": record.decision_date.isoformat()},
            {"decided_on": "before_decision"},
        )
    # Lock the row: two clerks withdrawing at once must not both succeed.
    locked = Record.objects.select_for_update().get(pk=record.pk)
    if locked.status == Record.Status.WITHDRAWN:
        raise ApplicationError("already_withdrawn", _("该记录已撤回"))
    before = {
        "status": locked.status,
        "published_on": _iso(locked.published_on),
        "unpublished_on": _iso(locked.unpublished_on),
        "unpublish_reason": locked.unpublish_reason,
    }
    was_public = locked.published_on is not None and locked.unpublished_on is None
    record.status = Record.Status.WITHDRAWN
    record.withdrawn_at = clock.now()
    record.withdrawn_reason = reason
    record.withdrawn_kind = kind
    record.withdrawal_decided_on = decided_on
    record.withdrawn_on_time = (
        workdays_between(decided_on, today) <= WITHDRAW_WITHIN_WORKDAYS
        if decided_on is not None
        else None
    )
    record.unpublish_reason = Record.UnpublishReason.WITHDRAWN
    # The first day it is no longer public: today if it was public (it leaves
    # at once); an earlier removal keeps its date; never public: none.
    record.unpublished_on = today if was_public else locked.unpublished_on
    record.published_on = locked.published_on
    record.updated_at = clock.now()
    record.save(
        update_fields=[
            "status",
            "withdrawn_at",
            "withdrawn_reason",
            "withdrawn_kind",
            "withdrawal_decided_on",
            "withdrawn_on_time",
            "unpublish_reason",
            "unpublished_on",
            "updated_at",
        ]
    )
    if was_public:  # the public CSV files are rebuilt without it, and not served till then
        exports.export_request(withdrawal=True)
    audit_record(
        actor=actor,
        action=RECORD_WITHDRAW,
        obj=record,
        before=before,
        after={
            "status": record.status,
            "kind": record.withdrawn_kind,
            "decided_on": _iso(decided_on),
            "withdrawn_on_time": record.withdrawn_on_time,
            "unpublished_on": _iso(record.unpublished_on),
        },
        reason=reason,
        request=request,
    )
    return record


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
