"""Writes of the subject registry: bulk resolution (intake's hot path),
conflict review, and the audit of look-ups of a person."""

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, ActorKind, audit_record
from xinyong.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from xinyong.orgs.models import User
from xinyong.orgs.permissions import can_access_department
from xinyong.subjects.audit_actions import (
    SUBJECT_CONFLICT_RESOLVE,
    SUBJECT_REVEAL_ID,
    SUBJECT_VIEW_PERSON,
)
from xinyong.subjects.hashing import unseal_id_number
from xinyong.subjects.models import Subject, SubjectAlias, SubjectConflict
from xinyong.subjects.naming import name_key
from xinyong.subjects.resolution import Row, SubjectCandidate, prepare, resolve_chunk

__all__ = [
    "SubjectCandidate",
    "conflict_resolve",
    "prepare",
    "subject_log_view",
    "subject_resolve_bulk",
    "subject_resolve_prepared",
    "subject_reveal_id",
]

_ATTEMPTS = 3


def subject_resolve_bulk(
    *, department_id: int, candidates: list[SubjectCandidate], source: str = ""
) -> list[int | None]:
    """The subject id of every candidate, in order (None: no name and no code).

    Creates missing subjects, maps legacy codes to USCCs, and queues the
    conflicts the chunk reveals for `department_id` (see `resolution` for
    the rules). Meant for chunks of 2,000–5,000 candidates: per call it runs
    a constant number of statements, at most

      1 SELECT subjects by USCC / ID digest,
      1 SELECT legacy codes (if the chunk has any),
      1 SELECT the subjects of those codes not read yet (usually those of
        rows without a USCC),
      1 SELECT subjects by name key (new USCCs, changed names, name-only rows),
      1 SELECT codes of same-named subjects (only for name-only rows),
      1 INSERT new subjects (RETURNING id),
      1 upsert of subjects that took a USCC, a name or an ID digest (rare),
      1 INSERT new legacy-code mappings,
      1 SELECT aliases (only if a name differs),
      1 INSERT conflicts (ON CONFLICT DO NOTHING),
      1 upsert of the department's sightings (skipped for subjects it sent
        within the last hour),

    plus a savepoint and its release. A re-import of 2,000 known subjects
    is 2–4 statements; 2,000 new ones about 6. Each INSERT splits only past
    30,000 parameters (3,000 new subjects). Safe against concurrent imports:
    a unique constraint hit rolls the chunk back to its savepoint and
    resolves it again, seeing what the other import committed.
    """
    if not candidates:
        return []
    return subject_resolve_prepared(
        department_id=department_id, rows=prepare(candidates), source=source
    )


def subject_resolve_prepared(
    *,
    department_id: int,
    rows: list[Row | None],
    source: str = "",
    pending_batch_id: int | None = None,
) -> list[int | None]:
    """`subject_resolve_bulk` for candidates already passed through `prepare`
    (which needs no database, so intake runs it in its reading process).
    An import passes its batch as `pending_batch_id`: the subjects it
    creates stay out of every page until the batch is done (`subjects.staging`)."""
    if not rows:
        return []
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return resolve_chunk(department_id, rows, source, pending_batch_id)
        except IntegrityError:
            if attempt == _ATTEMPTS:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def conflict_resolve(
    *,
    actor: User,
    conflict: SubjectConflict,
    status: str,
    note: str,
    request: HttpRequest | None = None,
) -> SubjectConflict:
    """Close a conflict of the review queue as confirmed (the data is right) or
    corrected (the data was wrong and has been put right), with a note.

    The credit office may close any conflict, a department's users only
    their own department's. Confirming a name mismatch records the seen name
    as an alias of the subject, so that it is not raised again.
    """
    if not can_access_department(actor, conflict.department_id):
        raise NotFoundError("not_found", _("未找到该冲突，或您无权处理"))
    if status not in (SubjectConflict.Status.CONFIRMED, SubjectConflict.Status.CORRECTED):
        raise ApplicationError(
            "invalid_status", _("处理结果只能是“已确认无误”或“已更正”"), {"status": [status]}
        )
    note = (note or "").strip()
    if not note:
        raise ApplicationError("note_required", _("请填写处理说明"), {"note": ["required"]})
    locked = SubjectConflict.objects.select_for_update().get(pk=conflict.pk)
    if locked.status != SubjectConflict.Status.OPEN:
        raise ApplicationError(
            "conflict_closed",
            _("该冲突已处理（%(status)s），不能重复处理") % {"status": locked.get_status_display()},
            status=409,
        )
    locked.status = status
    locked.resolution_note = note
    locked.resolved_at = clock.now()
    locked.resolved_by = actor
    locked.save(update_fields=["status", "resolution_note", "resolved_at", "resolved_by"])
    alias = None
    if (
        status == SubjectConflict.Status.CONFIRMED
        and locked.kind == SubjectConflict.Kind.NAME_MISMATCH
    ):
        key = name_key(locked.seen_name)
        if key:
            alias, _created = SubjectAlias.objects.get_or_create(
                subject_id=locked.subject_id, name_key=key, defaults={"name": locked.seen_name}
            )
    audit_record(
        actor=actor,
        action=SUBJECT_CONFLICT_RESOLVE,
        obj=locked,
        before={"status": SubjectConflict.Status.OPEN.value},
        after={
            "status": status,
            "subject": locked.subject_id,
            "alias": alias.name if alias is not None else None,
        },
        reason=note,
        request=request,
    )
    conflict.status, conflict.resolution_note = locked.status, locked.resolution_note
    conflict.resolved_at, conflict.resolved_by = locked.resolved_at, locked.resolved_by
    return locked


def subject_log_view(*, actor: User, subject: Subject, request: HttpRequest | None = None) -> None:
    """Every look-up of a person (or of an individual business's operator ID) is logged."""
    if subject.kind == Subject.Kind.PERSON or subject.id_digest:
        audit_record(
            actor=actor,
            action=SUBJECT_VIEW_PERSON,
            obj=subject,
            object_label=f"{subject.name}（{subject.id_masked}）"
            if subject.id_masked
            else subject.name,
            request=request,
        )


def subject_reveal_id(
    *,
    actor: User | Actor,
    subject: Subject,
    reason: str = "",
    request: HttpRequest | None = None,
) -> str:
    """The clear resident ID of a person (or an individual business's
    operator), decrypted from `id_encrypted`: the one way to read it.

    Only the credit office's users and the system (the exchange with the
    provincial platform runs as the system) may; every decryption is in the
    audit log, with its reason.
    """
    allowed = (isinstance(actor, User) and actor.is_active and actor.is_credit_office) or (
        isinstance(actor, Actor) and actor.kind == ActorKind.SYSTEM
    )
    if not allowed:
        raise PermissionDeniedError("forbidden", _("只有信用办可以查看完整证件号码"))
    if not subject.id_encrypted:
        raise NotFoundError("id_not_kept", _("该主体未保存加密的证件号码"))
    clear = unseal_id_number(subject.id_encrypted)
    audit_record(
        actor=actor,
        action=SUBJECT_REVEAL_ID,
        obj=subject,
        object_label=f"{subject.name}（{subject.id_masked}）",
        reason=reason,
        request=request,
    )
    return clear
