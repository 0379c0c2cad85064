import pytest

from catalog.factories import CatalogItemFactory
from xinyong.catalog.models import CatalogItem


@pytest.fixture
def small_item(admin_user, department) -> CatalogItem:
    """A three-field item owned by `department`, published as v1."""
    return CatalogItemFactory(
        actor=admin_user, code="QSXX", name="欠税信息", departments=[department]
    )
