"""Rows of 双公示 files for the exchange's tests."""

from support.ingest_files import AGENCY_CODE, company_code, penalty_row

PERSON_ID = "11010519491231002X"


def licence_row(n: int = 1, **overrides) -> dict:
    row = {
        "行政相对人名称": f"神农架林海{n}商贸有限公司",
        "行政相对人类别": "法人及非法人组织",
        "行政相对人代码_1(统一社会信用代码)": company_code(n),
        "行政许可决定文书号": f"神市监许〔2025〕{n}号",
        "许可类别": "特许",
        "许可内容": "食品经营许可",
        "许可决定日期": "2025/09/30",
        "有效期自": "2025/09/30",
        "有效期至": "2030/09/29",
        "许可机关": "林区市场监督管理局",
        "许可机关统一社会信用代码": AGENCY_CODE,
        "数据来源单位": "林区市场监督管理局",
        "数据来源单位统一社会信用代码": AGENCY_CODE,
    }
    row.update(overrides)
    return row


def person_penalty_row(n: int = 1) -> dict:
    row = penalty_row(n)
    del row["行政相对人代码_1(统一社会信用代码)"]
    row.update(
        {
            "行政相对人名称": "张三丰",
            "行政相对人类别": "自然人",
            "证件类型": "身份证",
            "证件号码": PERSON_ID,
        }
    )
    return row


__all__ = ["PERSON_ID", "licence_row", "penalty_row", "person_penalty_row"]
