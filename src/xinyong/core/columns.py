"""What the schema says about a column, for code that writes past the model's validation."""

from django.core.exceptions import ImproperlyConfigured
from django.db import models


def max_length(model: type[models.Model], field_name: str) -> int:
    """The `max_length` of a text column (`Subject.name`, `Record.disclosure_tier`), for
    code that clips or checks values itself, such as a bulk write that skips `full_clean`.

    A field without one is a programming error: the caller meant a bounded column."""
    field = model._meta.get_field(field_name)
    if not isinstance(field, models.CharField) or field.max_length is None:
        raise ImproperlyConfigured(f"{model._meta.label}.{field_name} has no max_length")
    return field.max_length


def verbose_name(model: type[models.Model], field_name: str) -> str:
    """The name of a model's field as its forms show it (`CatalogItem.disclosure` → 公开属性);
    the name itself for a reverse relation, which has none."""
    field = model._meta.get_field(field_name)
    return str(field.verbose_name) if isinstance(field, models.Field) else field_name
