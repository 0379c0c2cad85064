"""Showing schema values to people: 是/否, names instead of codes, lists joined."""

from django import template
from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogField, CatalogItem

register = template.Library()

_CHOICES = {
    "type": CatalogField.Type,
    "role": CatalogField.Role,
    "masking": CatalogField.Masking,
    "category": CatalogItem.Category,
    "nature": CatalogItem.Nature,
    "disclosure": CatalogItem.Disclosure,
    "submit_unit": CatalogItem.DeadlineUnit,
}


@register.filter
def schema_value(value: object, attribute: str = "") -> str:
    """`{{ change.before|schema_value:change.attribute }}`."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    choices = _CHOICES.get(attribute)
    if choices is not None:
        try:
            return str(choices(value).label)
        except ValueError:
            return str(value)
    return str(value)
