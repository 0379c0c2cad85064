"""Demo 专项治理: one campaign (食品药品) led by the market regulator, a few
targets in mixed states (one linked to a signed 信用承诺书 when the rights
demo made one). Idempotent: nothing is added once the campaign exists."""

import datetime as dt

from django.core.management.base import OutputWrapper

from xinyong.core import clock
from xinyong.core.identifiers import uscc_with_checks
from xinyong.orgs.models import Department, User
from xinyong.oversight.campaigns.services import (
    campaign_create,
    campaign_target_add,
    target_commitment_set,
    target_exit,
    target_rectify,
)
from xinyong.oversight.models import Campaign
from xinyong.rights.models import Commitment

NAME = "食品药品安全领域失信问题专项治理"
TARGETS = [
    ("神农架林区示范食品有限公司", "9142900000000001"),
    ("神农架林区示范药房有限公司", "9142900000000002"),
    ("神农架林区示范餐饮管理有限公司", "9142900000000003"),
    ("神农架林区示范超市有限公司", "9142900000000004"),
]


def load(*, seed: int, stdout: OutputWrapper) -> None:
    if Campaign.objects.filter(name=NAME).exists():
        return
    admin = User.objects.filter(username="admin").first()
    lead = Department.objects.filter(short_code="scjg").first()
    if admin is None or lead is None:
        return
    today = clock.today()
    start = today - dt.timedelta(days=90)
    campaign = campaign_create(
        actor=admin,
        name=NAME,
        basis="《关于开展食品药品安全领域失信问题专项治理的通知》",
        lead_department=lead,
        starts_on=start,
        ends_on=today + dt.timedelta(days=90),
    )
    targets = [
        campaign_target_add(actor=admin, campaign=campaign, name=n, code=uscc_with_checks(c))
        for n, c in TARGETS
    ]
    signed = Commitment.objects.select_related("subject").filter(subject__uscc__isnull=False)
    first = signed.order_by("id").first()
    if first is not None and first.subject.uscc:
        targets.append(
            campaign_target_add(
                actor=admin, campaign=campaign, name=first.subject.name, code=first.subject.uscc
            )
        )
    done = start + dt.timedelta(days=30)
    target_commitment_set(actor=admin, target=targets[0], committed=True)
    target_rectify(
        actor=admin, target=targets[0], status="done", on=done, note="已下架问题食品并完成培训"
    )
    target_exit(actor=admin, target=targets[0], on=done + dt.timedelta(days=15))
    target_rectify(actor=admin, target=targets[1], status="done", on=done, note="已补办许可")
    target_rectify(actor=admin, target=targets[2], status="in_progress", on=done, note="正在整改")
    stdout.write(
        f"专项治理演示数据：{NAME}，{len(targets)} 个治理对象"
        f"（见 /staff/oversight/campaigns/{campaign.pk}/）。"
    )
