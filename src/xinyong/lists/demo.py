"""Demo lists: the shipped list types get their deciding departments, and a
few entries walk the procedure through the real services, on past days, so
that every state shows (拟列入, 已告知, 异议中, 已决定 and published, 已移出,
已撤回, 已到期) with its audit rows, notices and decisions. 失信被执行人 and
A级纳税人 come from the intake's SXBZX and NSXYA records."""

import datetime as dt
from dataclasses import dataclass

from django.core.management.base import OutputWrapper

from xinyong.core import clock
from xinyong.lists import services
from xinyong.lists.builtin import attach_default_deciders
from xinyong.lists.models import ListEntry, ListType
from xinyong.orgs.models import Department, User
from xinyong.records.models import Record
from xinyong.subjects.models import Subject


@dataclass(frozen=True)
class Plan:
    code: str
    department: str  # short code of the deciding department
    target: str  # the state to reach
    days_ago: int  # when the proposal was made
    reasons: str


PLANS = [
    Plan(
        "SCJGYZWF",
        "scjg",
        "published",
        120,
        "一年内因销售不符合食品安全标准的食品受到两次较重行政处罚，拒不改正。",
    ),
    Plan("SCJGYZWF", "scjg", "published", 60, "提供虚假材料骗取食品经营许可，情节严重。"),
    Plan("SCJGYZWF", "scjg", "notified", 2, "未按规定公示年度报告且拒不改正，拟列入。"),
    Plan("SCJGYZWF", "scjg", "objected", 4, "无照经营，经责令仍不改正。"),
    Plan(
        "TQNMGGZ",
        "renshe",
        "published",
        90,
        "克扣、无故拖欠农民工工资达到认定拒不支付劳动报酬罪数额标准。",
    ),
    Plan(
        "TQNMGGZ",
        "renshe",
        "removed",
        300,
        "拖欠42名农民工工资共计68万元，经责令限期支付仍未支付。",
    ),
    Plan("TQNMGGZ", "renshe", "proposed", 1, "拖欠农民工工资引发群体性事件。"),
    Plan("ZDSSWF", "shuiwu", "published", 80, "虚开增值税专用发票，达到重大税收违法失信主体标准。"),
    Plan("ZDSSWF", "shuiwu", "withdrawn", 40, "逃避追缴欠税，拟列入。"),
    Plan("AQSCYZSX", "yingji", "published", 50, "发生较大生产安全责任事故。"),
    Plan("AQSCYZSX", "yingji", "expired", 365 * 3 + 60, "未按规定开展安全生产风险辨识，造成事故。"),
    Plan(
        "SHTZXY",
        "scjg",
        "published",
        70,
        "合同信用管理制度健全，近两年合同履约率100%，经公示无异议。",
    ),
    Plan("SHTZXY", "scjg", "published", 30, "合同履约状况良好，无失信记录，经公示无异议。"),
    Plan("HGGJRZ", "xyb", "published", 20, "经海关认证为高级认证企业（依海关公告登记）。"),
]


def _actor(department: Department) -> User:
    """A clerk of the deciding department, or the credit office's administrator."""
    user = User.objects.filter(department=department, role=User.Role.CLERK).first()
    return user or User.objects.filter(role=User.Role.CREDIT_ADMIN).order_by("id").first()  # type: ignore[return-value]


def _subject(department: Department) -> Subject | None:
    """A company of the demo registry on no list yet, one with records of the
    deciding department if there is one (they become the evidence)."""
    free = Subject.objects.filter(kind=Subject.Kind.LEGAL, uscc__isnull=False).exclude(
        pk__in=ListEntry.objects.values("subject_id")
    )
    with_records = free.filter(
        pk__in=Record.objects.filter(department=department, status="active").values("subject_id")
    )
    return with_records.order_by("id").first() or free.order_by("id").first()


def _walk(plan: Plan, list_type: ListType, subject: Subject, department: Department) -> ListEntry:
    actor = _actor(department)
    today = clock.today()
    start = today - dt.timedelta(days=plan.days_ago)
    evidence = list(
        Record.objects.filter(subject=subject, department=department, status="active")
        .order_by("-decision_date")
        .values_list("pk", flat=True)[:2]
    )
    with clock.pinned(start):
        entry = services.list_entry_propose(
            actor=actor,
            list_type=list_type,
            subject=subject,
            reasons=plan.reasons,
            evidence=evidence if not actor.is_credit_office else [],
            department=department,
        )
    if plan.target == "proposed":
        return entry
    with clock.pinned(start):
        entry = services.list_entry_notify(actor=actor, entry=entry)
    if plan.target == "notified":
        return entry
    if plan.target in ("objected", "withdrawn"):
        with clock.pinned(start + dt.timedelta(days=1)):
            entry = services.list_entry_object(
                actor=actor, entry=entry, text="当事人提出异议：相关处罚决定正在行政复议中。"
            )
        if plan.target == "objected":
            return entry
        with clock.pinned(start + dt.timedelta(days=3)):
            return services.list_entry_answer_objection(
                actor=actor, entry=entry, accept=True, answer="经核实，异议成立，撤回拟列入。"
            )
    decided_on = (entry.objection_until or start) + dt.timedelta(days=1)
    number = f"神{department.short_code}决〔{decided_on.year}〕{entry.pk}号"
    with clock.pinned(decided_on):
        entry = services.list_entry_decide(actor=actor, entry=entry, document_number=number)
        entry = services.list_entry_publish(actor=actor, entry=entry)
    if plan.target == "removed":
        first = entry.early_removal_from()
        if first is not None and first <= today:
            with clock.pinned(first):
                entry = services.list_entry_remove_early(
                    actor=actor,
                    entry=entry,
                    reason="已足额支付拖欠工资，作出信用承诺，申请提前移出。",
                )
    return entry


def load(*, seed: int, stdout: OutputWrapper) -> None:
    attach_default_deciders()
    if ListEntry.objects.exists():
        stdout.write("名单演示数据已存在，跳过。")
        return
    made = 0
    for plan in PLANS:
        list_type = ListType.objects.filter(code=plan.code).first()
        department = Department.objects.filter(short_code=plan.department).first()
        subject = _subject(department) if department is not None else None
        if list_type is None or department is None or subject is None:
            continue
        _walk(plan, list_type, subject, department)
        made += 1
    expired = services.list_entries_expire(clock.today())
    stdout.write(f"名单演示数据：{made} 个名单条目（其中 {expired} 个已到期）。")
