"""Writes to the catalog. Each writes an audit row.

Every change that alters what a record of an item looks like ends by
publishing a new `CatalogItemVersion` (`versions.publish_version`), so that
`item.current_version` always reflects the item's fields and settings, and
old versions keep the schema their records were checked against.

Who may do what (see `catalog.permissions`): the credit office everything;
the clerks of an owning department the fields and the descriptive settings
of their items. Disclosure, nature, category, deadlines, activation,
ownership and the shared code lists are the credit office's.

Shared items (more than one department) and a field's disclosure or role
are the credit office's alone; a department proposes such a change as a
change request (`change_requests`), which the credit office approves (the
change applied through these services, a new version) or refuses.

The modules: `items` (create, settings, departments), `fields` (add,
change, code list, remove), `change_requests`, `code_lists`, `versions`
(publishing), and `common` (helpers they share).
"""

from xinyong.catalog.services.change_requests import (
    catalog_change_needs_credit_office,
    catalog_change_request_approve,
    catalog_change_request_refuse,
    catalog_change_request_submit,
)
from xinyong.catalog.services.code_lists import (
    CODE_LIST_SETTINGS,
    code_list_create,
    code_list_update,
)
from xinyong.catalog.services.fields import (
    FIELD_SETTINGS,
    catalog_field_add,
    catalog_field_remove,
    catalog_field_set_code_list,
    catalog_field_update,
)
from xinyong.catalog.services.items import (
    ITEM_SETTINGS,
    catalog_item_create,
    catalog_item_set_departments,
    catalog_item_update,
)
from xinyong.catalog.services.versions import catalog_item_publish

# What code outside the package uses.
__all__ = [
    "CODE_LIST_SETTINGS",
    "FIELD_SETTINGS",
    "ITEM_SETTINGS",
    "catalog_change_needs_credit_office",
    "catalog_change_request_approve",
    "catalog_change_request_refuse",
    "catalog_change_request_submit",
    "catalog_field_add",
    "catalog_field_remove",
    "catalog_field_set_code_list",
    "catalog_field_update",
    "catalog_item_create",
    "catalog_item_publish",
    "catalog_item_set_departments",
    "catalog_item_update",
    "code_list_create",
    "code_list_update",
]
