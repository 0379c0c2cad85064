"""联合奖惩核查: one subject (page, API, command line) or a bulk file of bidders.

A check answers, for each list entry in force of each subject the query
names: the list, the entry, how the subject matched, the measures of the
domain asked (mandatory or discretionary, basis, implementing body), the
red-list rewards, the subject's serious records still within their
disclosure period, and the objection status. Every check is logged (a
`Check` row, kept as answered) and audited, in the same transaction.

Statements for one check: the subjects (≤ 3, `matching`), the entries
(`lists.selectors.entries_in_force`: 2, the objection flags with them), the
serious records (1, only when something hit), then the INSERTs. The reference data (domains,
measures) is held per process (`reference`).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import Actor, audit_record
from xinyong.core.db import bulk
from xinyong.core.errors import ApplicationError, PermissionDeniedError
from xinyong.core.workdays import add_workdays
from xinyong.lists.models import ListEntry
from xinyong.lists.selectors import EntryView, entries_in_force
from xinyong.orgs.models import ApiToken, Department, User
from xinyong.sanctions import matching, selectors
from xinyong.sanctions.audit_actions import CHECK_RUN
from xinyong.sanctions.models import Check, CheckedSubject
from xinyong.sanctions.reference import DomainView, Reference, domain_get, reference

REVIEW_LABEL = "需人工核实"
OBJECTION_LABEL = "异议处理中"
REPAIR_LABEL = "信用修复申请处理中"
NONE_LABEL = "无"
KIND_LABELS = {"red": "红名单", "black": "黑名单", "watch": "重点关注名单"}
# Who may check: officers (审批/执法人员), department administrators and the credit office.
CHECK_ROLES = frozenset({User.Role.OFFICER, User.Role.DEPARTMENT_ADMIN, User.Role.CREDIT_ADMIN})

CheckActor = User | ApiToken | Actor


@dataclass(slots=True)
class CheckOutcome:
    check: Check
    query: str
    matches: list[matching.Match]
    problems: list[matching.Problem]
    hits: list[dict[str, Any]] = field(default_factory=list)
    domain_code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "check_id": self.check.pk,
            "query": self.query,
            "domain": self.domain_code,
            "matter": self.check.matter,
            "subjects": [_subject_dict(m) for m in self.matches],
            "problems": [{"field": p.field, "message": p.message} for p in self.problems],
            "needs_review": self.check.needs_review,
            "feedback_due": self.check.feedback_due.isoformat()
            if self.check.feedback_due
            else None,
            "hits": self.hits,
        }


def _subject_dict(m: matching.Match) -> dict[str, Any]:
    return {
        "id": m.subject_id,
        "name": m.subject_name,
        "kind": m.subject_kind,
        "uscc": m.uscc,
        "id_masked": m.id_masked,
        "matched_by": _matched_by(m),
    }


def _matched_by(m: matching.Match) -> dict[str, Any]:
    return {
        "method": m.method,
        "label": matching.METHOD_LABELS[m.method],
        "query_value": m.query_value,
        "entry_value": m.subject_value,
        "needs_review": m.needs_review,
    }


def ensure_may_check(actor: CheckActor, department: Department | None) -> None:
    if isinstance(actor, User):
        if not (actor.is_authenticated and actor.is_active) or (
            actor.role not in CHECK_ROLES and not actor.is_superuser
        ):
            raise PermissionDeniedError(
                "forbidden", _("只有审批/执法人员、部门管理员或信用办可以进行联合奖惩核查")
            )
        if department is None:
            raise ApplicationError(
                "department_required", _("核查需以部门名义进行：您的账号未关联部门")
            )


def _hit(
    entry: EntryView,
    match: matching.Match,
    domain: DomainView | None,
    ref: Reference,
    serious: list[dict[str, Any]],
) -> dict[str, Any]:
    key_domains = [domain.code] if domain is not None else list(ref.domains)
    measures = [
        m.as_dict() for code in key_domains for m in ref.measures.get((entry.list_code, code), ())
    ]
    rewards = [
        m.as_dict() for code in key_domains for m in ref.rewards.get((entry.list_code, code), ())
    ]
    # Under objection: the feeding record (records' `disputed`, set by the rights
    # app) or the entry decided here (`ListEntry.challenge`); under repair: the entry.
    is_disputed = entry.disputed or entry.challenge == ListEntry.Challenge.OBJECTION
    in_repair = entry.challenge == ListEntry.Challenge.REPAIR
    return {
        "subject": _subject_dict(match),
        "list": {
            "code": entry.list_code,
            "name": entry.list_name,
            "kind": entry.kind,
            "kind_label": KIND_LABELS.get(entry.kind, entry.kind),
        },
        "entry": {
            "id": entry.entry_id,
            "record_id": entry.record_id,
            "decider": entry.decider,
            "document_number": entry.document_number,
            "listed_on": entry.listed_on.isoformat() if entry.listed_on else None,
            "valid_until": entry.valid_until.isoformat() if entry.valid_until else None,
            "valid_until_text": entry.valid_until.isoformat() if entry.valid_until else "至移出",
            "removal_conditions": entry.removal_conditions,
        },
        "matched_by": _matched_by(match),
        "needs_review": match.needs_review,
        "review_label": REVIEW_LABEL if match.needs_review else "",
        "measures": measures,
        "rewards": rewards if entry.kind == "red" else [],
        "serious_records": serious,
        "status": {
            "disputed": is_disputed,
            "objection": OBJECTION_LABEL if is_disputed else NONE_LABEL,
            "repair": REPAIR_LABEL if in_repair else NONE_LABEL,
        },
    }


def build_hits(
    resolutions: list[matching.Resolution], domain: DomainView | None, today: dt.date
) -> list[list[dict[str, Any]]]:
    """The hits of each resolution, all read together (a bulk check's whole file)."""
    ref = reference()
    subject_ids = sorted({m.subject_id for r in resolutions for m in r.matches})
    if not subject_ids:
        return [[] for _r in resolutions]
    entries: dict[int, list[EntryView]] = {}
    for entry in entries_in_force(subject_ids=subject_ids, on=today):
        entries.setdefault(entry.subject_id, []).append(entry)
    hit_ids = sorted(entries)
    serious = selectors.serious_records(subject_ids=hit_ids, on=today) if hit_ids else {}
    return [
        [
            _hit(entry, match, domain, ref, serious.get(match.subject_id, []))
            for match in resolution.matches
            for entry in entries.get(match.subject_id, ())
        ]
        for resolution in resolutions
    ]


def feedback_due(domain: DomainView | None, today: dt.date) -> dt.date:
    workdays = domain.feedback_workdays if domain is not None else 5
    return add_workdays(today, workdays).date


@transaction.atomic
def check_run(
    *,
    actor: CheckActor,
    department: Department | None,
    domain_code: str | None,
    matter: str,
    query: matching.Query,
    channel: str,
    request: HttpRequest | None = None,
) -> CheckOutcome:
    """Check one subject before a decision, log it and audit it.

    `domain_code` None (the command line only) shows the measures of every
    domain. An unknown domain is refused listing the valid ones; a query
    whose every code is malformed and that has no name is refused with the
    code check's reasons."""
    ensure_may_check(actor, department)
    domain = domain_get(domain_code) if domain_code is not None else None
    if query.is_empty():
        raise ApplicationError(
            "query_required", _("核查对象：请填写统一社会信用代码、旧代码、身份证号码或名称")
        )
    resolution = matching.resolve(query)
    if resolution.problems and not resolution.matches and not query.name.strip():
        raise ApplicationError(
            "invalid_code",
            matching.problems_text(resolution.problems),
            {"problems": [{"field": p.field, "message": p.message} for p in resolution.problems]},
        )
    today = clock.today()
    hits = build_hits([resolution], domain, today)[0]
    check = _new_check(actor, department, domain, matter, query, channel, resolution, hits, today)
    insert_checks([check])
    _write_checked([check], [resolution], department, today)
    audit_record(
        actor=actor,
        action=CHECK_RUN,
        obj=check,
        object_label=check.query,
        after={
            "domain": domain.code if domain else None,
            "matter": matter,
            "hits": len(hits),
            "subjects": check.subject_ids,
            "person": any(m.subject_kind == "person" for m in resolution.matches)
            or bool(query.id_number),
        },
        request=request,
    )
    return CheckOutcome(
        check,
        check.query,
        resolution.matches,
        resolution.problems,
        hits,
        domain.code if domain is not None else None,
    )


def _new_check(
    actor: CheckActor,
    department: Department | None,
    domain: DomainView | None,
    matter: str,
    query: matching.Query,
    channel: str,
    resolution: matching.Resolution,
    hits: list[dict[str, Any]],
    today: dt.date,
    **extra: Any,
) -> Check:
    return Check(
        created_at=clock.now(),
        channel=channel,
        officer=actor if isinstance(actor, User) else None,
        token=actor if isinstance(actor, ApiToken) else None,
        department=department,
        domain_id=domain.id if domain else None,
        matter=(matter or "").strip()[:200],
        query=query.shown(),
        query_digest="",
        subject_ids=[m.subject_id for m in resolution.matches],
        hit_count=len(hits),
        hits=hits,
        needs_review=any(m.needs_review for m in resolution.matches),
        feedback_due=feedback_due(domain, today) if hits and department is not None else None,
        **extra,
    )


# The columns of a `Check` as `insert_checks` writes them.
_CHECK_FIELDS = (
    "created_at", "channel", "officer", "token", "department", "domain", "matter", "batch",
    "row", "query", "query_digest", "subject_ids", "hit_count", "hits", "needs_review",
    "feedback_due",
)  # fmt: skip


def insert_checks(checks: list[Check]) -> None:
    """INSERT new checks (one, or a bulk file's 10,000) and set their ids.

    SQL intent: one multi-row INSERT … RETURNING id (`core.db.bulk.insert`:
    UNNEST of binary arrays on PostgreSQL), the JSON columns as text. Django's
    `bulk_create` sent the answers' JSON as a text array that psycopg escaped
    character by character: most of a bulk check's time on PostgreSQL."""
    rows = [
        (
            bulk.db_datetime(c.created_at), c.channel, c.officer_id, c.token_id, c.department_id,
            c.domain_id, c.matter, c.batch_id, c.row, c.query, c.query_digest,
            orjson.dumps(c.subject_ids).decode(), c.hit_count, orjson.dumps(c.hits).decode(),
            c.needs_review, c.feedback_due,
        )
        for c in checks
    ]  # fmt: skip
    for check, pk in zip(
        checks, bulk.insert(Check, _CHECK_FIELDS, rows, returning=True), strict=True
    ):
        check.pk = pk
        check._state.adding = False
        check._state.db = DEFAULT_DB_ALIAS


def _write_checked(
    checks: list[Check],
    resolutions: list[matching.Resolution],
    department: Department | None,
    today: dt.date,
) -> None:
    """Index the subjects checked, for the 应查尽查 coverage."""
    if department is None:
        return
    # SQL intent: one multi-row INSERT (core.db.bulk), no model instances.
    bulk.insert(
        CheckedSubject,
        ["check_run", "subject", "department", "checked_on"],
        [
            (check.pk, m.subject_id, department.pk, today)
            for check, resolution in zip(checks, resolutions, strict=True)
            for m in resolution.matches
        ],
    )
