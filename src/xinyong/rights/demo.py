"""Demo commitments and repair training: 审批替代型 commitments received by
market regulation (one kept, one breached, which makes a 违背信用承诺 record),
主动型 ones on the portal, 信用修复型 ones from blacklisted companies, a
session held today with attendance and certificates, and one to come.
Idempotent: nothing is added once any commitment exists."""

import datetime as dt

from django.core.management.base import OutputWrapper

from xinyong.core import clock
from xinyong.lists.models import ListEntry, ListType
from xinyong.orgs.models import User
from xinyong.rights.models import Commitment
from xinyong.rights.services.commitment_fulfilment import commitment_breach, commitment_fulfil
from xinyong.rights.services.commitments import (
    Signer,
    commitment_record,
)
from xinyong.rights.services.training import training_enrol, training_mark, training_session_create
from xinyong.subjects.models import Subject


def _signer(subject: Subject) -> Signer:
    return Signer(
        kind="legal", name=subject.name, code=subject.uscc or "", phone="0719-3330000",
        contact_name="王经理",
    )  # fmt: skip


def load(*, seed: int, stdout: OutputWrapper) -> None:
    if Commitment.objects.exists():
        stdout.write("信用承诺演示数据已存在，跳过。")
        return
    users = {u.username: u for u in User.objects.filter(username__in=["scjg_clerk", "admin"])}
    if len(users) < 2:
        return
    clerk, admin = users["scjg_clerk"], users["admin"]
    department = clerk.department
    if department is None:
        return
    today = clock.today()
    black = list(
        ListEntry.objects.in_force(today)
        .filter(list_type__kind=ListType.Kind.BLACK, subject__uscc__isnull=False)
        .values_list("subject_id", flat=True)
        .order_by("id")[:4]
    )
    companies = list(
        Subject.objects.live()
        .filter(kind=Subject.Kind.LEGAL, uscc__isnull=False)
        .exclude(pk__in=black)
        .order_by("id")[:6]
    )
    made: list[Commitment] = []

    def record(subject: Subject, type_: str, matter: str, days_ago: int) -> Commitment:
        c = commitment_record(
            actor=clerk, department=department, type=type_, signer=_signer(subject),
            signed_on=today - dt.timedelta(days=days_ago), matter=matter,
        )  # fmt: skip
        made.append(c)
        return c

    approvals = [
        record(s, "approval", "食品经营许可（告知承诺制）", 40 + n)
        for n, s in enumerate(companies[:3])
    ]
    for n, s in enumerate(companies[3:5]):
        record(s, "voluntary", "诚信经营、明码标价、不销售假冒伪劣商品", 20 + n)
    for n, subject in enumerate(Subject.objects.filter(pk__in=black[:2]).order_by("id")):
        record(subject, "repair", "申请移出严重失信主体名单", 10 + n)
    if approvals:
        commitment_fulfil(
            actor=clerk, commitment=approvals[0], facts="经现场核查，经营场所和设施与承诺一致。"
        )
    if len(approvals) > 1:
        commitment_breach(
            actor=clerk,
            commitment=approvals[1],
            facts="经现场核查，经营场所与承诺不符，未取得健康证明的人员从事接触直接入口食品工作。",
        )
    held = training_session_create(
        actor=admin, organiser=admin.department or department, title="2026年第一期信用修复培训",
        held_on=today, mode="onsite", place="林区政务服务中心三楼会议室", capacity=40,
    )  # fmt: skip
    training_session_create(
        actor=admin, organiser=admin.department or department, title="2026年第二期信用修复培训（线上）",
        held_on=today + dt.timedelta(days=14), mode="online",
        place="https://meeting.example.cn/xyxf-02", capacity=100,
    )  # fmt: skip
    for n, subject in enumerate(Subject.objects.filter(pk__in=black).order_by("id")):
        e = training_enrol(actor=admin, session=held, subject=subject, participant="法定代表人")
        training_mark(actor=admin, enrolment=e, attended=n % 2 == 0)
    stdout.write(f"信用承诺 {len(made)} 件（含违诺 1 件），信用修复培训 2 期。")
