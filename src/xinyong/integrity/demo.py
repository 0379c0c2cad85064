"""Demo data of 政务诚信 and 个人诚信: the 组织部 (zzb) and its officer, the
reader departments of the restricted items, people of the key groups with
their integrity records, government bodies with 政务失信 records, and
breach complaints in each state of the queue.

Records are written as rows (the intake pipeline's own demo covers the
files); person identifiers as the intake stores them: the subject keeps the
keyed digest, the masked number and the number under the data key; the
record keeps the masked number only.
"""

import datetime as dt
import hashlib
import json
import random

from django.core.management.base import OutputWrapper

from xinyong.catalog.models import CatalogItem
from xinyong.core import clock
from xinyong.core.identifiers import uscc_with_checks
from xinyong.core.identifiers.resident_id import resident_id_with_check
from xinyong.core.masking import mask_id_number
from xinyong.integrity import services
from xinyong.integrity.builtin import bind_readers, builtin_readers
from xinyong.integrity.models import GovComplaint
from xinyong.orgs.demo import DEMO_PASSWORD, DISTRICT
from xinyong.orgs.models import Department, User
from xinyong.records.models import Record
from xinyong.subjects.hashing import id_digest, seal_id_number
from xinyong.subjects.models import Subject
from xinyong.subjects.naming import name_key

ZZB = ("zzb", "中共神农架林区委员会组织部", "组织部")
# (username, display name, department short code): one officer per reader department.
OFFICERS = [
    ("zzb_officer", "组织部干部监督科", "zzb"),
    ("jiaoyu_officer", "教育局人事科", "jiaoyu"),
    ("weijian_officer", "卫健委医政科", "weijian"),
]
# (name, item code, 信息类别, content)
PEOPLE = [
    ("王建国", "GWY_CXDA", "守信", "年度考核优秀，无违纪记录"),
    ("李秀兰", "GWY_CXDA", "失信", "违反中央八项规定精神受到诫勉"),
    ("张明", "GRCX_JS", "失信", "有偿补课，受到通报批评"),
    ("刘芳", "GRCX_JS", "守信", "获评林区优秀教师"),
    ("陈伟", "GRCX_YS", "失信", "收受患者红包，暂停执业三个月"),
    ("杨丽", "GRCX_LS", "失信", "违规收费，受到司法局警告"),
    ("赵强", "GRCX_DY", "失信", "强迫游客购物，记入导游不良信用记录"),
    ("黄敏", "GRCX_KJ", "失信", "伪造会计凭证，受到行政处罚"),
    ("周涛", "GRCX_FDDBR", "失信", "所任企业拖欠工资被列入失信名单"),
]
# Reporting departments of the 政务失信 items.
GOVERNMENT_SOURCES = {"ZWSX_BZX": "fayuan", "ZWSX_CF": "scjg", "ZWSX_WY": "xyb"}
BODIES = [
    ("神农架林区某镇人民政府", "11", "ZWSX_WY"),
    ("神农架林区某中心学校", "12", "ZWSX_BZX"),
    ("神农架林区某局", "11", "ZWSX_CF"),
]


def _record(
    item: CatalogItem, department: Department, subject: Subject, data: dict[str, str], n: int
) -> Record:
    doc = data["doc_number"]
    if item.current_version is None:
        raise ValueError(f"{item.code} has no published version")
    existing = Record.objects.filter(item=item, department=department, record_key=doc).first()
    if existing is not None:
        return existing
    decided = clock.today() - dt.timedelta(days=30 + n * 11)
    data = {**data, "decision_date": decided.isoformat()}
    return Record.objects.create(
        item=item,
        version=item.current_version,
        department=department,
        subject=subject,
        doc_number=doc,
        record_key=doc,
        decision_date=decided,
        data=data,
        content_hash=hashlib.sha256(
            json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest(),
        submitted_on=decided + dt.timedelta(days=2),
        created_at=clock.now(),
        updated_at=clock.now(),
    )


def _person(rng: random.Random, name: str) -> tuple[Subject, str]:
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 12000))
    number = resident_id_with_check(f"{DISTRICT}{birth:%Y%m%d}{rng.randrange(100, 999)}")
    subject, _created = Subject.objects.get_or_create(
        kind=Subject.Kind.PERSON,
        id_digest=id_digest(number),
        defaults={
            "name": name,
            "name_key": name_key(name),
            "id_masked": mask_id_number(number),
            "id_encrypted": seal_id_number(number),
            "created_at": clock.now(),
            "updated_at": clock.now(),
        },
    )
    return subject, number


def load(*, seed: int, stdout: OutputWrapper) -> None:
    rng = random.Random(f"integrity-{seed}")  # noqa: S311 - reproducible demo data, not secrets
    code, name, former = ZZB
    Department.objects.update_or_create(
        short_code=code,
        defaults={
            "name": name,
            "kind": Department.Kind.INDUSTRY,
            "former_names": former,
            "uscc": uscc_with_checks("11" + DISTRICT + "90000001"),
        },
    )
    bind_readers()
    by_code = {d.short_code: d for d in Department.objects.all()}
    # Each restricted item is submitted by the department that reads it.
    for item_code, codes in builtin_readers().items():
        item = CatalogItem.objects.get(code=item_code)
        item.departments.add(*[by_code[r] for r in codes if r in by_code])
    for item_code, dept in GOVERNMENT_SOURCES.items():
        if dept in by_code:
            CatalogItem.objects.get(code=item_code).departments.add(by_code[dept])
    for username, display, dept in OFFICERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display,
                "role": User.Role.OFFICER,
                "department": by_code[dept],
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])

    items = {i.code: i for i in CatalogItem.objects.filter(is_restricted=True)}
    item_readers = builtin_readers()
    for n, (person, item_code, kind, content) in enumerate(PEOPLE, start=1):
        subject, number = _person(rng, person)
        item = items[item_code]
        department = by_code[item_readers[item_code][0]]
        _record(
            item,
            department,
            subject,
            {
                "subject_name": person,
                "id_type": "身份证",
                "id_number": mask_id_number(number),
                "organization": "神农架林区",
                "doc_number": f"{item_code}-{clock.today():%Y}-{n:04d}",
                "record_kind": kind,
                "content": content,
                "source": department.name,
            },
            n,
        )

    for n, (body, category, item_code) in enumerate(BODIES, start=1):
        uscc = uscc_with_checks(category + DISTRICT + f"{80000000 + n:08d}")
        subject, _created = Subject.objects.get_or_create(
            uscc=uscc,
            defaults={
                "kind": Subject.Kind.LEGAL,
                "name": body,
                "name_key": name_key(body),
                "created_at": clock.now(),
                "updated_at": clock.now(),
            },
        )
        item = CatalogItem.objects.get(code=item_code)
        department = by_code[GOVERNMENT_SOURCES[item_code]]
        data = {"subject_name": body, "subject_uscc": uscc, "doc_number": f"{item_code}-{n:04d}"}
        data.update(
            {
                "ZWSX_WY": {"contract": "招商引资协议", "breach": "未按约定兑现奖补资金"},
                "ZWSX_BZX": {
                    "court": "神农架林区人民法院",
                    "obligation": "支付工程款",
                    "performance": "未履行",
                },
                "ZWSX_CF": {"penalty_content": "罚款人民币1万元", "agency": "林区市场监督管理局"},
            }[item_code]
        )
        _record(item, department, subject, data, n)

    if not GovComplaint.objects.exists():
        admin = User.objects.filter(role=User.Role.CREDIT_ADMIN).first()
        filed = []
        for n, body in enumerate(
            ["神农架林区某镇人民政府", "神农架林区某中心学校", "神农架林区某局"]
        ):
            uscc = uscc_with_checks(("11" if n != 1 else "12") + DISTRICT + f"{80000001 + n:08d}")
            filed.append(
                services.complaint_submit(
                    complainant=services.Complainant(
                        name=f"神农架林海{n + 1}商贸有限公司",
                        kind="legal",
                        code=uscc_with_checks("91" + DISTRICT + f"{70000000 + n:08d}"),
                        phone="0719-3330000",
                    ),
                    body_name=body,
                    body_uscc=uscc,
                    contract="招商引资协议",
                    facts="约定的奖补资金逾期一年未兑现。",
                ).complaint
            )
        if admin is not None and "zhujian" in by_code:
            services.complaint_accept(
                actor=admin, complaint=filed[1], department=by_code["zhujian"]
            )
            accepted = services.complaint_accept(
                actor=admin, complaint=filed[2], department=by_code["zhujian"]
            )
            services.complaint_close(
                actor=admin,
                complaint=accepted,
                outcome=GovComplaint.Outcome.SUBSTANTIATED,
                note="经核实，已督促兑现奖补资金并记入政府违约失信记录。",
            )
    stdout.write(
        f"integrity: {len(PEOPLE)} 人的个人诚信记录, {len(BODIES)} 个政府机构的政务失信记录, "
        f"{GovComplaint.objects.count()} 件政府违约失信投诉"
    )
