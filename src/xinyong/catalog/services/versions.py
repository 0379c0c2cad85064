"""Versions: the frozen schema of an item, published after every change
that alters what a record of the item looks like."""

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.catalog.audit_actions import CATALOG_ITEM_PUBLISH
from xinyong.catalog.models import CatalogItem, CatalogItemVersion
from xinyong.catalog.permissions import ensure_item_edit
from xinyong.catalog.schema import item_snapshot
from xinyong.catalog.services.common import fields_of, user_of
from xinyong.core import clock
from xinyong.core.audit import audit_record
from xinyong.core.columns import max_length
from xinyong.core.errors import ApplicationError
from xinyong.orgs.models import User

_NOTE_MAX = max_length(CatalogItemVersion, "note")


def publish_version(
    item: CatalogItem, *, actor: User, note: str, request: HttpRequest | None = None
) -> CatalogItemVersion:
    """Version n+1 of the item, made current (no permission check: the
    calling service made it)."""
    # Lock the item row: two editors publishing at once get consecutive
    # numbers instead of a unique-constraint error.
    CatalogItem.objects.select_for_update().filter(pk=item.pk).first()
    fields = fields_of(item)
    if not fields:
        raise ApplicationError(
            "no_fields", _("目录事项“%(item)s”还没有字段，不能发布") % {"item": item.name}
        )
    last = item.versions.aggregate(last=Max("number"))["last"] or 0
    version = CatalogItemVersion.objects.create(
        item=item,
        number=last + 1,
        schema=item_snapshot(item, fields),
        note=(note or "")[:_NOTE_MAX],
        created_at=clock.now(),
        created_by=user_of(actor),
    )
    item.current_version = version
    item.save(update_fields=["current_version"])
    audit_record(
        actor=actor,
        action=CATALOG_ITEM_PUBLISH,
        obj=item,
        after={"version": version.number, "fields": len(fields)},
        reason=version.note,
        request=request,
    )
    return version


def republish_if_published(
    item: CatalogItem, *, actor: User, note: str, request: HttpRequest | None = None
) -> None:
    """After an edit: a new version, unless the item has never had any field."""
    if item.current_version_id is None and not item.fields.exists():
        return
    publish_version(item, actor=actor, note=note, request=request)


@transaction.atomic
def catalog_item_publish(
    *, item: CatalogItem, actor: User, note: str = "", request: HttpRequest | None = None
) -> CatalogItemVersion:
    """Freeze the item's current fields into version n+1 and make it current."""
    ensure_item_edit(actor, item)
    return publish_version(item, actor=actor, note=note or _("发布"), request=request)
