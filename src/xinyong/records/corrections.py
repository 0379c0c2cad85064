"""Single-record writes outside the intake: a correction with its reason (an
upheld objection, 异议更正) and the end of publication by credit repair
(终止公示, 国家发展改革委令第36号).

Both keep the record's history: a correction moves the content it replaces
into `RecordRevision` (as the intake's corrections do), an end of
publication keeps the record and only takes it out of the public view. Both
set `updated_at`, so the change feed lists them ("corrected" with its reason,
"removed" with reason `repaired`), and both ask for the public CSV files to
be rebuilt.
"""

import hashlib
import json
from collections.abc import Mapping

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, ActorKind, audit_record
from xinyong.core.errors import ApplicationError, PermissionDeniedError
from xinyong.orgs.models import User
from xinyong.orgs.permissions import ensure_department_access
from xinyong.records import exports
from xinyong.records.audit_actions import RECORD_CORRECT, RECORD_END_FOR_REPAIR
from xinyong.records.disclosure.store import write_windows
from xinyong.records.disclosure.windows import StepCounts, WindowComputer
from xinyong.records.models import Record, RecordRevision


def _content_hash(data: Mapping[str, object]) -> str:
    # Canonical JSON of the content. The intake hashes its own canonical form,
    # so a later resubmission of the same content counts as one more revision.
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _ensure_actor(actor: User | Actor, record: Record) -> None:
    """A user of the record's department or of the credit office; or the
    system (the rights app acting on a decision taken by such a user)."""
    if isinstance(actor, Actor):
        if actor.kind != ActorKind.SYSTEM:
            raise PermissionDeniedError("forbidden", _("无权更正或终止公示该记录"))
        return
    ensure_department_access(actor, record.department)


@transaction.atomic
def record_correct(
    *,
    actor: User | Actor,
    record: Record,
    changes: Mapping[str, str],
    reason: str,
    request: HttpRequest | None = None,
) -> Record:
    """Correct fields of a record with a reason (a new revision; the content
    it replaces is kept as `RecordRevision`). Only plain fields: a field that
    makes the record's identity, subject or dates (a catalog role) is
    corrected by withdrawing the record and submitting it again. The
    disclosure window is computed again from the corrected content."""
    _ensure_actor(actor, record)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "reason_required", _("更正原因：请填写更正原因"), {"reason": "required"}
        )
    locked = Record.objects.select_for_update().select_related("version").get(pk=record.pk)
    if locked.status != Record.Status.ACTIVE:
        raise ApplicationError(
            "not_active",
            _("该记录当前状态为“%(status)s”，不能更正") % {"status": locked.get_status_display()},
            {"status": locked.status},
        )
    fields = {f["key"]: f for f in locked.version.schema["fields"]}
    by_label = {f["label"]: f for f in locked.version.schema["fields"]}
    clean: dict[str, str] = {}
    for name, value in changes.items():
        # A field by its key or its Chinese label (the staff form's lines).
        field = fields.get(name) or by_label.get(name.strip())
        key = field["key"] if field else name
        if field is None:
            raise ApplicationError(
                "unknown_field", _("更正内容：没有字段“%(key)s”") % {"key": key}, {key: "unknown"}
            )
        if field.get("role"):
            raise ApplicationError(
                "identity_field",
                _("“%(label)s”决定记录的标识、主体或日期，不能直接更正：请撤回该记录后重新报送")
                % {"label": field["label"]},
                {key: "role"},
            )
        value = str(value).strip()
        limit = field.get("max_length")
        if limit and len(value) > int(limit):
            raise ApplicationError(
                "too_long",
                _("“%(label)s”：不能超过 %(n)d 个字符") % {"label": field["label"], "n": limit},
                {key: "too_long"},
            )
        if field.get("required") and not value:
            raise ApplicationError(
                "required", _("“%(label)s”：必填") % {"label": field["label"]}, {key: "required"}
            )
        if str(locked.data.get(key, "")) != value:
            clean[key] = value
    if not clean:
        raise ApplicationError(
            "no_change", _("更正内容：与现有内容相同，没有需要更正的字段"), {"changes": "empty"}
        )
    now = clock.now()
    RecordRevision.objects.create(
        record=locked,
        revision=locked.revision,
        version_id=locked.version_id,
        data=locked.data,
        content_hash=locked.content_hash,
        subject_id=locked.subject_id,
        source_batch_id=locked.source_batch_id,
        source_row=locked.source_row,
        valid_from_at=locked.corrected_at or locked.created_at,
        replaced_at=now,
    )
    before = {key: locked.data.get(key, "") for key in clean}
    locked.data = {**locked.data, **clean}
    locked.content_hash = _content_hash(locked.data)
    locked.revision += 1
    locked.correction_reason = reason
    locked.corrected_at = now
    locked.updated_at = now
    locked.save(
        update_fields=[
            "data",
            "content_hash",
            "revision",
            "correction_reason",
            "corrected_at",
            "updated_at",
        ]
    )
    # The tier (and so the end of publication) may depend on what changed
    # (处罚类别, 罚款金额): computed again as the intake does for a correction.
    computer = WindowComputer(clock.today(), StepCounts())
    computed = [
        (pk, computer.compute(state))
        for pk, state in computer.select(Record.objects.filter(pk=locked.pk))
    ]
    write_windows(computed, now)
    exports.export_request(withdrawal=True)
    locked.refresh_from_db()
    audit_record(
        actor=actor,
        action=RECORD_CORRECT,
        obj=locked,
        before=before,
        after={**clean, "revision": locked.revision},
        reason=reason,
        request=request,
    )
    return locked


@transaction.atomic
def record_end_for_repair(
    *,
    actor: User | Actor,
    record: Record,
    reason: str,
    request: HttpRequest | None = None,
) -> Record:
    """End a record's publication after an approved credit repair (终止公示):
    it leaves the public view, the open data and the checks at once, and the
    feed lists it as removed (reason `repaired`). The record is kept (status
    active), with the day and the reason."""
    _ensure_actor(actor, record)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("reason_required", _("终止公示原因：请填写"), {"reason": "required"})
    locked = Record.objects.select_for_update().get(pk=record.pk)
    if locked.status != Record.Status.ACTIVE:
        raise ApplicationError(
            "not_active",
            _("该记录当前状态为“%(status)s”，无需终止公示")
            % {"status": locked.get_status_display()},
            {"status": locked.status},
        )
    if locked.unpublish_reason == Record.UnpublishReason.REPAIRED:
        raise ApplicationError("already_repaired", _("该记录已因信用修复终止公示"))
    today = clock.today()
    before = {
        "unpublished_on": locked.unpublished_on.isoformat() if locked.unpublished_on else None,
        "unpublish_reason": locked.unpublish_reason,
    }
    was_public = locked.published_on is not None and locked.unpublished_on is None
    # An earlier end (expired) keeps its day; the reason says why it is out now.
    locked.unpublished_on = locked.unpublished_on or today
    locked.unpublish_reason = Record.UnpublishReason.REPAIRED
    locked.updated_at = clock.now()
    locked.save(update_fields=["unpublished_on", "unpublish_reason", "updated_at"])
    if was_public:
        exports.export_request(withdrawal=True)
    audit_record(
        actor=actor,
        action=RECORD_END_FOR_REPAIR,
        obj=locked,
        before=before,
        after={
            "unpublished_on": locked.unpublished_on.isoformat(),
            "unpublish_reason": locked.unpublish_reason,
        },
        reason=reason,
        request=request,
    )
    return locked
