"""Spreadsheets the platform hands out: an item's template and a batch's error
report (its rejected rows, then its accepted rows' consistency warnings).

Every value goes in through `_cell` or `_row`: a text that a spreadsheet would
take for a formula (`core.cells.formula_like`) is stored as text, and stays
text when the clerk edits the cell (Excel's quote prefix)."""

from collections.abc import Iterable
from io import BytesIO
from typing import cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xinyong.core.cells import formula_like
from xinyong.ingest.models import Batch

_REQUIRED_FILL = PatternFill("solid", fgColor="FDE2E2")
_HEADER_FONT = Font(bold=True)
ERROR_COLUMN = "错误原因"
# Excel's widest sheet (XFD); the report keeps the reason and row number within it.
EXCEL_MAX_COLUMNS = 16_384


def _as_text(cell: Cell) -> None:
    """A formula-like text stored as text (never a formula cell)."""
    if formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def _cell(sheet: Worksheet, row: int, column: int, value: str) -> Cell:
    cell = sheet.cell(row=row, column=column, value=value)
    _as_text(cell)
    return cell


def _row(sheet: Worksheet, values: Iterable[object]) -> list[object]:
    """A write-only sheet's row: formula-like texts as text cells."""
    out: list[object] = []
    for value in values:
        if isinstance(value, str) and formula_like(value):
            cell = WriteOnlyCell(sheet, value=value)
            _as_text(cell)
            out.append(cell)
        else:
            out.append(value)
    return out


def item_template(schema: dict) -> bytes:
    """Headers (required ones marked *), a note per column, drop-down lists for code lists."""
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)  # a new workbook's one sheet
    sheet.title = schema["item"]
    lists = workbook.create_sheet("代码表")
    list_column = 0
    for index, field in enumerate(schema["fields"], start=1):
        cell = _cell(sheet, 1, index, ("*" if field["required"] else "") + field["label"])
        cell.font = _HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if field["required"]:
            cell.fill = _REQUIRED_FILL
        note = _field_note(field)
        if note:
            cell.comment = Comment(note, "信用神农架")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, min(40, len(field["label"]) * 2 + 4))
        if field["type"] == "date":
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "yyyy/mm/dd"
        choices = field.get("choices") or []
        if field["type"] == "code_list" and choices:
            list_column += 1
            list_letter = get_column_letter(list_column)
            _cell(lists, 1, list_column, field["label"]).font = _HEADER_FONT
            for offset, value in enumerate(choices, start=2):
                _cell(lists, offset, list_column, value)
            source = (
                f"{quote_sheetname(lists.title)}!${list_letter}$2:${list_letter}${len(choices) + 1}"
            )
            validation = DataValidation(
                type="list",
                formula1=source,
                allow_blank=not field["required"],
                showErrorMessage=not field.get("choice_prefixes"),
                errorTitle="不在代码表中",
                error=f"请从下拉列表中选择“{field['label']}”",
            )
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}100000")
    sheet.freeze_panes = "A2"
    return _save(workbook)


def _field_note(field: dict) -> str:
    parts = []
    if field["required"]:
        parts.append("必填。")
    kind = field["type"]
    if kind == "date":
        parts.append("日期，如 2025/09/30。")
    elif kind == "decimal":
        parts.append("数值。")
    elif kind == "identifier":
        parts.append("代码，将按国家标准校验。")
    if field.get("help_text"):
        parts.append(field["help_text"])
    if field.get("is_public") is False:
        parts.append("不公开。")
    return "".join(parts)


def error_report(batch: Batch) -> bytes:
    """The rejected rows as received, with their reasons in a last column, so the
    clerk can fix them in place and upload the file again. A row wider than
    a sheet (a batch read before the column limit) keeps its first columns,
    and the reason says so."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"退回行-批次{batch.pk}")
    header: list[str] = []
    rows = batch.rejected_rows.order_by("row_number").iterator(chunk_size=2000)
    first = True
    cut = ""
    for row in rows:
        values = row.clear_values()
        if first:
            header = list(values)
            if len(header) > EXCEL_MAX_COLUMNS - 2:
                cut = _("；此行超过 Excel 的 %(max)d 列，只列出前 %(n)d 列") % {
                    "max": EXCEL_MAX_COLUMNS,
                    "n": EXCEL_MAX_COLUMNS - 2,
                }
                header = header[: EXCEL_MAX_COLUMNS - 2]
            sheet.append(_row(sheet, [*header, ERROR_COLUMN, "原行号"]))
            first = False
        reasons = "；".join(
            f"“{e['field']}”{e['message']}" if e.get("field") else e["message"]
            for e in row.clear_errors()
        )
        cells = (values.get(h, "") for h in header)
        sheet.append(_row(sheet, [*cells, reasons + cut, row.row_number]))
    if first:
        sheet.append(["本批次没有退回行"])
    _warnings_sheet(workbook, batch)
    return _save(workbook)


WARNINGS_HEADER = ("原行号", "字段", "填写内容", "提示")


def _warnings_sheet(workbook: Workbook, batch: Batch) -> None:
    """The accepted rows that looked wrong (consistency warnings), on a sheet
    of their own after the rejected rows: they are not to be uploaded again
    unless corrected."""
    if not batch.warned:
        return
    sheet = workbook.create_sheet(f"校验提示-批次{batch.pk}")
    sheet.append(_row(sheet, WARNINGS_HEADER))
    for row in batch.warned_rows.order_by("row_number").iterator(chunk_size=2000):
        for warning in row.warnings:
            sheet.append(
                _row(
                    sheet,
                    [row.row_number, warning["field"], str(warning["value"]), warning["message"]],
                )
            )


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
