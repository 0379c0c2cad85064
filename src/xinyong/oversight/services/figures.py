"""The month's figures on the portal (政务公开 · 月度数据): the credit office
publishes them, or takes them down, apart from the 通报."""

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.errors import ApplicationError
from xinyong.orgs.models import User
from xinyong.orgs.permissions import ensure_credit_office
from xinyong.oversight.audit_actions import FIGURES_PUBLISH, FIGURES_UNPUBLISH
from xinyong.oversight.models import FiguresRelease, MonthlyFigures
from xinyong.oversight.periods import Month


@transaction.atomic
def figures_publish(
    *, actor: User, month: Month, publish: bool, request: HttpRequest | None = None
) -> FiguresRelease:
    """Show the month's stored figures (district totals, per department, the
    CSV) on the portal, or take them down: the credit office's choice. Only
    a month whose figures are stored (by its 通报) can be published."""
    ensure_credit_office(actor)
    if publish and not MonthlyFigures.objects.filter(month=month.start).exists():
        raise ApplicationError(
            "no_figures", _("%(m)s尚无月度指标，请先生成该月通报") % {"m": month.label}
        )
    now = clock.now()
    release, _created = FiguresRelease.objects.select_for_update().get_or_create(
        month=month.start, defaults={"changed_at": now}
    )
    if publish == (release.published_at is not None):
        raise ApplicationError(
            "no_change",
            _("%(m)s的月度数据已在门户公开") % {"m": month.label}
            if publish
            else _("%(m)s的月度数据未在门户公开") % {"m": month.label},
        )
    before = {"published_at": release.published_at.isoformat() if release.published_at else None}
    release.published_at = now if publish else None
    release.changed_at = now
    release.changed_by = actor
    release.save(update_fields=["published_at", "changed_at", "changed_by"])
    audit_record(
        action=FIGURES_PUBLISH if publish else FIGURES_UNPUBLISH,
        actor=actor,
        obj=release,
        before=before,
        after={
            "month": str(month),
            "published_at": release.published_at.isoformat() if release.published_at else None,
        },
        request=request,
    )
    return release
