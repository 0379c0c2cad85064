"""Files as clerks make them, for the intake tests."""

import csv
from pathlib import Path

from openpyxl import Workbook

from xinyong.core.identifiers import uscc_with_checks

HEADER = [
    "行政相对人名称",
    "行政相对人类别",
    "行政相对人代码_1(统一社会信用代码)",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "处罚决定日期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
]
AGENCY_CODE = uscc_with_checks("1142902100000000")


def company_code(n: int, prefix: str = "91429021") -> str:
    return uscc_with_checks(f"{prefix}{n:08d}")


def penalty_row(n: int = 1, **overrides) -> dict:
    row = {
        "行政相对人名称": f"神农架林海{n}商贸有限公司",
        "行政相对人类别": "法人及非法人组织",
        "行政相对人代码_1(统一社会信用代码)": company_code(n),
        "行政处罚决定书文号": f"神市监罚〔2025〕{n}号",
        "违法行为类型": "销售不符合食品安全标准的食品",
        "违法事实": "经查，当事人销售过期食品。",
        "处罚依据": "《中华人民共和国食品安全法》第一百二十四条",
        "处罚类别": "罚款",
        "处罚内容": "罚款人民币0.5万元",
        "罚款金额（万元）": "0.5",
        "处罚决定日期": "2025/09/30",
        "处罚机关": "林区市场监督管理局",
        "处罚机关统一社会信用代码": AGENCY_CODE,
        "数据来源单位": "林区市场监督管理局",
        "数据来源单位统一社会信用代码": AGENCY_CODE,
    }
    row.update(overrides)
    return row


def write_csv(path: Path, rows: list[dict], *, encoding="utf-8", header=None) -> Path:
    header = header or (list(rows[0]) if rows else HEADER)
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(h, "") for h in header])
    return path


def write_xlsx(path: Path, rows: list[dict], *, header=None) -> Path:
    header = header or list(rows[0])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h, "") for h in header])
    workbook.save(path)
    return path
