"""The built-in items of 政务诚信 and 个人诚信 load as shipped, restricted, never public."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from integrity.conftest import READERS
from xinyong.catalog.models import CatalogItem, public_items
from xinyong.catalog.services import catalog_item_update
from xinyong.core.errors import ApplicationError
from xinyong.integrity.builtin import GOVERNMENT_ITEMS, PERSONAL_ITEMS, load

pytestmark = pytest.mark.django_db


def test_the_items_are_loaded_with_a_version():
    items = {
        i.code: i for i in CatalogItem.objects.filter(code__in=PERSONAL_ITEMS + GOVERNMENT_ITEMS)
    }
    assert set(items) == set(PERSONAL_ITEMS + GOVERNMENT_ITEMS)
    for item in items.values():
        assert item.is_builtin and item.current_version is not None
        assert item.current_version.number == 1
        assert item.disclosure != CatalogItem.Disclosure.PUBLIC
    assert items["GWY_CXDA"].name == "公务员诚信档案"
    assert {items[c].is_restricted for c in PERSONAL_ITEMS} == {True}
    assert {items[c].is_restricted for c in GOVERNMENT_ITEMS} == {False}
    # Person identifiers: masked on every screen, encrypted on the subject (intake).
    fields = {f.key: f for f in items["GRCX_JS"].fields.all()}
    assert fields["id_number"].role == "subject_id_number"
    assert fields["id_number"].masking == "id_number"
    assert not any(f.is_public for f in fields.values())


def test_loading_again_changes_nothing():
    before = CatalogItem.objects.count()
    load()
    assert CatalogItem.objects.count() == before


def test_readers_are_bound_once_departments_exist(readers):
    for code, short_code in READERS.items():
        item = CatalogItem.objects.get(code=code)
        assert list(item.readers.values_list("short_code", flat=True)) == [short_code]
    assert not public_items().filter(code__in=PERSONAL_ITEMS).exists()


def test_a_restricted_item_cannot_be_made_public(credit_admin):
    item = CatalogItem.objects.get(code="GWY_CXDA")
    with pytest.raises(ApplicationError) as exc:
        catalog_item_update(
            actor=credit_admin, item=item, changes={"disclosure": "public"}, note="试图公开"
        )
    assert "限制查阅的目录事项不得公开" in str(exc.value.details)
    item.refresh_from_db()
    assert item.disclosure == "government"
    # The database refuses it too, whatever code writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogItem.objects.filter(code="GWY_CXDA").update(disclosure="public")


def test_the_catalog_page_says_who_reads_a_restricted_item(readers, credit_admin, client_as):
    item = CatalogItem.objects.get(code="GRCX_YS")
    page = client_as(credit_admin).get(reverse("catalog:item_detail", args=[item.code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="restricted"' in text and readers["weijian"].name in text
