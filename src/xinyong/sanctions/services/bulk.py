"""Bulk check: a bidders list (xlsx, xls or csv) answered with a result sheet.

The file is read with intake's streaming readers (`ingest.readers`: limits
on size, zip bombs, cells), at most `MAX_BULK_ROWS` data rows: a longer
file is refused with the limit stated, before anything is checked. The
upload itself is queued and checked by a worker (`services.batches`); this
module reads the file (`read_queries`) and writes the result sheet
(`result_sheet`, formula-like text escaped by `core.cells`)."""

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from xinyong.core.errors import ApplicationError
from xinyong.core.masking import mask_id_number
from xinyong.core.text import hidden_character
from xinyong.ingest.progress import estimate_rows
from xinyong.ingest.readers import read_rows
from xinyong.sanctions import matching
from xinyong.sanctions.sheet import write_xlsx

# Rows of one bulk check (a tender's bidders, a batch of applicants).
MAX_BULK_ROWS = 10_000

# Header labels of each column, as bidders lists write them.
COLUMNS = {
    "name": (
        "名称",
        "单位名称",
        "投标人",
        "投标人名称",
        "供应商",
        "供应商名称",
        "企业名称",
        "主体名称",
        "申请人",
        "姓名",
    ),
    "uscc": ("统一社会信用代码", "信用代码", "社会信用代码"),
    "legacy_code": ("工商注册号", "注册号", "组织机构代码", "旧代码"),
    "id_number": ("身份证号码", "身份证号", "居民身份证号码", "证件号码"),
}
RESULT_HEADERS = (
    "行号", "名称", "统一社会信用代码/证件号码", "核查结果", "匹配方式", "名单", "决定机关",
    "文号", "列入日期", "有效期至", "适用措施", "激励措施", "严重失信记录", "说明",
)  # fmt: skip


def _label(cell: object) -> str:
    return str(cell or "").strip().replace(" ", "").replace("\u3000", "").rstrip("*")


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    """The first row naming a name or code column, and where each column is."""
    for index, row in enumerate(rows[:10]):
        found: dict[str, int] = {}
        for position, cell in enumerate(row):
            label = _label(cell)
            for key, labels in COLUMNS.items():
                if label in labels and key not in found:
                    found[key] = position
        if found:
            return index, found
    raise ApplicationError(
        "no_header",
        _(
            "未找到表头：第一行应有“名称”（或“投标人”“单位名称”）、“统一社会信用代码”或“身份证号码”列"
        ),
    )


def _text(row: list[Any], position: int | None) -> str:
    if position is None or position >= len(row) or row[position] is None:
        return ""
    return str(row[position]).strip()


def too_many_rows() -> ApplicationError:
    return ApplicationError(
        "too_many_rows",
        _("批量核查每次最多 %(limit)s 行，本文件超过上限，请拆分后分批上传")
        % {"limit": f"{MAX_BULK_ROWS:,}"},
        {"max_rows": MAX_BULK_ROWS},
    )


def ensure_readable(path: Path) -> None:
    """What can be told of a file at once, before it is queued: it is
    readable, it has a header, and it does not declare more rows than the
    limit (an xlsx's dimension, a CSV's lines). The worker reads it whole."""
    rows: list[list[Any]] = []
    for row in read_rows(path):
        rows.append(row)
        if len(rows) >= 10:
            break
    start, _columns = _header(rows)
    expected = estimate_rows(path)  # the lines after the first
    if expected is not None and expected - start > MAX_BULK_ROWS:
        raise too_many_rows()


def read_queries(path: Path) -> list[tuple[int, matching.Query]]:
    """(row number, query) of each data row; a file over the limit is refused."""
    rows: list[list[Any]] = []
    for row in read_rows(path):
        rows.append(row)
        if len(rows) > MAX_BULK_ROWS + 10:  # the header may sit below a title row
            break
    start, columns = _header(rows)
    data = [(n, r) for n, r in enumerate(rows[start + 1 :], start=start + 2) if any(r)]
    if len(data) > MAX_BULK_ROWS or len(rows) > MAX_BULK_ROWS + 10:
        raise too_many_rows()
    queries = []
    for number, row in data:
        cells = {key: _text(row, position) for key, position in columns.items()}
        for key, text in cells.items():
            # A NUL cannot be kept (PostgreSQL refused the batch's checks) and a zero-width
            # or direction mark would let a name slip past the match: the file is refused.
            problem = hidden_character(text)
            if problem is not None:
                raise ApplicationError(
                    "hidden_character",
                    _("第 %(row)d 行“%(column)s”：%(problem)s")
                    % {"row": number, "column": COLUMNS[key][0], "problem": problem},
                    {"row": number, "column": key},
                )
        queries.append((number, matching.Query(**cells)))
    return queries


def _measures_text(items: list[dict[str, Any]]) -> str:
    return "；".join(
        f"{m['content']}（{m['force_label']}，{m['implementing_body']}）" for m in items
    )


def result_sheet(
    queries: list[tuple[int, matching.Query]],
    resolutions: list[matching.Resolution],
    all_hits: list[list[dict[str, Any]]],
) -> bytes:
    """One line per hit (a row without hit: one line saying so)."""
    lines: list[list[object]] = []
    for (number, query), resolution, hits in zip(queries, resolutions, all_hits, strict=True):
        code = query.uscc or query.legacy_code or mask_id_number(query.id_number)
        note = matching.problems_text(resolution.problems) if resolution.problems else ""
        if not hits:
            verdict = "未命中" if resolution.matches or not query.is_empty() else "无法核查"
            if query.is_empty():
                note = note or "缺少名称和代码"
            elif not resolution.matches:
                note = note or "平台中未找到该主体"
            lines.append([number, query.name, code, verdict, *[""] * 9, note])
            continue
        for hit in hits:
            entry = hit["entry"]
            lines.append(
                [
                    number, query.name, code,
                    "命中（需人工核实）" if hit["needs_review"] else "命中",
                    hit["matched_by"]["label"],
                    f"{hit['list']['name']}（{hit['list']['kind_label']}）",
                    entry["decider"], entry["document_number"], entry["listed_on"] or "",
                    entry["valid_until_text"], _measures_text(hit["measures"]),
                    _measures_text(hit["rewards"]), len(hit["serious_records"]), note,
                ]
            )  # fmt: skip
    return write_xlsx("核查结果", RESULT_HEADERS, lines)
