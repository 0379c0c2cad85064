"""Demo departments and users: the district's units as named in the 2018 work plan."""

import random

from django.core.management.base import OutputWrapper

from xinyong.core.identifiers import uscc_with_checks
from xinyong.orgs.models import Department, User

DISTRICT = "429021"  # 神农架林区
DEMO_PASSWORD = "xinyong-demo"  # noqa: S105 - demo data only; `xinyong run` prints it

# (short code, name, kind, parent short code, former names)
DEPARTMENTS = [
    ("fgw", "林区发展和改革委员会", "industry", None, "发展改革委"),
    ("xyb", "林区社会信用体系建设领导小组办公室", "credit_office", "fgw", "信用办"),
    ("scjg", "林区市场监督管理局", "industry", None, "工商局、质监局、食品药品监管局"),
    ("shuiwu", "国家税务总局神农架林区税务局", "industry", None, "国税局、地税局"),
    ("gongan", "林区公安局", "industry", None, ""),
    ("renshe", "林区人力资源和社会保障局", "industry", None, "人社局"),
    ("caizheng", "林区财政局", "industry", None, ""),
    ("zhujian", "林区住房和城乡建设委员会", "industry", None, "住建委"),
    ("jiaotong", "林区交通运输局", "industry", None, ""),
    ("shangwu", "林区商务局", "industry", None, ""),
    ("weijian", "林区卫生健康委员会", "industry", None, "卫计委"),
    ("jiaoyu", "林区教育局", "industry", None, ""),
    ("minzheng", "林区民政局", "industry", None, ""),
    ("sifa", "林区司法局", "industry", None, ""),
    ("huanbao", "神农架林区生态环境局", "industry", None, "环保局"),
    ("nongye", "林区农业农村局", "industry", None, "农业局"),
    ("yingji", "林区应急管理局", "industry", None, "安监局"),
    ("wenlv", "林区文化和旅游局", "industry", None, "旅游委"),
    ("fayuan", "神农架林区人民法院", "industry", None, "法院"),
    ("renhang", "中国人民银行神农架林区支行", "industry", None, "人行神农架支行"),
    ("ggzy", "林区公共资源交易监督管理局", "industry", None, "公共资源交易监管局"),
    ("bianban", "林区机构编制委员会办公室", "industry", None, "编办"),
    ("gongdian", "国网湖北省电力有限公司神农架供电公司", "public_service", None, ""),
    ("gongjijin", "神农架林区住房公积金中心", "public_service", None, ""),
]

# (username, display name, role, department short code)
USERS = [
    ("admin", "信用办管理员", User.Role.CREDIT_ADMIN, "xyb"),
    # Makes and revokes the department's API tokens (a clerk or an officer cannot).
    ("scjg_admin", "市场监管局部门管理员", User.Role.DEPARTMENT_ADMIN, "scjg"),
    ("scjg_clerk", "市场监管局报送员", User.Role.CLERK, "scjg"),
    ("scjg_officer", "市场监管局执法人员", User.Role.OFFICER, "scjg"),
    ("shuiwu_clerk", "税务局报送员", User.Role.CLERK, "shuiwu"),
    ("renshe_clerk", "人社局报送员", User.Role.CLERK, "renshe"),
    ("ggzy_officer", "公共资源交易监管局审核人员", User.Role.OFFICER, "ggzy"),
]


def _department_uscc(rng: random.Random, kind: str) -> str:
    # Organs (机关, 1-1) and public institutions (事业单位, 1-2) are registered by 机构编制;
    # the power company is an enterprise (9-1) registered by market regulation.
    prefix = "91" if kind == "public_service" else "11"
    body = "".join(rng.choice("0123456789") for _ in range(8))
    return uscc_with_checks(prefix + DISTRICT + body)


def load(*, seed: int, stdout: OutputWrapper) -> None:
    rng = random.Random(f"orgs-{seed}")  # noqa: S311 - reproducible demo data, not secrets
    by_code: dict[str, Department] = {}
    for short_code, name, kind, parent, former in DEPARTMENTS:
        uscc = _department_uscc(rng, kind)
        department, _created = Department.objects.update_or_create(
            short_code=short_code,
            defaults={
                "name": name,
                "kind": kind,
                "parent": by_code.get(parent) if parent else None,
                "former_names": former,
                "uscc": uscc,
            },
        )
        by_code[short_code] = department
    for username, display_name, role, dept in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": display_name, "role": role, "department": by_code[dept]},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if role == User.Role.CREDIT_ADMIN:
                user.is_staff = True
                user.is_superuser = True
            user.save()
    stdout.write(
        f"部门 {len(DEPARTMENTS)} 个，演示用户 {len(USERS)} 个。演示登录（密码均为 {DEMO_PASSWORD}）："
    )
    for username, _name, role, dept in USERS:
        stdout.write(f"  {username:<14} {User.Role(role).label} · {by_code[dept].name}")
