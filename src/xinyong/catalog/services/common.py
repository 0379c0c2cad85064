"""Helpers shared by the catalog's services."""

from collections.abc import Iterable, Mapping

from xinyong.catalog.models import CatalogField, CatalogItem
from xinyong.core.errors import ApplicationError
from xinyong.orgs.models import User


def invalid(problems: Mapping[str, str]) -> ApplicationError:
    """The error of a refused edit: every problem, by the name of its field."""
    return ApplicationError(
        "invalid",
        "；".join(problems.values()),
        {name: [message] for name, message in problems.items()},
    )


def clean_list(values: Iterable[object] | None) -> list[str]:
    """Stripped texts, without blanks and repeats, in order."""
    cleaned: list[str] = []
    for value in values or ():
        text = str(value).strip()
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned


def fields_of(item: CatalogItem) -> list[CatalogField]:
    """The item's fields in their order, with their code lists."""
    return list(item.fields.select_related("code_list").order_by("order", "id"))


def user_of(actor: User) -> User | None:
    """The actor if it is a signed-in user."""
    return actor if actor.is_authenticated else None
