"""The built-in catalog after `migrate`: stable codes, every field of the
双公示 standard (DOMAIN.md §2), code lists, and the schema contract."""

import pytest
from django.core.management import call_command

from xinyong.catalog.builtin import load_builtin, read_builtin
from xinyong.catalog.models import CatalogField, CatalogItem, CodeList
from xinyong.catalog.schema import header_forms
from xinyong.catalog.validation import field_problems, item_problems

pytestmark = pytest.mark.django_db

SUBJECT_LABELS = [
    "行政相对人名称",
    "行政相对人类别",
    "行政相对人代码_1（统一社会信用代码）",
    "行政相对人代码_2（工商注册号）",
    "行政相对人代码_3（组织机构代码）",
    "行政相对人代码_4（税务登记号）",
    "行政相对人代码_5（事业单位证书号）",
    "行政相对人代码_6（社会组织登记证号）",
    "法定代表人",
    "法定代表人证件类型",
    "法定代表人证件号码",
    "证件类型",
    "证件号码",
]
XZXK_LABELS = [
    *SUBJECT_LABELS,
    "行政许可决定文书名称",
    "行政许可决定文书号",
    "许可类别",
    "许可证书名称",
    "许可编号",
    "许可内容",
    "许可决定日期",
    "有效期自",
    "有效期至",
    "许可机关",
    "许可机关统一社会信用代码",
    "当前状态",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
]
XZCF_LABELS = [
    *SUBJECT_LABELS,
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "失信程度",  # optional, not in the national standard: the tier the department states
    "罚款金额（万元）",
    "没收违法所得、没收非法财物的金额（万元）",
    "暂扣或吊销证照名称及编号",
    "处罚决定日期",
    "处罚有效期",
    "公示截止期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
]
SUBJECT_ROLES = {
    "行政相对人名称": "subject_name",
    "行政相对人类别": "subject_kind",
    "行政相对人代码_1（统一社会信用代码）": "subject_uscc",
    "行政相对人代码_2（工商注册号）": "subject_registration",
    "行政相对人代码_3（组织机构代码）": "subject_organization",
    "行政相对人代码_4（税务登记号）": "subject_tax",
    "行政相对人代码_5（事业单位证书号）": "subject_institution",
    "行政相对人代码_6（社会组织登记证号）": "subject_social_org",
    "证件类型": "subject_id_type",
    "证件号码": "subject_id_number",
}


def _schema(code: str) -> dict:
    return CatalogItem.objects.get(code=code).current_version.schema


def _by_label(schema: dict) -> dict[str, dict]:
    return {f["label"]: f for f in schema["fields"]}


def test_builtin_items_exist_with_stable_codes():
    items = {i.code: i for i in CatalogItem.objects.all()}
    assert {"XZXK", "XZCF", "NSXYA", "QJSB", "SXBZX"} <= set(items)
    assert items["XZXK"].name == "行政许可" and items["XZCF"].name == "行政处罚"
    for code in ("XZXK", "XZCF", "NSXYA", "QJSB", "SXBZX"):
        item = items[code]
        assert item.is_builtin and item.is_active and item.legal_basis
        assert item.current_version is not None and item.current_version.number == 1
        # Owners are linked by the credit office or the demo, not by the migration.
        assert item.departments.count() == 0


def test_xzxk_has_every_field_of_the_standard_in_order():
    assert [f["label"] for f in _schema("XZXK")["fields"]] == XZXK_LABELS


def test_xzcf_has_every_field_of_the_standard_in_order():
    assert [f["label"] for f in _schema("XZCF")["fields"]] == XZCF_LABELS


@pytest.mark.parametrize("code", ["XZXK", "XZCF"])
def test_subject_roles_and_non_public_id_numbers(code):
    fields = _by_label(_schema(code))
    assert {label: fields[label]["role"] for label in SUBJECT_ROLES} == SUBJECT_ROLES
    for label in ("证件号码", "法定代表人证件号码"):
        assert fields[label]["is_public"] is False
        assert fields[label]["masking"] == "id_number"
    assert fields["证件类型"]["is_public"] is False
    assert fields["行政相对人代码_1（统一社会信用代码）"]["identifier_kind"] == "uscc"
    for label in (
        "数据来源单位统一社会信用代码",
        "许可机关统一社会信用代码" if code == "XZXK" else "处罚机关统一社会信用代码",
    ):
        assert fields[label]["type"] == "identifier" and fields[label]["identifier_kind"] == "uscc"
    assert fields["行政相对人代码_1（统一社会信用代码）"]["aliases"][:2] == [
        "统一社会信用代码",
        "社会信用代码",
    ]


def test_xzcf_roles_types_and_required():
    fields = _by_label(_schema("XZCF"))
    assert fields["行政处罚决定书文号"]["role"] == "doc_number"
    assert fields["处罚决定日期"]["role"] == "decision_date"
    assert fields["处罚有效期"]["role"] == "valid_to"
    for label in ("处罚决定日期", "处罚有效期", "公示截止期"):
        assert fields[label]["type"] == "date"
    for label in ("罚款金额（万元）", "没收违法所得、没收非法财物的金额（万元）"):
        assert fields[label]["type"] == "decimal"
    assert "罚款金额" in fields["罚款金额（万元）"]["aliases"]
    assert {"决定日期", "处罚日期"} <= set(fields["处罚决定日期"]["aliases"])
    required = {f["label"] for f in fields.values() if f["required"]}
    assert required == {
        "行政相对人名称",
        "行政相对人类别",
        "行政处罚决定书文号",
        "违法行为类型",
        "违法事实",
        "处罚依据",
        "处罚类别",
        "处罚内容",
        "处罚决定日期",
        "处罚机关",
        "处罚机关统一社会信用代码",
        "数据来源单位",
        "数据来源单位统一社会信用代码",
    }


def test_xzxk_roles_and_required():
    fields = _by_label(_schema("XZXK"))
    assert fields["行政许可决定文书号"]["role"] == "doc_number"
    assert fields["许可决定日期"]["role"] == "decision_date"
    assert fields["有效期自"]["role"] == "valid_from"
    assert fields["有效期至"]["role"] == "valid_to"
    required = {f["label"] for f in fields.values() if f["required"]}
    assert required == {
        "行政相对人名称",
        "行政相对人类别",
        "行政许可决定文书号",
        "许可类别",
        "许可内容",
        "许可决定日期",
        "有效期自",
        "有效期至",
        "许可机关",
        "许可机关统一社会信用代码",
        "数据来源单位",
        "数据来源单位统一社会信用代码",
    }
    assert fields["许可类别"]["choices"] == ["普通", "特许", "认可", "核准", "登记", "其他"]


def test_code_lists_copied_into_the_schema():
    fields = _by_label(_schema("XZCF"))
    penalty = fields["处罚类别"]
    assert penalty["type"] == "code_list"
    # 行政处罚法 2021 art. 9 and the pre-2021 values old data uses.
    article_9 = ["警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件"]
    article_9 += ["降低资质等级", "吊销许可证件", "限制开展生产经营活动", "责令停产停业"]
    article_9 += ["责令关闭", "限制从业", "行政拘留", "其他"]
    assert set(article_9) <= set(penalty["choices"])
    assert {"暂扣或者吊销许可证", "暂扣或者吊销执照"} <= set(penalty["choices"])
    assert penalty["choice_prefixes"] == ["其他-"]
    id_type = fields["证件类型"]
    assert id_type["choices"] == [
        "身份证",
        "护照号",
        "港澳居民来往内地通行证",
        "台湾居民来往大陆通行证",
        "外国人永久居留身份证",
    ]
    assert id_type["choice_prefixes"] == ["其他-"]
    assert fields["行政相对人类别"]["choices"] == ["法人及非法人组织", "自然人", "个体工商户"]
    # Fields that are not code lists carry null choices.
    assert fields["违法事实"]["choices"] is None and fields["违法事实"]["choice_prefixes"] is None
    assert CodeList.objects.get(code="license_status").values[:2] == ["有效", "无效"]


def test_schema_has_the_contract_keys():
    schema = _schema("XZCF")
    assert {
        "item": "XZCF",
        "name": "行政处罚",
        "category": "penalty",
        "nature": "negative",
        "disclosure": "public",
        "submit_within": 7,
        "submit_unit": "days",
        "publish_within_workdays": 7,
        "key_fields": [],
    }.items() <= schema.items()
    for field in schema["fields"]:
        assert set(field) == {
            "key", "label", "aliases", "type", "role", "required", "max_length", "pattern",
            "choices", "choice_prefixes", "identifier_kind", "is_public", "masking", "help_text",
        }  # fmt: skip
        assert field["type"] in CatalogField.Type.values


def test_district_items():
    nsxya, qjsb, sxbzx = _schema("NSXYA"), _schema("QJSB"), _schema("SXBZX")
    assert (nsxya["nature"], nsxya["disclosure"], nsxya["category"]) == (
        "positive",
        "public",
        "tax",
    )
    assert (qjsb["nature"], qjsb["disclosure"]) == ("negative", "government")
    assert (sxbzx["nature"], sxbzx["disclosure"]) == ("negative", "public")
    assert [f["label"] for f in nsxya["fields"]] == [
        "纳税人名称", "统一社会信用代码", "评价年度", "评价结果", "评价机关",
        "文书号（公告号）", "评定日期",
    ]  # fmt: skip
    assert [f["label"] for f in qjsb["fields"]] == [
        "单位名称", "统一社会信用代码", "欠缴险种", "欠缴金额（万元）", "欠缴起始年月",
        "认定文书号", "认定日期",
    ]  # fmt: skip
    assert [f["label"] for f in sxbzx["fields"]] == [
        "被执行人名称", "被执行人类别", "统一社会信用代码", "证件号码", "执行法院", "执行案号",
        "立案日期", "发布日期", "失信情形", "生效法律文书确定的义务",
    ]  # fmt: skip
    roles = {f["label"]: f["role"] for f in nsxya["fields"] if f["role"]}
    assert roles["文书号（公告号）"] == "doc_number" and roles["评定日期"] == "decision_date"
    since = _by_label(qjsb)["欠缴起始年月"]
    assert since["type"] == "text" and since["pattern"] == r"^\d{4}-\d{2}$"
    assert _by_label(qjsb)["欠缴险种"]["type"] == "code_list"
    id_number = _by_label(sxbzx)["证件号码"]
    assert id_number["is_public"] is False and id_number["masking"] == "id_number"
    assert _by_label(sxbzx)["执行案号"]["role"] == "doc_number"
    assert _by_label(sxbzx)["发布日期"]["role"] == "decision_date"
    assert "违反财产报告制度" in _by_label(sxbzx)["失信情形"]["choices"]
    # One announcement lists many taxpayers: the record key is more than the number.
    assert nsxya["key_fields"] == ["doc_number", "subject_uscc", "year"]


def test_headers_clerks_write_match_the_builtin_fields():
    fields = _by_label(_schema("XZCF"))
    uscc = fields["行政相对人代码_1（统一社会信用代码）"]
    forms = header_forms(uscc["key"], uscc["label"], uscc["aliases"])
    assert {"行政相对人代码_1(统一社会信用代码)", "行政相对人代码_1", "统一社会信用代码"} <= forms
    fine = fields["罚款金额（万元）"]
    assert {"罚款金额(万元)", "罚款金额"} <= header_forms(
        fine["key"], fine["label"], fine["aliases"]
    )


def test_builtin_data_passes_the_catalog_rules():
    """The shipped JSON obeys the same rules as an edit on a staff page."""
    for item in CatalogItem.objects.filter(is_builtin=True):
        fields = list(item.fields.select_related("code_list"))
        assert item_problems(item, [f.key for f in fields]) == {}, item.code
        for field in fields:
            assert field_problems(field, fields) == {}, (item.code, field.key)


def test_load_builtin_is_idempotent_and_keeps_edits(admin_user):
    item = CatalogItem.objects.get(code="XZCF")
    item.name = "行政处罚（改）"
    item.save()
    before = (CatalogItem.objects.count(), CodeList.objects.count(), item.versions.count())
    result = load_builtin()
    assert result.items_created == [] and result.code_lists_created == []
    assert set(result.items_kept) == {i["code"] for i in read_builtin()["items"]}
    item.refresh_from_db()
    assert item.name == "行政处罚（改）"
    assert (CatalogItem.objects.count(), CodeList.objects.count(), item.versions.count()) == before


def test_load_builtin_recreates_a_missing_item():
    CodeList.objects.create(code="unrelated", name="无关", values=["x"])
    item = CatalogItem.objects.get(code="QJSB")
    item.current_version = None
    item.save()
    item.versions.all().delete()
    item.delete()
    result = load_builtin()
    assert result.items_created == ["QJSB"]
    assert CatalogItem.objects.get(code="QJSB").current_version.number == 1


@pytest.mark.django_db(transaction=True)
def test_builtin_catalog_comes_back_after_a_flush():
    """Live-server and other transactional tests flush every table between
    tests; the built-in catalog is restored by the post_migrate receiver."""
    call_command("flush", interactive=False, verbosity=0)
    assert set(CatalogItem.objects.values_list("code", flat=True)) >= {"XZXK", "XZCF", "SXBZX"}
    assert CatalogItem.objects.get(code="XZCF").current_version.number == 1


def test_an_existing_catalog_gets_the_stated_tier_field_in_a_new_version():
    """A database loaded before 失信程度 existed: the upgrade adds the field
    and publishes version 2; version 1 keeps its schema (issue 12 item 9)."""
    item = CatalogItem.objects.get(code="XZCF")
    # As an older release left it: no credit_tier field in any version.
    item.fields.filter(key="credit_tier").delete()
    v1 = item.current_version
    v1.schema = dict(
        v1.schema, fields=[f for f in v1.schema["fields"] if f["key"] != "credit_tier"]
    )
    v1.save()
    old_schema = v1.schema

    result = load_builtin()
    assert result.items_upgraded == ["XZCF"]
    item.refresh_from_db()
    assert item.current_version.number == 2
    assert "失信程度" in item.current_version.note
    field = _by_label(item.current_version.schema)["失信程度"]
    assert field["required"] is False and field["type"] == "code_list"
    assert field["choices"] == ["轻微", "一般", "严重", "简易程序"]
    v1.refresh_from_db()
    assert v1.schema == old_schema  # version 1 is never edited
    # Idempotent: loading again changes nothing.
    assert load_builtin().items_upgraded == []
    assert item.versions.count() == 2
