"""The default text of each commitment type: the common five-point commitment
of the Hubei platforms (DOMAIN §4: comply with the law; materials are true;
accept supervision; no serious bad-credit record; accept inspection, a
breach being recorded and published), in the style of the 告知承诺制 forms
(国办发〔2020〕42号). Loaded by migration `rights 0004` and after a flush
(`post_migrate`); a type that has any text is left as the credit office
made it: a change is a new version (`commitment_text_publish`)."""

import datetime as dt

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS, connections

FIVE_POINTS = (
    "一、严格遵守国家法律、法规、规章和政策规定，依法依规开展生产经营和相关活动，自觉履行法定义务。\n"
    "二、保证所提交的申请材料和所作说明真实、准确、完整、合法、有效，不存在隐瞒有关情况或者提供虚假材料的行为。\n"
    "三、自觉接受行政机关、行业组织、社会公众和新闻舆论的监督，积极配合有关部门依法开展的监督管理工作。\n"
    "四、{fourth}\n"
    "五、自觉接受有关部门依法开展的核查和检查。如违背上述承诺，愿意承担相应的法律责任，"
    "接受有关部门依法依规实施的失信惩戒，并同意将违诺情况记入信用记录、依法向社会公开。"
)
INTROS = {
    "approval": (
        "信用承诺书（审批替代型）",
        "本单位（本人）申请办理有关事项，现就以告知承诺代替证明材料郑重承诺如下：",
    ),
    "tolerance": (
        "信用承诺书（容缺受理型）",
        "本单位（本人）申请容缺受理有关事项，承诺在约定期限内补齐所缺材料，并郑重承诺如下：",
    ),
    "voluntary": (
        "信用承诺书（主动型）",
        "本单位（本人）自愿向社会作出公开信用承诺，郑重承诺如下：",
    ),
    "repair": (
        "信用修复承诺书",
        "本单位（本人）已纠正失信行为、履行相关义务，现申请信用修复，郑重承诺如下：",
    ),
    "industry": (
        "信用承诺书（行业自律型）",
        "本单位（本人）自觉遵守行业自律公约和行业规范，郑重承诺如下：",
    ),
}
# Point four: a subject asking for repair is on record; it promises not to repeat.
FOURTH = {
    "*": "本单位（本人）不存在被列入严重失信主体名单等严重失信记录的情形。",
    "repair": "本单位（本人）已消除失信行为的不良影响，今后不再发生同类失信行为。",
}
DEFAULT_TEXTS = {
    type_: (
        title,
        intro
        + "\n"
        + FIVE_POINTS.format(fourth=FOURTH.get(type_, FOURTH["*"]))
        + "\n特此承诺。\n\n承诺人（签章）：\n日期：",
    )
    for type_, (title, intro) in INTROS.items()
}

# A paper signed on any day since 告知承诺制 began was signed against version 1.
DEFAULT_EFFECTIVE_FROM = dt.date(2019, 1, 1)


def ensure_default_texts(apps: Apps | None = None, *, using: str = DEFAULT_DB_ALIAS) -> int:
    """Create version 1 of each type that has no text; returns how many were made."""
    Text = (apps or global_apps).get_model("rights", "CommitmentText")
    rows = Text._default_manager.db_manager(using)
    made = 0
    now = dt.datetime.now(dt.UTC)
    for type_, (title, body) in DEFAULT_TEXTS.items():
        if not rows.filter(type=type_).exists():
            rows.create(
                type=type_, version=1, title=title, body=body,
                effective_from=DEFAULT_EFFECTIVE_FROM, note="内置默认文本（通用五项承诺）",
                created_at=now,
            )  # fmt: skip
            made += 1
    return made


def ensure_after_migrate(
    sender: AppConfig | None = None, *, using: str = DEFAULT_DB_ALIAS, **kwargs: object
) -> None:
    """`post_migrate` receiver: put the default texts back after a flush."""
    if "rights_commitmenttext" in connections[using].introspection.table_names():
        ensure_default_texts(using=using)
