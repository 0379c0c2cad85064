"""The assessment scheme: revised as a new version, never edited in place."""

from collections.abc import Mapping

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError
from xinyong.orgs.models import User
from xinyong.orgs.permissions import ensure_credit_office
from xinyong.oversight.audit_actions import SCHEME_REVISE
from xinyong.oversight.indicators.registry import indicators
from xinyong.oversight.models import AssessmentScheme

TOTAL_WEIGHT = 100


@transaction.atomic
def scheme_revise(
    *,
    actor: User,
    name: str,
    entries: Mapping[str, Mapping[str, float]],
    praise_at: int,
    criticise_below: int,
    note: str,
) -> AssessmentScheme:
    """A new version of the scheme: every weight a whole number of points,
    adding up to 100; every target a rate in (0, 1]; the reason given."""
    ensure_credit_office(actor)
    known = {i.code: i for i in indicators()}
    errors: dict[str, str] = {}
    clean: dict[str, dict[str, float]] = {}
    for code, entry in entries.items():
        if code not in known:
            errors[code] = _("未知指标：%(c)s") % {"c": code}
            continue
        label = str(known[code].label)
        try:
            weight = int(entry.get("weight", 0))
            target = float(entry.get("target", known[code].target))
        except (TypeError, ValueError):
            errors[code] = _("%(l)s：权重和目标值应为数字") % {"l": label}
            continue
        if weight < 0:
            errors[code] = _("%(l)s：权重不能为负数") % {"l": label}
        elif not 0 < target <= 1:
            errors[code] = _("%(l)s：目标值应大于 0%% 且不超过 100%%") % {"l": label}
        else:
            clean[code] = {"weight": weight, "target": target}
    total = sum(int(e["weight"]) for e in clean.values())
    if not errors and total != TOTAL_WEIGHT:
        errors["weights"] = _("各指标权重之和应为 100 分，现为 %(t)d 分") % {"t": total}
    if not 0 <= criticise_below < praise_at <= 100:
        errors["thresholds"] = _("表扬分数线应高于通报批评分数线，且不超过 100 分")
    if not name.strip():
        errors["name"] = _("请填写方案名称")
    if not note.strip():
        errors["note"] = _("请填写修订说明")
    if errors:
        raise ApplicationError("invalid_scheme", next(iter(errors.values())), errors)
    version = (AssessmentScheme.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    scheme = AssessmentScheme.objects.create(
        version=version,
        name=name.strip(),
        entries=clean,
        praise_at=praise_at,
        criticise_below=criticise_below,
        note=note.strip(),
        created_at=clock.now(),
        created_by=actor,
    )
    audit_record(
        action=SCHEME_REVISE,
        actor=actor,
        obj=scheme,
        after={
            "version": version,
            "entries": clean,
            "praise_at": praise_at,
            "criticise_below": criticise_below,
        },
        reason=note.strip(),
    )
    return scheme
