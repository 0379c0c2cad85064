"""The built-in catalog items of 政务诚信 and 个人诚信 (`data/builtin_items.json`).

Loaded by the catalog's own loader (`catalog.builtin.load_builtin`), from
this app's file, by migration `0002_builtin_items` and again after a flush.
Restricted items name their reader departments by short code; those that
do not exist yet are bound later (`bind_readers`, run by `xinyong demo`).
"""

from pathlib import Path

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS, connections

from xinyong.catalog.builtin import bind_builtin_readers, load_builtin, read_builtin

BUILTIN_PATH = Path(__file__).resolve().parent / "data" / "builtin_items.json"

# 个人诚信 groups: (item code, group) as shipped; 公务员 is the 公务员诚信档案.
PERSONAL_ITEMS = ("GRCX_JS", "GRCX_YS", "GRCX_LS", "GRCX_DY", "GRCX_KJ", "GRCX_FDDBR", "GWY_CXDA")
CIVIL_SERVANT_ITEM = "GWY_CXDA"
# 政务失信 items (机关, 事业单位): 被执行未履行, 行政处罚, 政府违约.
GOVERNMENT_ITEMS = ("ZWSX_BZX", "ZWSX_CF", "ZWSX_WY")
BREACH_ITEM = "ZWSX_WY"


def builtin_readers() -> dict[str, list[str]]:
    """Item code → the short codes of its reader departments, as shipped."""
    return {
        spec["code"]: list(spec["readers"])
        for spec in read_builtin(BUILTIN_PATH)["items"]
        if spec.get("readers")
    }


def load(apps: Apps | None = None, *, using: str = DEFAULT_DB_ALIAS) -> None:
    load_builtin(apps, using=using, path=BUILTIN_PATH)


def bind_readers() -> list[str]:
    return bind_builtin_readers(BUILTIN_PATH)


def ensure_builtin(
    sender: AppConfig | None = None,
    *,
    apps: Apps | None = None,
    using: str = DEFAULT_DB_ALIAS,
    **kwargs: object,
) -> None:
    """`post_migrate` receiver: put the items back after a flush (as the catalog does)."""
    apps = apps or global_apps
    try:
        apps.get_model("catalog", "CatalogItem")
        apps.get_model("integrity", "GovComplaint")
    except LookupError:
        return
    tables = set(connections[using].introspection.table_names())
    if not {"catalog_catalogitem", "catalog_codelist", "core_auditlog"} <= tables:
        return
    load(apps, using=using)
