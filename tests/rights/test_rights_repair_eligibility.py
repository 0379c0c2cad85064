"""Repair eligibility, computed before the applicant submits: each rule
passes or fails with its reason in Chinese and the day the shortest period
passes; the refusals of `repair_submit` (422 reasons, 409, 404, identity)."""

import datetime as dt

import pytest

from rights.factories import company, company_applicant, public_record
from rights.repair_factories import file_repair, negative_record
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.records.models import Record
from xinyong.rights.eligibility import FAIL, PASS, TODO, repair_eligibility
from xinyong.rights.models import Repair, RepairRule

DECIDED = dt.date(2025, 1, 2)


@pytest.fixture
def general(department, xzcf):
    return negative_record(department=department, subject=company(), decided=DECIDED)


def states(eligibility):
    return {c.key: c.state for c in eligibility.conditions}


def test_before_the_shortest_period_the_date_is_given(general, pin_today):
    pin_today("2025-03-15")
    e = repair_eligibility(general)
    assert not e.eligible
    assert states(e)["min_period"] == FAIL
    # 一般: 3 months from 2025-01-02, through 2025-04-02; from 2025-04-03.
    assert e.min_period_ends == dt.date(2025, 4, 2)
    assert e.eligible_from == dt.date(2025, 4, 3)
    assert "2025-04-03" in e.failure.text and "最短公示期尚未届满" in e.failure.text
    with pytest.raises(ApplicationError) as exc:
        file_repair(general)
    assert exc.value.status == 422 and exc.value.code == "not_eligible"
    assert "2025-04-03" in exc.value.message
    assert exc.value.details == {"condition": "min_period", "eligible_from": "2025-04-03"}
    assert not Repair.objects.exists()


def test_on_the_first_day_it_is_eligible(general, pin_today):
    pin_today("2025-04-03")
    e = repair_eligibility(general)
    assert e.eligible
    assert states(e) == {
        "negative": PASS,
        "category": PASS,
        "min_period": PASS,
        "obligations": TODO,
        "commitment": TODO,
    }
    filed = file_repair(general)
    assert filed.repair.status == Repair.Status.FILED
    assert filed.repair.number.startswith("XF20250403")


def test_serious_tier_waits_longer(department, xzcf, pin_today):
    record = negative_record(
        department=department, subject=company(), decided=DECIDED, tier="serious"
    )
    pin_today("2025-04-03")
    e = repair_eligibility(record)
    assert not e.eligible and e.eligible_from == dt.date(2025, 7, 3)
    assert "严重" in e.failure.text


def test_a_category_that_may_not_end_early(department, xzcf, pin_today):
    record = negative_record(
        department=department, subject=company(), decided=DECIDED, category="吊销许可证件"
    )
    pin_today("2025-06-01")
    e = repair_eligibility(record)
    assert states(e)["category"] == FAIL
    assert "吊销许可证件" in e.failure.text and "不予信用修复" in e.failure.text
    with pytest.raises(ApplicationError) as exc:
        file_repair(record)
    assert exc.value.details["condition"] == "category"


def test_not_negative_information(department, xzcf, pin_today):
    record = public_record(department=department, subject=company())  # no tier computed
    e = repair_eligibility(record)
    assert states(e) == {"negative": FAIL}
    assert "不属于失信信息" in e.failure.text


def test_no_rule_applies(general, pin_today):
    pin_today("2025-06-01")
    RepairRule.objects.update(is_active=False)
    e = repair_eligibility(general)
    assert states(e)["rule"] == FAIL and "不适用在线信用修复" in e.failure.text


def test_the_items_rule_wins_and_may_require_training(general, pin_today, xzcf):
    pin_today("2025-06-01")
    RepairRule.objects.create(
        code="xzcf", name="行政处罚修复", basis="测试", item=xzcf, requires_training=True
    )
    e = repair_eligibility(general)
    assert e.rule.code == "xzcf"
    assert states(e)["training"] == FAIL  # no attendance in the training records


def test_a_record_no_longer_public_needs_no_repair(general, pin_today):
    pin_today("2025-06-01")
    Record.objects.filter(pk=general.pk).update(
        unpublish_reason=Record.UnpublishReason.EXPIRED, unpublished_on=dt.date(2025, 5, 1)
    )
    general.refresh_from_db()
    assert states(repair_eligibility(general)) == {"public": FAIL}
    with pytest.raises(NotFoundError):
        file_repair(general)


def test_the_commitment_is_required(general, pin_today):
    pin_today("2025-06-01")
    with pytest.raises(ApplicationError) as exc:
        file_repair(general, commitment=False)
    assert exc.value.code == "commitment_required" and exc.value.status == 422
    assert "承诺书" in exc.value.message


def test_identity_and_one_open_application(general, pin_today):
    pin_today("2025-06-01")
    with pytest.raises(ApplicationError) as exc:
        file_repair(general, applicant=company_applicant(code="91350200776049653A"))
    assert exc.value.code == "identity_mismatch"
    file_repair(general)
    with pytest.raises(ApplicationError) as exc:
        file_repair(general)
    assert exc.value.status == 409 and exc.value.code == "already_open"
