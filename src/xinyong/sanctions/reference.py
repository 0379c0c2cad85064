"""The reference data a check reads on every call, held per process.

Domains, memoranda and measures are a few hundred rows that the credit
office edits rarely (in the admin): each process keeps them for at most
`TTL` seconds, and forgets them at once when one is saved or deleted in
this process (`connect_signals`). Another process sees an edit within `TTL`.
"""

import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext as _

from xinyong.core.errors import ApplicationError
from xinyong.sanctions.models import ActionDomain, Measure, Memorandum

TTL = 60.0


@dataclass(frozen=True, slots=True)
class MeasureView:
    id: int
    memorandum: str
    document_number: str
    number: int
    domain: str
    content: str
    targets: str
    force: str
    force_label: str
    legal_basis: str
    implementing_body: str
    is_reward: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "memorandum": self.memorandum,
            "document_number": self.document_number,
            "number": self.number,
            "domain": self.domain,
            "content": self.content,
            "targets": self.targets,
            "force": self.force,
            "force_label": self.force_label,
            "legal_basis": self.legal_basis,
            "implementing_body": self.implementing_body,
        }


@dataclass(frozen=True, slots=True)
class DomainView:
    id: int
    code: str
    name: str
    feedback_workdays: int


@dataclass(slots=True)
class Reference:
    loaded_at: float
    domains: dict[str, DomainView]
    # (list code, domain code) → measures, punishments and rewards apart.
    measures: dict[tuple[str, str], list[MeasureView]]
    rewards: dict[tuple[str, str], list[MeasureView]]


_lock = threading.Lock()
_current: list[Reference] = []


def _load() -> Reference:
    domains = {
        d.code: DomainView(d.pk, d.code, d.name, d.feedback_workdays)
        for d in ActionDomain.objects.all()
    }
    measures: dict[tuple[str, str], list[MeasureView]] = defaultdict(list)
    rewards: dict[tuple[str, str], list[MeasureView]] = defaultdict(list)
    memoranda = {m.pk: m for m in Memorandum.objects.filter(is_active=True)}
    for m in Measure.objects.filter(memorandum__in=list(memoranda)).select_related("domain"):
        memo = memoranda[m.memorandum_id]
        view = MeasureView(
            id=m.pk,
            memorandum=memo.title,
            document_number=memo.document_number,
            number=m.number,
            domain=m.domain.code,
            content=m.content,
            targets=m.targets,
            force=m.force,
            force_label=str(Measure.Force(m.force).label),
            legal_basis=m.legal_basis,
            implementing_body=m.implementing_body,
            is_reward=m.is_reward,
        )
        for list_code in memo.list_code_set:
            (rewards if m.is_reward else measures)[(list_code, m.domain.code)].append(view)
    return Reference(time.monotonic(), domains, dict(measures), dict(rewards))


def reference() -> Reference:
    with _lock:
        if not _current or time.monotonic() - _current[0].loaded_at > TTL:
            _current[:] = [_load()]
        return _current[0]


def forget(**_kwargs: object) -> None:
    with _lock:
        _current.clear()


def connect_signals() -> None:
    for model in (ActionDomain, Memorandum, Measure):
        post_save.connect(forget, sender=model, dispatch_uid=f"sanctions.forget.{model.__name__}")
        post_delete.connect(
            forget, sender=model, dispatch_uid=f"sanctions.forget_del.{model.__name__}"
        )
    m2m_changed.connect(
        forget, sender=Measure.departments.through, dispatch_uid="sanctions.forget.m2m"
    )


def domain_get(code: str) -> DomainView:
    """The domain of a code; an unknown code is refused listing the valid ones."""
    domains = reference().domains
    found = domains.get((code or "").strip().upper())
    if found is None:
        valid = [{"code": d.code, "name": d.name} for d in domains.values()]
        raise ApplicationError(
            "unknown_domain",
            _("未知的领域代码“%(code)s”，可选：%(valid)s")
            % {"code": code, "valid": "、".join(f"{d.code}（{d.name}）" for d in domains.values())},
            {"valid": valid},
        )
    return found
