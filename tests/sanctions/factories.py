"""Checks, feedback and cases as rows; the shipped domains and memoranda are
loaded by the migration (`domain(code)`, `memorandum(code)`)."""

import factory
from factory.django import DjangoModelFactory

from orgs.factories import DepartmentFactory, OfficerFactory
from xinyong.core import clock
from xinyong.sanctions.models import ActionDomain, Case, Check, Feedback, Measure, Memorandum

COMPANY_USCC = "91110000600037341L"
PERSON_ID = "11010519491231002X"


def domain(code: str = "ZFCG") -> ActionDomain:
    return ActionDomain.objects.get(code=code)


def memorandum(code: str = "sxbzx-2016-141") -> Memorandum:
    return Memorandum.objects.get(code=code)


def measure(memo: str = "sxbzx-2016-141", domain_code: str = "ZFCG") -> Measure:
    return Measure.objects.filter(memorandum__code=memo, domain__code=domain_code).first()


class CheckFactory(DjangoModelFactory):
    """A check by an officer that hit one entry (feedback due in 5 working days)."""

    class Meta:
        model = Check

    created_at = factory.LazyFunction(clock.now)
    channel = Check.Channel.PAGE
    department = factory.SubFactory(DepartmentFactory)
    officer = factory.SubFactory(OfficerFactory, department=factory.SelfAttribute("..department"))
    domain = factory.LazyFunction(domain)
    matter = "政府采购项目 SNJ-2026-001"
    query = "神农架林区某某建材有限公司"
    hit_count = 1
    hits = factory.LazyFunction(
        lambda: [
            {
                "subject": {"id": 0, "name": "神农架林区某某建材有限公司", "kind": "legal"},
                "list": {"code": "SXBZX", "name": "失信被执行人", "kind": "black"},
                "entry": {
                    "decider": "神农架林区人民法院",
                    "document_number": "(2025)鄂9021执1号",
                    "listed_on": "2025-12-01",
                },
                "measures": [{"id": measure().pk, "content": measure().content}],
                "rewards": [],
            }
        ]
    )
    feedback_due = factory.LazyFunction(clock.today)


class FeedbackFactory(DjangoModelFactory):
    class Meta:
        model = Feedback

    check_run = factory.SubFactory(CheckFactory)
    applied = True
    measure = factory.LazyFunction(measure)
    result = "取消其参加本次政府采购的资格"
    decided_on = factory.LazyFunction(clock.today)
    officer = factory.SelfAttribute("check_run.officer")
    created_at = factory.LazyFunction(clock.now)


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    feedback = factory.SubFactory(FeedbackFactory)
    department = factory.SelfAttribute("feedback.check_run.department")
    kind = Memorandum.Kind.PUNISHMENT
    title = "林区某局在政府采购中对失信被执行人实施联合惩戒"
    subject_display = "神农架林区某某建材有限公司"
    facts = "核查发现该公司被列为失信被执行人"
    measures = "取消投标资格"
    effect = "该公司主动履行了判决"
    created_by = factory.SelfAttribute("feedback.officer")
    created_at = factory.LazyFunction(clock.now)
