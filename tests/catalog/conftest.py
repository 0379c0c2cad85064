import pytest

from xinyong.catalog import services
from xinyong.catalog.models import CatalogItem


@pytest.fixture
def small_item(admin_user, department) -> CatalogItem:
    """A three-field item owned by `department`, published as v1."""
    return services.catalog_item_create(
        actor=admin_user,
        code="QSXX",
        name="欠税信息",
        category=CatalogItem.Category.TAX,
        nature=CatalogItem.Nature.NEGATIVE,
        disclosure=CatalogItem.Disclosure.PUBLIC,
        legal_basis="《中华人民共和国税收征收管理法》第四十五条",
        departments=[department],
        fields=[
            {
                "key": "subject_name",
                "label": "纳税人名称",
                "role": "subject_name",
                "required": True,
            },
            {
                "key": "subject_uscc",
                "label": "统一社会信用代码",
                "type": "identifier",
                "identifier_kind": "uscc",
                "role": "subject_uscc",
                "required": True,
            },
            {"key": "amount", "label": "欠税金额（万元）", "type": "decimal", "required": True},
        ],
    )
