"""The readers give the same rows whichever path a file takes."""

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from support.xlsx import hand_xlsx, sheet_xml
from xinyong.ingest.readers import FileProblem, _spreadsheet_rows, read_rows
from xinyong.ingest.xlsx_stream import xlsx_rows

ROWS = [
    ["名称", "日期", "金额", "备注"],
    ["神农架林海商贸有限公司", dt.datetime(2025, 9, 30), 0.5, "A & B <c>"],
    [],
    ["松柏山泉茶业有限公司", "2025/10/01", 12, None],
    ["木鱼绿野蜂业合作社", 45930, 1.25, True],
]


def _workbook(path: Path, *, write_only: bool) -> Path:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("数据") if write_only else workbook.active
    for row in ROWS:
        sheet.append(row)
    if not write_only:
        sheet.cell(row=7, column=2, value="隔行")  # a gap of one empty row before it
        sheet.cell(row=8, column=3, value=CellRichText("富", TextBlock(InlineFont(b=True), "文本")))
    workbook.save(path)
    return path


def _text(rows):
    out = []
    for row in rows:
        # calamine gives 12.0 where the stream gives 12: the same to every parser.
        cells = [
            "" if c is None else str(int(c) if isinstance(c, float) and c.is_integer() else c)
            for c in row
        ]
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


@pytest.mark.parametrize("write_only", [True, False])
def test_streamed_xlsx_equals_calamine(tmp_path, write_only):
    path = _workbook(tmp_path / "a.xlsx", write_only=write_only)
    assert _text(xlsx_rows(path)) == _text(_spreadsheet_rows(path))


def test_streamed_values_and_row_numbers(tmp_path):
    rows = list(xlsx_rows(_workbook(tmp_path / "a.xlsx", write_only=False)))
    assert rows[1][0] == "神农架林海商贸有限公司"
    assert rows[1][3] == "A & B <c>"  # XML entities decoded
    assert rows[2] == []  # the empty row keeps its place: row numbers stay right
    assert rows[3][2] == 12 and rows[4][2] == 1.25
    assert rows[6][1] == "隔行"  # row 7, after an empty row 6
    assert rows[7][2] == "富文本"


def test_every_xlsx_takes_the_streaming_path(tmp_path):
    path = _workbook(tmp_path / "a.xlsx", write_only=False)
    assert list(read_rows(path))[1][0] == "神农架林海商贸有限公司"


def test_broken_xlsx_is_a_file_problem(tmp_path):
    path = _workbook(tmp_path / "a.xlsx", write_only=True)
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(FileProblem):
        list(read_rows(path))


_SHEET_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>类别</t></is></c><c r="C1" t="inlineStr"><is><t>备注</t></is></c></row>'
    '<row r="2" spans="1:3"><c r="A2" t="inlineStr"><is><t>林海 &amp; 山泉</t></is></c>'
    '<c r="B2" t="inlineStr" /><c r="C2" t="inlineStr"><is><t>&lt;无&gt;</t></is></c></row>'
    # B3 left out: C3 must stay in the third column.
    '<row r="3"><c r="A3" t="inlineStr"><is><t>松柏茶业</t></is></c>'
    '<c r="C3" t="inlineStr"><is><t>第三列</t></is></c></row>'
    '<row r="4"/>'
    # Row 5 left out; row 6 mixes a number with text.
    '<row r="6"><c r="A6" t="inlineStr"><is><t>木鱼蜂业</t></is></c><c r="B6"><v>12</v></c>'
    '<c r="C6" t="inlineStr"><is><t xml:space="preserve"> 带空格 </t></is></c></row>'
    "</sheetData></worksheet>"
)


def _inline_workbook(path: Path) -> Path:
    """An xlsx written by hand the way exports that store text inline write it."""
    return hand_xlsx(path, _SHEET_XML)


def test_streamed_inline_strings_keep_columns_entities_and_row_numbers(tmp_path):
    path = _inline_workbook(tmp_path / "inline.xlsx")
    rows = list(xlsx_rows(path))
    assert rows[1] == ["林海 & 山泉", "", "<无>"]
    assert rows[2] == ["松柏茶业", "", "第三列"]  # the left-out B3 keeps C3 in place
    assert rows[3] == [] and rows[4] == []  # an empty row, a left-out row
    assert rows[5][:2] == ["木鱼蜂业", 12] and rows[5][2] == " 带空格 "
    assert _text(rows) == _text(_spreadsheet_rows(path))


def test_cells_without_a_reference_take_the_next_column(tmp_path):
    """The standard lets a cell leave out r=; it is then the next column."""
    rows = '<row r="1"><c t="inlineStr"><is><t>甲</t></is></c><c r="C1"><v>3</v></c><c><v>4</v></c></row>'
    assert list(xlsx_rows(hand_xlsx(tmp_path / "a.xlsx", sheet_xml(rows)))) == [["甲", "", 3, 4]]


def test_a_sheet_cut_after_a_row_ends_with_an_error(tmp_path):
    """No closing tags after the last row: the reader ends, and says the file is cut."""
    sheet = '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
    with pytest.raises(FileProblem, match="第 1 行之后中断"):
        list(xlsx_rows(hand_xlsx(tmp_path / "a.xlsx", sheet)))


def test_rows_without_a_reference_take_the_next_row(tmp_path):
    """Rows may leave out r= too; they were dropped before."""
    rows = '<row><c><v>1</v></c></row><row r="3"><c><v>3</v></c></row><row><c><v>4</v></c></row>'
    path = hand_xlsx(tmp_path / "a.xlsx", sheet_xml(rows))
    assert list(xlsx_rows(path)) == [[1], [], [3], [4]]


def test_a_sheet_cut_off_after_whole_rows_is_refused_not_half_read(tmp_path):
    """A broken export or copy: the sheet's XML stops after row 2 of 8, inside a valid
    zip. Reading its two rows and saying nothing would lose the other six."""
    import zipfile

    whole = _workbook(tmp_path / "a.xlsx", write_only=False)
    cut = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(cut, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: data.index(b"</row>", data.index(b'<row r="2"')) + 6]
            target.writestr(info, data)
    with pytest.raises(FileProblem) as refused:
        list(xlsx_rows(cut))
    assert "表格文件不完整" in refused.value.message and "第 2 行之后中断" in refused.value.message
    assert _text(xlsx_rows(whole))  # the whole file still reads
