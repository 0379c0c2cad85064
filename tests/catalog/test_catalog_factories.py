import pytest

from catalog.factories import CatalogItemFactory, CodeListFactory
from xinyong.catalog.selectors import item_list_for_department
from xinyong.catalog.validation import code_list_problems
from xinyong.core.models import AuditLog


def test_item_is_published_through_the_service(department):
    item = CatalogItemFactory(departments=[department])
    assert item.current_version.number == 1
    assert [f["key"] for f in item.current_version.schema["fields"]] == [
        "subject_name",
        "subject_uscc",
        "amount",
    ]
    assert list(item_list_for_department(department)) == [item]
    assert AuditLog.objects.filter(action="catalog_item.create", object_id=str(item.pk)).exists()


def test_item_cannot_be_built_unsaved(db):
    with pytest.raises(TypeError):
        CatalogItemFactory.build()


def test_code_list_is_valid(db):
    assert code_list_problems(CodeListFactory()) == {}
