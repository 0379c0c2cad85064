"""The credit office edits the repair rules in the admin; a malformed list
of unrepairable categories is refused in Chinese."""

from xinyong.rights.admin import RepairRuleForm
from xinyong.rights.models import RepairRule


def base(**kwargs):
    return {
        "code": "t1", "name": "测试规则", "basis": "测试依据", "decider": "department",
        "decide_workdays": 10, "is_active": True, "not_repairable_categories": "[]", **kwargs,
    }  # fmt: skip


def test_categories_must_be_a_list_of_names(db):
    bad = RepairRuleForm(data=base(not_repairable_categories='{"a": 1}'))
    assert not bad.is_valid()
    assert "处罚类别名称的列表" in str(bad.errors["not_repairable_categories"])
    good = RepairRuleForm(data=base(not_repairable_categories='["吊销许可证件", " 限制从业 "]'))
    assert good.is_valid(), good.errors
    rule = good.save()
    assert rule.not_repairable_categories == ["吊销许可证件", "限制从业"]


def test_the_shipped_rule_is_there(db):
    rule = RepairRule.objects.get(code="general")
    assert rule.decider == "department" and rule.decide_workdays == 10
    assert "吊销许可证件" in rule.not_repairable_categories


def test_the_admin_lists_the_rules(client_as, db):
    from xinyong.orgs.models import User

    user = User.objects.create_superuser("root", password="pw-for-tests-123", role="credit_admin")
    page = client_as(user).get("/admin/rights/repairrule/")
    assert page.status_code == 200 and "失信信息信用修复（通用）" in page.content.decode()
