"""Code lists and catalog items. An item is made through `catalog_item_create`,
as the credit office makes one: validated, audited, published as version 1."""

import factory
from factory.django import DjangoModelFactory

from orgs.factories import CreditAdminFactory
from xinyong.catalog import services
from xinyong.catalog.models import CatalogItem, CodeList

# A small negative item: the subject's name and USCC and an amount.
TAX_ARREARS_FIELDS = [
    {"key": "subject_name", "label": "纳税人名称", "role": "subject_name", "required": True},
    {
        "key": "subject_uscc",
        "label": "统一社会信用代码",
        "type": "identifier",
        "identifier_kind": "uscc",
        "role": "subject_uscc",
        "required": True,
    },
    {"key": "amount", "label": "欠税金额（万元）", "type": "decimal", "required": True},
]


class CodeListFactory(DjangoModelFactory):
    class Meta:
        model = CodeList

    code = factory.Sequence(lambda n: f"list_{n}")
    name = factory.Sequence(lambda n: f"代码表{n}")
    values = factory.LazyFunction(lambda: ["甲", "乙"])


class CatalogItemFactory(factory.Factory):
    """`CatalogItemFactory(departments=[d])`: a published item (by default a
    three-field 欠税信息-like item) that `departments` submit."""

    class Meta:
        model = CatalogItem

    actor = factory.SubFactory(CreditAdminFactory)
    code = factory.Sequence(lambda n: f"TEST{n}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    category = CatalogItem.Category.TAX
    nature = CatalogItem.Nature.NEGATIVE
    disclosure = CatalogItem.Disclosure.PUBLIC
    legal_basis = "《中华人民共和国税收征收管理法》第四十五条"
    departments = ()
    fields = factory.LazyFunction(lambda: [dict(f) for f in TAX_ARREARS_FIELDS])

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.catalog_item_create(**kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("an item exists only as the service publishes it: use create()")
