"""The bulk check's result sheet, written part by part: readable, texts safe."""

import io

from openpyxl import load_workbook

from xinyong.sanctions.sheet import write_xlsx


def test_texts_numbers_formulas_and_control_characters():
    data = write_xlsx(
        "核查结果",
        ["行号", "名称", "说明"],
        [[2, "某<公司>&Co", "=1+1"], [3, "坏\x01字符", "-5"], [4, "", "@SUM(A1)"]],
    )
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [
        ("行号", "名称", "说明"),
        (2, "某<公司>&Co", "=1+1"),
        (3, "坏字符", "-5"),
        (4, None, "@SUM(A1)"),
    ]
    assert sheet["C2"].data_type == "s" and sheet["C2"].quotePrefix
    assert sheet["C4"].quotePrefix and not sheet["C3"].quotePrefix  # -5 is a number's text
    assert sheet["A1"].font.b
