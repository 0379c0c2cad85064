"""The public CSV downloads of the 双公示, built by the worker and served as files.

Building a kind's CSV reads every public record (seconds at a district's
size, minutes at a province's): never in a request. A background task
(`records.tasks.build_exports`) writes every file of one export, the full
CSV of each kind and one per department, through the one public shape
(`selectors.iter_public_views`: public fields, masked, scrubbed) and
`core.cells` (no formula), into a new directory under
`settings.EXPORTS_DIR` (default `XINYONG_DATA_DIR/exports`, outside the web
root); then the symbolic link `current` is switched to it with one
`rename`, so a download sees the previous export or the new one, whole,
never a half-written file. The previous export is kept (a download under
way still reads it); older ones are removed. A worker killed while building
leaves `current` as it was.

When it is built:
- after a change (`export_request`): an import batch's records written, a
  withdrawal (until the rebuild, the files built before it are not served), the daily job's publications and expiries, a change of a
  双公示 item in the catalog. A request enqueues the build unless one is
  already queued (debounce: one build covers every change before its
  start); the task row is written in the change's own transaction;
- once a day: `records.tasks.refresh_exports` (hourly) builds when the
  export is missing, from an earlier day, or out of date.

An export is out of date (`ExportUnavailable`) when a record in it has
passed its 公示截止日期 (the manifest keeps the earliest), a 双公示 item's
current catalog version or disclosure changed since it was built, or a
record was withdrawn after its build began (`ExportState`): a tightened
masking, an expired or a withdrawn record is then never served from the old
file; the site answers 503 "being prepared" and enqueues the build.
"""

import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.core.cells import csv_cell
from xinyong.core.errors import NotFoundError
from xinyong.core.tasks.leases import Lease
from xinyong.records.models import ExportState
from xinyong.records.selectors.public import KINDS, Kind, PublicRecord
from xinyong.records.selectors.shuanggongshi import (
    RecordFilters,
    department_choices,
    iter_public_views,
    public_columns,
)

LEASE = "records:exports"
STATE_ID = 1  # ExportState has one row
CURRENT = "current"
MANIFEST = "manifest.json"
_BUILD_PREFIX = "build-"
# A department's file is named by its short code; one that is not a plain
# name gets no file of its own (it stays in the full file).
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


class ExportUnavailable(Exception):
    """No export can be served now: none built yet, or the last one is out of date."""


@dataclass(frozen=True, slots=True)
class ExportFile:
    path: Path
    built_at: dt.datetime
    etag: str  # the file's SHA-256, quoted
    download_name: str  # 行政处罚-20251010.csv
    ascii_name: str  # penalties-20251010.csv


def exports_dir() -> Path:
    return Path(settings.EXPORTS_DIR)


# -- writing --------------------------------------------------------------------


def csv_header(kind: Kind) -> tuple[list[str], list[str]]:
    """The catalog's public columns of a kind and the CSV's whole header."""
    columns = public_columns(kind)
    return columns, [_("记录编号"), _("公示部门"), *columns, _("公示截止日期"), _("异议处理中")]


def csv_row(view: PublicRecord, columns: list[str]) -> list[object]:
    values = dict(view.fields)
    return [
        view.id,
        csv_cell(view.department_name),
        *(csv_cell(values.get(c, "")) for c in columns),
        view.public_until_text,
        _("是") if view.disputed else "",
    ]


class _CsvFile:
    """One CSV being written: UTF-8 with a byte-order mark (Excel reads it as
    UTF-8), every cell through `core.cells`, its SHA-256 kept as it goes."""

    def __init__(self, path: Path, header: list[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.rows = 0
        self._sha = hashlib.sha256()
        self._handle: IO[str] = open(path, "w", encoding="utf-8", newline="")
        self._writer = csv.writer(self)
        self._handle.write("\ufeff")
        self._sha.update("\ufeff".encode())
        self._writer.writerow([csv_cell(h) for h in header])

    def write(self, text: str) -> None:  # the csv module's file interface
        self._handle.write(text)
        self._sha.update(text.encode())

    def add(self, row: list[object]) -> None:
        self._writer.writerow(row)
        self.rows += 1

    def close(self) -> dict[str, Any]:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        return {
            "rows": self.rows,
            "size": self.path.stat().st_size,
            "sha256": self._sha.hexdigest(),
        }


def _catalog_state() -> dict[str, list[Any]]:
    """What of the 双公示 items a served export must still match: each item's
    current version and disclosure. One query."""
    codes = [kind.item_code for kind in KINDS.values()]
    return {
        code: [version, disclosure]
        for code, version, disclosure in CatalogItem.objects.filter(code__in=codes).values_list(
            "code", "current_version_id", "disclosure"
        )
    }


def _write_kind(
    kind: Kind, directory: Path, departments: list[str]
) -> tuple[dict[str, Any], dt.date | None]:
    """The full CSV of a kind and one per department, in one pass over the
    public records. Returns the files' entries and the earliest 公示截止日期."""
    columns, header = csv_header(kind)
    full = _CsvFile(directory / f"{kind.slug}.csv", header)
    by_department = {
        code: _CsvFile(directory / kind.slug / f"{code}.csv", header) for code in departments
    }
    earliest: dt.date | None = None
    for view in iter_public_views(kind, RecordFilters()):
        row = csv_row(view, columns)
        full.add(row)
        own = by_department.get(view.department_code)
        if own is not None:
            own.add(row)
        if view.public_until is not None and (earliest is None or view.public_until < earliest):
            earliest = view.public_until
    files = {f"{kind.slug}.csv": full.close()}
    for code, handle in by_department.items():
        files[f"{kind.slug}/{code}.csv"] = handle.close()
    return files, earliest


def export_build() -> Path | None:
    """Build every file of a new export and make it the current one. Returns
    its directory, or None when another process is building (the lease
    `records:exports`: never two builds at once)."""
    with Lease(LEASE) as lease:
        if not lease.held:
            return None
        root = exports_dir()
        root.mkdir(parents=True, exist_ok=True)
        _remove_unfinished(root)
        started = timezone.now()
        today = clock.today()
        catalog = _catalog_state()
        directory = (
            root / f"{_BUILD_PREFIX}{started:%Y%m%dT%H%M%S%f}-{get_random_string(6).lower()}"
        )
        directory.mkdir()
        departments = [code for code, _name in department_choices() if _SAFE_NAME.fullmatch(code)]
        files: dict[str, Any] = {}
        valid_through: dt.date | None = None
        for kind in KINDS.values():
            kind_files, earliest = _write_kind(kind, directory, departments)
            files.update(kind_files)
            if earliest is not None and (valid_through is None or earliest < valid_through):
                valid_through = earliest
        manifest = {
            "built_at": started.isoformat(),
            "day": today.isoformat(),
            # The last day on which every record in it is still public.
            "valid_through": valid_through.isoformat() if valid_through else None,
            "catalog": catalog,
            "files": files,
        }
        (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        _switch(root, directory)
        _remove_old(root, keep={directory.name})
        return directory


def _switch(root: Path, directory: Path) -> None:
    """Point `current` at `directory` in one rename (atomic on POSIX)."""
    link = root / f"{CURRENT}.{get_random_string(8).lower()}"
    os.symlink(directory.name, link)
    os.replace(link, root / CURRENT)
    fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(fd)  # the rename itself reaches the disk
    finally:
        os.close(fd)


def _current_target(root: Path) -> str | None:
    try:
        return os.readlink(root / CURRENT)
    except (FileNotFoundError, OSError):
        return None


def _remove_unfinished(root: Path) -> None:
    """Under the lease: what a killed build left (a directory never made
    current, newer than the current one, and a dangling link name)."""
    current = _current_target(root)
    for entry in root.iterdir():
        if entry.name.startswith(f"{CURRENT}.") and entry.is_symlink():
            entry.unlink()
        elif (
            entry.name.startswith(_BUILD_PREFIX)
            and (current is None or entry.name > current)
            and entry.is_dir()
        ):
            shutil.rmtree(entry, ignore_errors=True)


def _remove_old(root: Path, *, keep: set[str]) -> None:
    """Keep the new export and the one before it (a download that resolved
    the old link a moment ago still opens its file); remove the rest."""
    builds = sorted(
        e.name for e in root.iterdir() if e.name.startswith(_BUILD_PREFIX) and e.is_dir()
    )
    older = [name for name in builds if name not in keep]
    for name in older[:-1]:
        shutil.rmtree(root / name, ignore_errors=True)


# -- reading --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Manifest:
    directory: Path
    built_at: dt.datetime
    day: dt.date
    valid_through: dt.date | None
    catalog: dict[str, list[Any]]
    files: dict[str, dict[str, Any]]


_manifests: dict[str, Manifest] = {}


def export_manifest() -> Manifest | None:
    """The current export's manifest, or None if none was built. Read once per
    export and process (the link is read each time: one system call)."""
    root = exports_dir()
    target = _current_target(root)
    if target is None:
        return None
    key = f"{root}/{target}"
    manifest = _manifests.get(key)
    if manifest is None:
        try:
            data = json.loads((root / target / MANIFEST).read_text())
        except (FileNotFoundError, ValueError):
            return None
        manifest = Manifest(
            directory=root / target,
            built_at=dt.datetime.fromisoformat(data["built_at"]),
            day=dt.date.fromisoformat(data["day"]),
            valid_through=dt.date.fromisoformat(data["valid_through"])
            if data["valid_through"]
            else None,
            catalog=data["catalog"],
            files=data["files"],
        )
        _manifests.clear()
        _manifests[key] = manifest
    return manifest


def export_outdated(manifest: Manifest | None) -> str:
    """Why the export cannot be served (empty: it can). Two queries by key
    (the catalog's two items, the export state's one row)."""
    if manifest is None:
        return "missing"
    if manifest.valid_through is not None and clock.today() > manifest.valid_through:
        return "expired"
    if _catalog_state() != manifest.catalog:
        return "catalog"
    withdrawn_at = (
        ExportState.objects.filter(pk=STATE_ID).values_list("withdrawn_at", flat=True).first()
    )
    if withdrawn_at is not None and withdrawn_at >= manifest.built_at:
        return "withdrawn"
    return ""


def export_file(kind: Kind, department: str = "") -> ExportFile:
    """The current file of a kind (a department's when `department` is its
    short code). Raises ExportUnavailable when there is none to serve now,
    NotFoundError for a department that has no file."""
    manifest = export_manifest()
    reason = export_outdated(manifest)
    if reason or manifest is None:
        raise ExportUnavailable(reason or "missing")
    name = f"{kind.slug}/{department}.csv" if department else f"{kind.slug}.csv"
    entry = manifest.files.get(name)
    if entry is None:
        raise NotFoundError("not_found", _("没有该部门的公示数据文件"))
    stamp = timezone.localtime(manifest.built_at).strftime("%Y%m%d")
    return ExportFile(
        path=manifest.directory / name,
        built_at=manifest.built_at,
        etag=f'"{entry["sha256"][:32]}"',
        download_name=f"{kind.label}{'-' + department if department else ''}-{stamp}.csv",
        ascii_name=f"{kind.slug}{'-' + department if department else ''}-{stamp}.csv",
    )


def export_built_at() -> dt.datetime | None:
    """When the current export was built (for the pages' download links)."""
    manifest = export_manifest()
    return manifest.built_at if manifest is not None else None


# -- when to build --------------------------------------------------------------


def export_request(*, withdrawal: bool = False) -> None:
    """Have the export rebuilt after a change: enqueue the build unless one is
    already queued (it will read the change). Called inside the change's
    transaction, so the task row commits, or rolls back, with it. After a
    `withdrawal` the current files are not served until rebuilt (a record
    leaves the public view at once); after other changes they are, until
    the new ones replace them."""
    from xinyong.core.tasks import enqueue_unless_queued
    from xinyong.records.tasks import build_exports

    if withdrawal:
        # Stamped once the withdrawal is committed: a build that began before
        # then may not have seen it, one that began after has.
        transaction.on_commit(_stamp_withdrawal, robust=True)
    enqueue_unless_queued(build_exports)


def _stamp_withdrawal() -> None:
    ExportState.objects.update_or_create(pk=STATE_ID, defaults={"withdrawn_at": timezone.now()})


def export_needs_refresh() -> str:
    """Why the periodic refresh should build (empty: it need not): missing,
    built on an earlier day, or out of date."""
    manifest = export_manifest()
    reason = export_outdated(manifest)
    if reason:
        return reason
    if manifest is not None and manifest.day < clock.today():
        return "daily"
    return ""
