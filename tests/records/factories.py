"""Records of the built-in 行政处罚 item, written as rows (no intake, no
disclosure window: pass `published_on`, `disclosure_end`… or run the daily
job). Tests of the intake itself go through the real files instead."""

import datetime as dt
import hashlib
import json

import factory
from factory.django import DjangoModelFactory

from orgs.factories import DepartmentFactory
from subjects.factories import SubjectFactory
from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.records.models import Record


def builtin_item(code: str = "XZCF") -> CatalogItem:
    return CatalogItem.objects.select_related("current_version").get(code=code)


class PenaltyRecordFactory(DjangoModelFactory):
    class Meta:
        model = Record
        exclude = ("decided",)

    item = factory.LazyFunction(builtin_item)
    version = factory.LazyAttribute(lambda record: record.item.current_version)
    department = factory.SubFactory(DepartmentFactory)
    subject = factory.SubFactory(SubjectFactory)
    doc_number = factory.Sequence(lambda n: f"神市监罚〔2025〕{n}号")
    record_key = factory.SelfAttribute("doc_number")
    decided = factory.LazyFunction(lambda: clock.today() - dt.timedelta(days=3))
    decision_date = factory.SelfAttribute("decided")
    data = factory.LazyAttribute(
        lambda record: {
            "subject_name": record.subject.name if record.subject else "张三",
            "subject_kind": "法人及非法人组织" if record.subject else "自然人",
            "doc_number": record.doc_number,
            "violation_type": "违反食品安全法",
            "violation_facts": "经营超过保质期的食品",
            "penalty_basis": "《中华人民共和国食品安全法》第一百二十四条",
            "penalty_category": "罚款",
            "penalty_content": "罚款人民币0.5万元",
            "fine_amount": "0.5",
            "decision_date": record.decided.isoformat(),
            "agency": "林区市场监督管理局",
        }
    )
    content_hash = factory.LazyAttribute(
        lambda record: hashlib.sha256(
            json.dumps(record.data, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
    )
    submitted_on = factory.LazyFunction(clock.today)
    created_at = factory.LazyFunction(clock.now)
    updated_at = factory.SelfAttribute("created_at")
