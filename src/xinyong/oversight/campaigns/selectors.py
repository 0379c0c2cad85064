"""Reads of 专项治理: the campaigns a user may see, and the rates."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from xinyong.orgs.models import User
from xinyong.oversight.models import Campaign, CampaignTarget

# The plan asks for every target rectified and exited (工作要点: 整改率、退出率 100%).
PLAN_RATE = 1.0


@dataclass(frozen=True)
class Rates:
    targets: int
    committed: int
    rectifying: int
    rectified: int
    exited: int

    @staticmethod
    def _rate(n: int, d: int) -> float | None:
        return n / d if d else None

    @property
    def rectification_rate(self) -> float | None:
        return self._rate(self.rectified, self.targets)

    @property
    def exit_rate(self) -> float | None:
        return self._rate(self.exited, self.targets)

    @property
    def commitment_rate(self) -> float | None:
        return self._rate(self.committed, self.targets)

    @property
    def rectification_gap(self) -> int:
        """Targets still to rectify to reach the plan's 100%."""
        return self.targets - self.rectified

    @property
    def exit_gap(self) -> int:
        return self.targets - self.exited


def campaigns_for(user: User) -> QuerySet[Campaign]:
    qs = Campaign.objects.select_related("lead_department")
    if user.is_credit_office:
        return qs
    return qs.filter(lead_department_id=user.department_id) if user.department_id else qs.none()


def campaign_rates(campaign: Campaign, *, on: dt.date | None = None) -> Rates:
    """The campaign's counts as they stood at the end of `on` (default: now)."""
    qs = CampaignTarget.objects.filter(campaign=campaign)
    rectified = Q(rectification=CampaignTarget.Rectification.DONE)
    exited = Q(exit=CampaignTarget.Exit.EXITED)
    rectifying = Q(rectification=CampaignTarget.Rectification.IN_PROGRESS)
    if on is not None:
        qs = qs.filter(added_on__lte=on)
        rectified &= Q(rectification_on__lte=on)
        exited &= Q(exited_on__lte=on)
        rectifying &= Q(rectification_on__lte=on)
    got = qs.aggregate(
        n=Count("id"),
        c=Count("id", filter=Q(committed=True)),
        p=Count("id", filter=rectifying),
        r=Count("id", filter=rectified),
        e=Count("id", filter=exited),
    )
    return Rates(got["n"], got["c"], got["p"], got["r"], got["e"])
