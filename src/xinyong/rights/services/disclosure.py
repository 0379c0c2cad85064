"""知情 (issue 14 §7): who may see everything the platform holds about a
subject (`rights.dossier`), and the audit of every look.

- At the counter: the credit office's clerk checks the person's identity
  document (a company's: its authorisation letter and the agent's ID) and
  records it (`disclosure_counter_open`): who, whom, how checked, why. The
  grant is that clerk's, for `COUNTER_MINUTES`.
- Without an account: after checking a company's authorisation letter the
  credit office issues an access code (`disclosure_code_issue`), shown once,
  stored as its SHA-256, valid for `XINYONG_DISCLOSURE_CODE_DAYS` days and
  for that subject only. The company enters its USCC and the code on the
  portal (`disclosure_code_use`); a wrong, expired or revoked code, or a
  code of another subject, is refused with one message, and audited.

Departments other than the credit office are refused (403): the counter is
the credit office's (信息主体查询 is its service to the public).
"""

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, ActorKind, audit_record
from xinyong.core.errors import (
    ApplicationError,
    NotFoundError,
    PermissionDeniedError,
    required_text,
)
from xinyong.core.identifiers.resident_id import check_resident_id
from xinyong.core.identifiers.uscc import check_uscc
from xinyong.orgs.models import User
from xinyong.orgs.permissions import ensure_credit_office
from xinyong.rights.audit_actions import (
    DISCLOSURE_CODE_ISSUE,
    DISCLOSURE_CODE_REFUSE,
    DISCLOSURE_CODE_REVOKE,
    DISCLOSURE_CODE_USE,
    DISCLOSURE_COUNTER_VERIFY,
    DISCLOSURE_VIEW,
)
from xinyong.rights.models import DisclosureAccess
from xinyong.subjects.hashing import id_digest
from xinyong.subjects.models import Subject
from xinyong.subjects.naming import name_key

# How long a counter grant lasts: the visit at the counter, with printing.
COUNTER_MINUTES = 30
# How long a portal session opened with a code lasts (the code itself lasts days).
CODE_SESSION_MINUTES = 30
# 12 characters of an alphabet without look-alikes (0/O, 1/I/L): ~60 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
Kind = DisclosureAccess.Kind


def _digest(code: str) -> str:
    normal = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normal.encode()).hexdigest()


def ensure_counter(actor: User) -> None:
    try:
        ensure_credit_office(actor)
    except PermissionDeniedError as exc:
        raise PermissionDeniedError(
            "forbidden", _("信息主体查询由信用办窗口办理，本部门无权查询")
        ) from exc


def subject_by_identity(*, code: str, name: str = "") -> Subject:
    """The subject whose USCC is `code`, or the person whose resident ID
    number is `code` and whose name is `name`; 404 otherwise (one message)."""
    code = (code or "").strip().upper()
    not_found = NotFoundError(
        "subject_not_found", _("未找到该信息主体，请核对名称和证件号码"), {"code": "not_found"}
    )
    if check_uscc(code).valid:
        subject = Subject.objects.live().filter(uscc=code).first()
        if subject is None:
            raise not_found
        return subject
    if check_resident_id(code).valid:
        subject = Subject.objects.live().filter(id_digest=id_digest(code)).first()
        if subject is None or name_key(subject.name) != name_key(name or ""):
            raise not_found
        return subject
    raise ApplicationError(
        "invalid_code",
        _("证件号码：应为统一社会信用代码或居民身份证号码"),
        {"code": "invalid"},
        status=422,
    )


@transaction.atomic
def disclosure_counter_open(
    *,
    actor: User,
    code: str,
    name: str,
    identity_note: str,
    reason: str,
    request: HttpRequest | None = None,
) -> DisclosureAccess:
    """The counter clerk has checked the identity in person: a grant for this
    clerk to show the subject its file. Audited: who, whom, how, why."""
    ensure_counter(actor)
    identity_note = required_text(identity_note, field="identity_note", label=_("身份核验方式"))
    reason = required_text(reason, field="reason", label=_("查询事由"))
    subject = subject_by_identity(code=code, name=name)
    now = clock.now()
    access = DisclosureAccess.objects.create(
        kind=Kind.COUNTER,
        subject=subject,
        issued_by=actor,
        issued_at=now,
        expires_at=now + dt.timedelta(minutes=COUNTER_MINUTES),
        identity_note=identity_note[:200],
        reason=reason[:200],
    )
    audit_record(
        actor=actor,
        action=DISCLOSURE_COUNTER_VERIFY,
        obj=access,
        after={"subject_id": subject.pk, "identity": access.identity_note},
        reason=reason,
        request=request,
    )
    return access


@dataclass(frozen=True, slots=True)
class Issued:
    access: DisclosureAccess
    code: str  # shown once


@transaction.atomic
def disclosure_code_issue(
    *,
    actor: User,
    uscc: str,
    letter: str,
    reason: str,
    request: HttpRequest | None = None,
) -> Issued:
    """An access code for a company, after its authorisation letter (`letter`:
    its number or description) was checked. The code is returned once."""
    ensure_counter(actor)
    letter = required_text(letter, field="letter", label=_("授权书"))
    reason = required_text(reason, field="reason", label=_("查询事由"))
    uscc = (uscc or "").strip().upper()
    if not check_uscc(uscc).valid:
        raise ApplicationError(
            "invalid_code",
            _("统一社会信用代码：不是有效的统一社会信用代码"),
            {"uscc": "invalid"},
            status=422,
        )
    subject = subject_by_identity(code=uscc)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = clock.now()
    access = DisclosureAccess.objects.create(
        kind=Kind.CODE,
        subject=subject,
        code_digest=_digest(code),
        issued_by=actor,
        issued_at=now,
        expires_at=now + dt.timedelta(days=settings.XINYONG_DISCLOSURE_CODE_DAYS),
        identity_note=letter[:200],
        reason=reason[:200],
    )
    audit_record(
        actor=actor,
        action=DISCLOSURE_CODE_ISSUE,
        obj=access,
        after={"subject_id": subject.pk, "expires_at": access.expires_at.isoformat()},
        reason=reason,
        request=request,
    )
    return Issued(access=access, code=f"{code[:4]}-{code[4:8]}-{code[8:]}")


@transaction.atomic
def disclosure_code_revoke(
    *, actor: User, access: DisclosureAccess, request: HttpRequest | None = None
) -> DisclosureAccess:
    ensure_counter(actor)
    locked = DisclosureAccess.objects.select_for_update().get(pk=access.pk)
    if locked.kind != Kind.CODE or locked.revoked_at is not None:
        raise ApplicationError("wrong_status", _("该查询码已作废或不是查询码"), status=409)
    locked.revoked_at = clock.now()
    locked.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action=DISCLOSURE_CODE_REVOKE, obj=locked, request=request)
    return locked


def _refused() -> NotFoundError:
    # One message for every failure: a caller must not learn which part was wrong.
    return NotFoundError(
        "access_refused",
        _("统一社会信用代码或授权查询码不正确，或查询码已过期、已作废"),
        {"code": "refused"},
    )


def disclosure_code_use(
    *, uscc: str, code: str, request: HttpRequest | None = None
) -> DisclosureAccess:
    """A company opens its file on the portal with its USCC and code. Each use
    counts and is audited; each refusal is audited too (without the code), in
    its own transaction, so that the error does not roll it back."""
    uscc = (uscc or "").strip().upper()
    now = clock.now()
    candidate = (
        DisclosureAccess.objects.select_related("subject")
        .filter(kind=Kind.CODE, code_digest=_digest(code or ""))
        .first()
    )
    valid = (
        candidate is not None
        and hmac.compare_digest(candidate.subject.uscc or "", uscc)
        and candidate.revoked_at is None
        and candidate.expires_at > now
    )
    if not valid or candidate is None:
        audit_record(
            action=DISCLOSURE_CODE_REFUSE,
            actor=Actor(kind=ActorKind.ANONYMOUS, label=_("公众")),
            object_id=uscc[:18],
            object_label=uscc[:18],
            after={"access_id": candidate.pk if candidate else None},
            request=request,
        )
        raise _refused()
    with transaction.atomic():
        DisclosureAccess.objects.filter(pk=candidate.pk).update(
            uses=F("uses") + 1, last_used_at=now
        )
        candidate.refresh_from_db(fields=["uses", "last_used_at"])
        audit_record(
            action=DISCLOSURE_CODE_USE,
            actor=Actor(kind=ActorKind.ANONYMOUS, label=_("信息主体（%(uscc)s）") % {"uscc": uscc}),
            obj=candidate,
            after={"subject_id": candidate.subject_id, "uses": candidate.uses},
            request=request,
        )
    return candidate


def access_valid(access: DisclosureAccess, *, user: User | None = None) -> bool:
    """Whether the grant still opens the file now (a counter grant: only for its clerk)."""
    if access.revoked_at is not None or access.expires_at <= clock.now():
        return False
    if access.kind == Kind.COUNTER:
        return user is not None and user.is_authenticated and user.pk == access.issued_by_id
    return True


def disclosure_view(
    *, access: DisclosureAccess, user: User | None, request: HttpRequest | None, printed: bool
) -> None:
    """Audit one look at a subject's file (the page or its print version)."""
    actor = (
        user
        if user is not None and user.is_authenticated
        else Actor(kind=ActorKind.ANONYMOUS, label=_("信息主体（授权查询码）"))
    )
    audit_record(
        actor=actor,
        action=DISCLOSURE_VIEW,
        obj=access,
        after={"subject_id": access.subject_id, "print": printed},
        request=request,
    )
