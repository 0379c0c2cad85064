"""Demo intake: a few thousand realistic records for every department's items,
submitted through the same path as an upload (so some rows are rejected,
some late, and some subjects conflict, as in real life)."""

import csv
import datetime as dt
import random
import re
import tempfile
from pathlib import Path

from django.core.management.base import OutputWrapper

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.core.identifiers import uscc_with_checks
from xinyong.ingest.models import Batch
from xinyong.ingest.samples import company_name, person_name
from xinyong.ingest.services import batch_submit_file
from xinyong.orgs.models import Department

# Which departments submit which item in the demo district.
OWNERS = {
    "XZCF": ["scjg", "jiaotong", "yingji", "huanbao", "shuiwu", "wenlv"],
    "XZXK": ["scjg", "zhujian", "jiaotong", "weijian", "wenlv", "huanbao"],
    "NSXYA": ["shuiwu"],
    "QJSB": ["renshe"],
    "SXBZX": ["fayuan"],
}
ROWS_PER_BATCH = 150
BATCHES_PER_PAIR = 2

# How the district's documents are numbered: 神市监罚〔2025〕12号.
ABBREVIATIONS = {
    "scjg": "市监",
    "jiaotong": "交",
    "yingji": "应急",
    "huanbao": "环",
    "shuiwu": "税",
    "wenlv": "文旅",
    "zhujian": "建",
    "weijian": "卫健",
    "renshe": "人社",
    "fayuan": "法执",
}
DOC_WORDS = {"XZCF": "罚", "XZXK": "许", "NSXYA": "税公告", "QJSB": "社认"}
DEMO_FORMS = ["有限公司", "有限责任公司", "农民专业合作社", "经营部"]
TEXTS = {
    "违法行为类型": [
        "销售不符合食品安全标准的食品",
        "未按规定公示年度报告",
        "无照经营",
        "超限运输",
        "未取得林木采伐许可证采伐林木",
    ],
    "违法事实": [
        "经查，当事人销售过期食品，违法事实清楚。",
        "当事人未按期公示年度报告。",
        "当事人车辆超限运输。",
    ],
    "处罚依据": [
        "《中华人民共和国食品安全法》第一百二十四条",
        "《企业信息公示暂行条例》第十七条",
        "《公路安全保护条例》第六十四条",
    ],
    "许可内容": ["食品经营", "道路普通货物运输", "建筑工程施工", "公共场所卫生", "旅行社业务经营"],
    "许可证书名称": [
        "食品经营许可证",
        "道路运输经营许可证",
        "建筑工程施工许可证",
        "卫生许可证",
        "旅行社业务经营许可证",
    ],
}


class _Subjects:
    """A stable pool of companies, so that subjects recur across departments."""

    def __init__(self, rng: random.Random, size: int = 900):
        self.pool = []
        for i in range(size):
            name, prefix = company_name(rng, DEMO_FORMS)
            code = uscc_with_checks(
                f"{prefix}429021{i:06d}{rng.choice('0123456789ABCDEFGHJKLMNPQRTUWXY')}{rng.randrange(10)}"
            )
            self.pool.append((name, code))
        # A few conflicts, as departments really send: a known code with a
        # slightly different name.
        self.variants = {code: name.replace("有限公司", "公司") for name, code in self.pool[:15]}

    def pick(self, rng: random.Random) -> tuple[str, str]:
        name, code = rng.choice(self.pool)
        if code in self.variants and rng.random() < 0.3:
            name = self.variants[code]
        return name, code


def _value(
    field: dict,
    rng: random.Random,
    subject: tuple[str, str],
    decided: dt.date,
    department: Department,
    n: int,
    item_code: str,
) -> str:
    role, kind, label = field.get("role") or "", field["type"], field["label"]
    if role == "subject_name":
        return subject[0]
    if role == "subject_uscc":
        return subject[1]
    if role == "subject_kind":
        return "个体工商户" if subject[1].startswith("92") else "法人及非法人组织"
    if role in (
        "subject_registration",
        "subject_organization",
        "subject_tax",
        "subject_institution",
        "subject_social_org",
        "subject_id_type",
        "subject_id_number",
    ):
        return ""
    if role == "doc_number":
        short = ABBREVIATIONS.get(department.short_code, department.name[2:4])
        return f"神{short}{DOC_WORDS.get(item_code, '字')}〔{decided.year}〕{n}号"
    if label == "当前状态":
        return "有效"
    if role == "decision_date" or role == "valid_from":
        return decided.strftime(rng.choice(("%Y/%m/%d", "%Y-%m-%d", "%Y年%-m月%-d日")))
    if role == "valid_to":
        return (decided + dt.timedelta(days=rng.choice((365, 730, 1095)))).strftime("%Y/%m/%d")
    if kind == "identifier":
        return department.uscc or ""
    if kind == "code_list":
        choices = field.get("choices") or [""]
        if field.get("pattern"):  # e.g. only "A" of the 纳税信用 levels is listed
            choices = [c for c in choices if re.search(field["pattern"], c)] or choices
        return rng.choice(choices)
    if kind == "date":
        return decided.strftime("%Y/%m/%d")
    if kind == "decimal":
        return f"{rng.randrange(1, 500) / 100:.2f}"
    if "机关" in label or "单位" in label or "法院" in label:
        return department.name
    if label in TEXTS:
        return rng.choice(TEXTS[label])
    if "法定代表人" in label or "负责人" in label:
        return person_name(rng)
    if "年度" in label:
        return str(decided.year - 1)
    if field.get("pattern"):
        return f"{decided:%Y-%m}"
    if field.get("required"):
        return f"{label}（演示）"
    return ""


def _write_file(path: Path, schema: dict, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f["label"] for f in schema["fields"]])
        writer.writerows(rows)


def load(*, seed: int, stdout: OutputWrapper) -> None:
    if Batch.objects.exists():
        stdout.write("报送演示数据已存在，跳过。")
        return
    rng = random.Random(f"ingest-{seed}")  # noqa: S311 - reproducible demo data, not secrets
    subjects = _Subjects(rng)
    today = clock.today()
    total = {"received": 0, "accepted": 0, "rejected": 0, "late": 0}
    with tempfile.TemporaryDirectory(prefix="xinyong-demo-") as tmp:
        for code, owners in OWNERS.items():
            item = CatalogItem.objects.filter(code=code).select_related("current_version").first()
            if item is None or item.current_version is None:
                continue
            schema = item.current_version.schema
            for short_code in owners:
                department = Department.objects.filter(short_code=short_code).first()
                if department is None:
                    continue
                item.departments.add(department)
                for batch_no in range(BATCHES_PER_PAIR):
                    rows = []
                    for i in range(ROWS_PER_BATCH):
                        decided = today - dt.timedelta(days=rng.randrange(1, 365 * 4))
                        if batch_no == BATCHES_PER_PAIR - 1 and i < ROWS_PER_BATCH // 3:
                            decided = today - dt.timedelta(days=rng.randrange(0, 7))  # on time
                        n = batch_no * ROWS_PER_BATCH + i + 1
                        subject = subjects.pick(rng)
                        row = [
                            _value(f, rng, subject, decided, department, n, code)
                            for f in schema["fields"]
                        ]
                        if rng.random() < 0.04:  # a clerk's mistake
                            row[rng.randrange(len(row))] = rng.choice(["", "2023/02/30", "??"])
                        rows.append(row)
                    path = Path(tmp) / f"{code}-{short_code}-{batch_no + 1}.csv"
                    _write_file(path, schema, rows)
                    batch = batch_submit_file(department=department, item=item, path=path)
                    for key in total:
                        total[key] += getattr(batch, key)
    stdout.write(
        f"报送演示数据：接收 {total['received']} 行，通过 {total['accepted']}，退回 {total['rejected']}，"
        f"逾期报送 {total['late']}。"
    )
