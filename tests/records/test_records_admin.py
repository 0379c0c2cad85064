"""The credit office edits the disclosure rule sets in the admin."""

import json

import pytest

from xinyong.catalog.models import CatalogItem
from xinyong.core.models import AuditLog
from xinyong.orgs.models import User
from xinyong.records.models import DisclosureRuleSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", password="pw-for-tests-123", role="credit_admin")


def _form(rule_set: DisclosureRuleSet, **changes) -> dict:
    data = {
        "name": rule_set.name,
        "basis": rule_set.basis,
        "scope": rule_set.scope,
        "effective_from": rule_set.effective_from.isoformat() if rule_set.effective_from else "",
        "effective_to": rule_set.effective_to.isoformat() if rule_set.effective_to else "",
        "items": [str(pk) for pk in rule_set.items.values_list("pk", flat=True)],
        "departments": [str(pk) for pk in rule_set.departments.values_list("pk", flat=True)],
        "rules": json.dumps(rule_set.rules, ensure_ascii=False),
        "note": rule_set.note,
    }
    data.update(changes)
    return data


def test_rule_set_pages_render_and_cannot_be_deleted(client_as, superuser):
    client = client_as(superuser)
    rule_set = DisclosureRuleSet.objects.get(code="ndrc-2026")
    assert client.get("/admin/records/disclosureruleset/").status_code == 200
    page = client.get(f"/admin/records/disclosureruleset/{rule_set.pk}/change/")
    assert page.status_code == 200
    assert "令第36号" in page.content.decode()
    assert client.get(f"/admin/records/disclosureruleset/{rule_set.pk}/delete/").status_code == 403


def test_editing_a_threshold_is_checked_and_audited(client_as, superuser):
    rule_set = DisclosureRuleSet.objects.get(code="ndrc-2026")
    rules = rule_set.rules
    rules["tier_rules"][-1]["amount_at_least"] = 50
    response = client_as(superuser).post(
        f"/admin/records/disclosureruleset/{rule_set.pk}/change/",
        _form(rule_set, rules=json.dumps(rules, ensure_ascii=False)),
    )
    assert response.status_code == 302
    rule_set.refresh_from_db()
    assert rule_set.rules["tier_rules"][-1]["amount_at_least"] == 50
    audit = AuditLog.objects.get(action="disclosure_rule_set.update")
    assert audit.actor == superuser
    assert "rules" in audit.after


def test_bad_rules_are_refused_with_a_chinese_reason(client_as, superuser):
    rule_set = DisclosureRuleSet.objects.get(code="ndrc-2026")
    rules = dict(rule_set.rules, default_tier="nope")
    response = client_as(superuser).post(
        f"/admin/records/disclosureruleset/{rule_set.pk}/change/",
        _form(rule_set, rules=json.dumps(rules, ensure_ascii=False)),
    )
    assert response.status_code == 200
    assert "default_tier 应为某个档次的 key" in response.content.decode()
    assert not AuditLog.objects.filter(action="disclosure_rule_set.update").exists()


def test_two_general_rule_sets_may_not_cover_the_same_decision_date(client_as, superuser):
    rule_set = DisclosureRuleSet.objects.get(code="ndrc-2019")
    response = client_as(superuser).post(
        f"/admin/records/disclosureruleset/{rule_set.pk}/change/",
        _form(rule_set, effective_to="2026-06-30"),
    )
    assert response.status_code == 200
    assert "重叠" in response.content.decode()
    # A sector set may overlap: it takes precedence for its departments.
    samr = DisclosureRuleSet.objects.get(code="samr-45")
    xzcf = CatalogItem.objects.get(code="XZCF")
    response = client_as(superuser).post(
        f"/admin/records/disclosureruleset/{samr.pk}/change/",
        _form(samr, items=[str(xzcf.pk)]),
    )
    assert response.status_code == 302
