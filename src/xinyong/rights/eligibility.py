"""Whether a record may be repaired, and why not: computed and shown before
the applicant submits (the portal's repair page), and checked again when it
does (`services.repair.repair_submit`).

The conditions (国家发展改革委令第36号, DOMAIN §3 and §7):

- the record is negative information still published (a record already out
  of the public view needs no repair);
- a repair rule applies to it (`RepairRule`, the record's item or general);
- its 处罚类别 is repairable (the rule's list of categories that may not end
  early, e.g. 吊销许可证件 under 市场监管总局令第45号);
- the shortest disclosure period of its tier has passed (the tier and the
  rule set stored with the record; counted as the rule set counts, from the
  decision or from publication, 民法典 art. 201–202), with the first day an
  application is accepted;
- where the rule says so, the training attended: read from the training
  records (an 已参训 enrolment of the subject in a session held by today),
  met or not met here, and read again by the decision (`repair_approve`);
- obligations fulfilled and the commitment signed: told to the applicant
  here, proved by the application (evidence; `commitment: true` records a
  信用修复型 commitment with the type's current text) and confirmed by the
  decider.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from xinyong.core import clock
from xinyong.records.disclosure.rules import Rules, Tier, current_categories
from xinyong.records.disclosure.windows import add_months
from xinyong.records.models import DisclosureRuleSet, Record
from xinyong.rights.models import RepairRule, TrainingEnrolment

PASS, FAIL, TODO = "pass", "fail", "todo"


@dataclass(frozen=True, slots=True)
class Condition:
    key: str
    label: str
    state: str  # PASS / FAIL / TODO (the applicant proves it, the decider confirms)
    text: str


@dataclass(slots=True)
class Eligibility:
    """A record's repair eligibility on `today`."""

    record: Record
    today: dt.date
    rule: RepairRule | None = None
    tier: Tier | None = None
    rule_set_name: str = ""
    period_start: dt.date | None = None
    # The last day of the shortest period, and the first day to apply.
    min_period_ends: dt.date | None = None
    eligible_from: dt.date | None = None
    conditions: list[Condition] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not any(c.state == FAIL for c in self.conditions)

    @property
    def failure(self) -> Condition | None:
        return next((c for c in self.conditions if c.state == FAIL), None)


def rule_for(record: Record) -> RepairRule | None:
    """The active repair rule of the record's item, else the general one."""
    rules = RepairRule.objects.filter(
        Q(item_id=record.item_id) | Q(item__isnull=True), is_active=True
    ).order_by("item_id", "code")
    found = list(rules)
    specific = [r for r in found if r.item_id is not None]
    chosen = specific or found
    return chosen[0] if chosen else None


def _tier(record: Record) -> tuple[DisclosureRuleSet | None, Rules | None, Tier | None]:
    if not record.disclosure_rule or not record.disclosure_tier:
        return None, None, None
    rule_set = DisclosureRuleSet.objects.filter(code=record.disclosure_rule).first()
    if rule_set is None:
        return None, None, None
    try:
        rules = Rules.parse(rule_set.rules)
        return rule_set, rules, rules.tier(record.disclosure_tier)
    except (ValueError, KeyError):
        return rule_set, None, None


def repair_eligibility(record: Record, today: dt.date | None = None) -> Eligibility:
    """Each condition with its state and its reason in Chinese."""
    today = today or clock.today()
    result = Eligibility(record=record, today=today)
    add = result.conditions.append
    public = Record.objects.publicly_visible().filter(pk=record.pk).exists()
    if not public:
        add(
            Condition(
                "public",
                _("正在公示"),
                FAIL,
                _("该信息未在公示或已停止公示，无需申请信用修复"),
            )
        )
        return result
    rule_set, rules, tier = _tier(record)
    if rule_set is None or rules is None or tier is None:
        add(
            Condition(
                "negative",
                _("失信信息"),
                FAIL,
                _("该信息没有失信程度（不属于失信信息），不适用信用修复"),
            )
        )
        return result
    result.tier, result.rule_set_name = tier, rule_set.name
    add(
        Condition(
            "negative",
            _("失信信息"),
            PASS,
            _("失信程度：%(tier)s（%(rules)s）") % {"tier": tier.label, "rules": rule_set.name},
        )
    )
    rule = result.rule = rule_for(record)
    if rule is None:
        add(
            Condition(
                "rule",
                _("适用修复规则"),
                FAIL,
                _("该类信息暂不适用在线信用修复，请咨询信用办"),
            )
        )
        return result
    _category(result, rule, rules)
    _min_period(result, rules, tier)
    add(
        Condition(
            "obligations",
            _("纠正失信行为、履行法定义务"),
            TODO,
            _("请说明履行情况并上传证明材料（如罚款缴纳凭证），由审核机关核实"),
        )
    )
    add(
        Condition(
            "commitment",
            _("信用修复承诺"),
            TODO,
            _("提交申请时须签署信用修复承诺书"),
        )
    )
    if rule.requires_training:
        _training(result)
    return result


def training_attended(subject_id: int | None, on: dt.date) -> TrainingEnrolment | None:
    """The subject's latest attended (已参训) enrolment in a session held on
    or before `on`, or None."""
    if subject_id is None:
        return None
    return (
        TrainingEnrolment.objects.filter(
            subject_id=subject_id,
            status=TrainingEnrolment.Status.ATTENDED,
            session__held_on__lte=on,
        )
        .select_related("session")
        .order_by("-session__held_on", "-id")
        .first()
    )


def training_condition(record: Record, rule: RepairRule) -> Condition | None:
    """The training condition of a repair under `rule` today, from the
    records (the decider's page); None when the rule requires no training."""
    if not rule.requires_training:
        return None
    result = Eligibility(record=record, today=clock.today())
    _training(result)
    return result.conditions[0]


def _training(result: Eligibility) -> None:
    attended = training_attended(result.record.subject_id, result.today)
    if attended is None:
        text = _("培训记录中没有该主体的参训记录：请先报名并参加信用修复培训，参训后即可申请")
        result.conditions.append(Condition("training", _("信用修复培训"), FAIL, text))
        return
    text = _("已于 %(day)s 参加“%(title)s”（结业证书 %(certificate)s）") % {
        "day": attended.session.held_on.isoformat(),
        "title": attended.session.title,
        "certificate": attended.certificate_number,
    }
    result.conditions.append(Condition("training", _("信用修复培训"), PASS, text))


def _category(result: Eligibility, rule: RepairRule, rules: Rules) -> None:
    record = result.record
    names = current_categories(
        str(record.data.get(rules.category_field) or ""),
        str(record.data.get(rules.content_field) or ""),
    ).names
    blocked = [n for n in names if n in set(rule.not_repairable_categories or [])]
    if blocked:
        result.conditions.append(
            Condition(
                "category",
                _("可修复的类别"),
                FAIL,
                _("处罚类别“%(category)s”的信息依规不得提前停止公示，不予信用修复")
                % {"category": "、".join(blocked)},
            )
        )
        return
    result.conditions.append(
        Condition(
            "category",
            _("可修复的类别"),
            PASS,
            _("处罚类别：%(category)s") % {"category": "、".join(names) or _("（未填写）")},
        )
    )


def _min_period(result: Eligibility, rules: Rules, tier: Tier) -> None:
    record = result.record
    start = record.published_on if rules.period_from == "publication" else record.decision_date
    result.period_start = start
    label = _("最短公示期（%(tier)s，%(n)d 个月）") % {"tier": tier.label, "n": tier.min_months}
    if start is None:
        result.conditions.append(
            Condition("min_period", label, FAIL, _("缺少决定日期，无法计算最短公示期"))
        )
        return
    # The period ends on the corresponding day (as the window's end does);
    # an application is accepted from the next day.
    ends = result.min_period_ends = add_months(start, tier.min_months)
    first = result.eligible_from = ends + dt.timedelta(days=1)
    if result.today < first:
        text = _(
            "最短公示期尚未届满：%(tier)s失信信息最短公示 %(n)d 个月，至 %(ends)s 届满，"
            "自 %(first)s 起可申请信用修复"
        ) % {
            "tier": tier.label,
            "n": tier.min_months,
            "ends": ends.isoformat(),
            "first": first.isoformat(),
        }
        result.conditions.append(Condition("min_period", label, FAIL, text))
        return
    result.conditions.append(
        Condition(
            "min_period",
            label,
            PASS,
            _("已于 %(ends)s 届满") % {"ends": ends.isoformat()},
        )
    )


@dataclass(frozen=True, slots=True)
class NoticeFacts:
    """What a 信用修复告知书 says of one record (两书同达, 令第36号)."""

    record: Record
    tier: Tier
    rule_set_name: str
    rule_set_basis: str
    period_from_publication: bool
    period_start: dt.date | None
    min_period_ends: dt.date | None
    eligible_from: dt.date | None
    disclosure_end: dt.date | None
    rule: RepairRule | None
    repairable: bool
    not_repairable_text: str


def repair_notice_facts(record: Record) -> NoticeFacts | None:
    """The facts of the record's 信用修复告知书; None when the record is not
    negative information of a published tier (no notice is due)."""
    rule_set, rules, tier = _tier(record)
    if rule_set is None or rules is None or tier is None or not tier.publish:
        return None
    from_publication = rules.period_from == "publication"
    start = record.published_on if from_publication else record.decision_date
    ends = add_months(start, tier.min_months) if start else None
    rule = rule_for(record)
    check = Eligibility(record=record, today=clock.today())
    if rule is not None:
        _category(check, rule, rules)
    blocked = check.failure
    return NoticeFacts(
        record=record,
        tier=tier,
        rule_set_name=rule_set.name,
        rule_set_basis=rule_set.basis,
        period_from_publication=from_publication,
        period_start=start,
        min_period_ends=ends,
        eligible_from=ends + dt.timedelta(days=1) if ends else None,
        disclosure_end=record.disclosure_end,
        rule=rule,
        repairable=rule is not None and blocked is None,
        not_repairable_text=blocked.text
        if blocked
        else ("" if rule else _("该类信息暂不适用在线信用修复")),
    )
