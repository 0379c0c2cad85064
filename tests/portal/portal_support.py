"""Rows and helpers for the portal tests."""

from support.ingest_files import AGENCY_CODE, company_code, penalty_row

PERSON_ID = "11010519491231002X"
LEGAL_REP_ID = "420300198001011234"


def licence_row(n: int = 1, **overrides) -> dict:
    row = {
        "行政相对人名称": f"神农架林海{n}商贸有限公司",
        "行政相对人类别": "法人及非法人组织",
        "行政相对人代码_1(统一社会信用代码)": company_code(n),
        "行政许可决定文书号": f"神市监许〔2025〕{n}号",
        "许可类别": "普通",
        "许可证书名称": "食品经营许可证",
        "许可内容": "食品销售经营者",
        "许可决定日期": "2025/09/29",
        "有效期自": "2025/09/29",
        "有效期至": "2030/09/28",
        "许可机关": "林区市场监督管理局",
        "许可机关统一社会信用代码": AGENCY_CODE,
        "当前状态": "有效",
        "数据来源单位": "林区市场监督管理局",
        "数据来源单位统一社会信用代码": AGENCY_CODE,
    }
    row.update(overrides)
    return row


def person_penalty_row(n: int = 900, **overrides) -> dict:
    row = penalty_row(
        n,
        **{
            "行政相对人名称": "张三丰",
            "行政相对人类别": "自然人",
            "行政相对人代码_1(统一社会信用代码)": "",
            "证件类型": "身份证",
            "证件号码": PERSON_ID,
            "处罚类别": "警告",
            "罚款金额（万元）": "",
            "处罚内容": "警告",
        },
    )
    row.update(overrides)
    return row
