"""List types and entries, as rows (the procedure's own path is what
test_lists_procedure exercises); records of the feeding items SXBZX and NSXYA."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from orgs.factories import DepartmentFactory
from records.factories import PenaltyRecordFactory, builtin_item
from subjects.factories import SubjectFactory
from xinyong.core import clock
from xinyong.lists.models import ListEntry, ListType


class ListTypeFactory(DjangoModelFactory):
    """A black list decided here, 3 years, early removal after 12 months."""

    class Meta:
        model = ListType
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"TEST{n}")
    name = factory.Sequence(lambda n: f"测试严重失信名单{n}")
    kind = ListType.Kind.BLACK
    legal_basis = "《测试严重失信名单管理办法》（测试令第1号）"
    standard = "受到较重行政处罚的当事人"
    period_rule = ListType.PeriodRule.FIXED_YEARS
    period_years = 3
    early_removal = "列入满12个月，纠正违法行为并作出信用承诺的，可申请提前移出"
    early_removal_after_months = 12
    removal_procedure = "期满自动移出"
    remedies = "可依法申请行政复议或提起行政诉讼"
    source = ListType.Source.DECIDED
    created_at = factory.LazyFunction(clock.now)
    updated_at = factory.SelfAttribute("created_at")

    @factory.post_generation
    def deciders(self, create, extracted, **kwargs):
        if create and extracted:
            self.deciders.add(*extracted)


class ListEntryFactory(DjangoModelFactory):
    """An entry in force (已决定列入, listed a month ago, 3 years) unless told otherwise."""

    class Meta:
        model = ListEntry

    list_type = factory.SubFactory(ListTypeFactory)
    subject = factory.SubFactory(SubjectFactory)
    status = ListEntry.Status.DECIDED
    decided_by = factory.SubFactory(DepartmentFactory)
    reasons = "拒不履行行政处罚决定"
    basis = factory.SelfAttribute("list_type.legal_basis")
    measures = "限制参与政府采购"
    proposed_on = factory.LazyFunction(lambda: clock.today() - dt.timedelta(days=60))
    notice_number = factory.Sequence(lambda n: f"神测告〔2025〕{n}号")
    notified_on = factory.LazyFunction(lambda: clock.today() - dt.timedelta(days=50))
    objection_until = factory.LazyFunction(lambda: clock.today() - dt.timedelta(days=40))
    document_number = factory.Sequence(lambda n: f"神测决〔2025〕{n}号")
    listed_on = factory.LazyFunction(lambda: clock.today() - dt.timedelta(days=30))
    valid_until = factory.LazyAttribute(lambda e: e.list_type.valid_until(e.listed_on))
    published_on = factory.SelfAttribute("listed_on")
    created_at = factory.LazyFunction(clock.now)
    updated_at = factory.SelfAttribute("created_at")


def fed_record(*, code: str = "SXBZX", subject=None, department=None, **kwargs):
    """A record of a feeding catalog item (失信被执行人 by default), public, no end."""
    item = builtin_item(code)
    subject = subject or SubjectFactory()
    decided = kwargs.pop("decided", clock.today() - dt.timedelta(days=10))
    data = {
        "subject_name": subject.name,
        "subject_kind": "法人及非法人组织",
        "court": "神农架林区人民法院",
        "doc_number": kwargs.get("doc_number", "(2025)鄂9021执100号"),
        "decision_date": decided.isoformat(),
        "situation": "有履行能力而拒不履行生效法律文书确定义务",
        "obligation": "支付货款10万元",
    }
    defaults = {
        "item": item,
        "version": item.current_version,
        "subject": subject,
        "decided": decided,
        "data": data,
        "published_on": decided,
        "disclosure_rule": "validity",
    }
    if department is not None:
        defaults["department"] = department
    defaults.update(kwargs)
    return PenaltyRecordFactory(**defaults)
