"""Code lists (credit office only). A change of values or prefixes
republishes every item with a field on the list."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.catalog.audit_actions import CODE_LIST_CREATE, CODE_LIST_UPDATE
from xinyong.catalog.models import CatalogField, CatalogItem, CatalogItemVersion, CodeList
from xinyong.catalog.permissions import ensure_credit_office
from xinyong.catalog.services.common import clean_list, invalid
from xinyong.catalog.services.versions import publish_version
from xinyong.catalog.validation import code_list_problems
from xinyong.core.audit import audit_record
from xinyong.orgs.models import User

CODE_LIST_SETTINGS = ("name", "values", "prefixes", "legal_basis")


@transaction.atomic
def code_list_create(
    *,
    actor: User,
    code: str,
    name: str,
    values: Sequence[str],
    prefixes: Sequence[str] = (),
    legal_basis: str = "",
    request: HttpRequest | None = None,
) -> CodeList:
    ensure_credit_office(actor)
    code_list = CodeList(
        code=(code or "").strip(),
        name=(name or "").strip(),
        values=[str(v).strip() for v in values],
        prefixes=clean_list(prefixes),
        legal_basis=legal_basis.strip(),
    )
    problems = code_list_problems(code_list)
    if CodeList.objects.filter(code=code_list.code).exists():
        problems.setdefault("code", _("代码：“%(v)s”已存在") % {"v": code_list.code})
    if problems:
        raise invalid(problems)
    code_list.save()
    audit_record(
        actor=actor,
        action=CODE_LIST_CREATE,
        obj=code_list,
        after={n: getattr(code_list, n) for n in ("code", *CODE_LIST_SETTINGS)},
        request=request,
    )
    return code_list


@transaction.atomic
def code_list_update(
    *,
    actor: User,
    code_list: CodeList,
    changes: Mapping[str, Any],
    note: str = "",
    request: HttpRequest | None = None,
) -> list[CatalogItemVersion]:
    """Change a code list (credit office only). Every item with a field on it
    gets a new version with the new values; old versions keep the old ones.
    Returns the versions published."""
    ensure_credit_office(actor)
    unknown = set(changes) - set(CODE_LIST_SETTINGS)
    if unknown:
        raise ValueError(f"unknown code list settings: {sorted(unknown)}")
    before = {n: getattr(code_list, n) for n in CODE_LIST_SETTINGS}
    for name, value in changes.items():
        if name == "values":
            value = [str(v).strip() for v in value]
        elif name == "prefixes":
            value = clean_list(value)
        else:
            value = (value or "").strip()
        setattr(code_list, name, value)
    after = {n: getattr(code_list, n) for n in CODE_LIST_SETTINGS}
    changed = [n for n in CODE_LIST_SETTINGS if before[n] != after[n]]
    if not changed:
        return []
    problems = code_list_problems(code_list)
    if problems:
        raise invalid(problems)
    code_list.save(update_fields=changed)
    audit_record(
        actor=actor,
        action=CODE_LIST_UPDATE,
        obj=code_list,
        before={n: before[n] for n in changed},
        after={n: after[n] for n in changed},
        reason=note,
        request=request,
    )
    published: list[CatalogItemVersion] = []
    # Versions copy values and prefixes only: a new name or basis needs no version.
    if {"values", "prefixes"} & set(changed):
        items = CatalogItem.objects.filter(
            fields__code_list=code_list, fields__type=CatalogField.Type.CODE_LIST
        ).distinct()
        for item in items.order_by("code"):
            published.append(
                publish_version(
                    item,
                    actor=actor,
                    note=note or _("代码表“%(name)s”变更") % {"name": code_list.name},
                    request=request,
                )
            )
    return published
