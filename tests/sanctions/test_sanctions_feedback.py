"""Feedback on a hit: measure or reason, deadlines in working days, late flagged."""

import datetime as dt

import pytest

from lists.factories import fed_record
from sanctions.factories import COMPANY_USCC, measure
from xinyong.core import clock
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.models import AuditLog
from xinyong.sanctions.matching import Query
from xinyong.sanctions.models import ActionDomain, Check
from xinyong.sanctions.services.checks import check_run
from xinyong.sanctions.services.feedback import feedback_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(company, other_department):
    """On 失信被执行人 since 2025-01-02 (the dates below stand in 2025 and 2026)."""
    return fed_record(subject=company, department=other_department, decided=dt.date(2025, 1, 2))


def hit_on(officer, day, domain="ZFCG"):
    with clock.pinned(day):
        return check_run(
            actor=officer, department=officer.department, domain_code=domain,
            matter="采购", query=Query(uscc=COMPANY_USCC), channel=Check.Channel.PAGE,
        ).check  # fmt: skip


def give(officer, check, day, **kwargs):
    values = {
        "applied": True,
        "measure_id": measure("sxbzx-2016-141", "ZFCG").pk,
        "result": "取消其本次投标资格",
        "decided_on": dt.date.fromisoformat(day),
    }
    values.update(kwargs)
    with clock.pinned(day):
        return feedback_submit(actor=officer, check=check, **values)


def test_due_in_five_working_days_across_a_holiday(officer, company, listed):
    # Checked on 2025-09-30: National Day 10-01…08, make-up working Saturday 10-11.
    check = hit_on(officer, "2025-09-30")
    # 10-09, 10-10, 10-11 (Saturday, worked), 10-13, 10-14.
    assert check.feedback_due == dt.date(2025, 10, 14)


def test_the_deadline_is_configurable_per_domain(officer, company, listed):
    ActionDomain.objects.filter(code="ZFCG").update(feedback_workdays=10)
    from xinyong.sanctions.reference import forget

    forget()
    check = hit_on(officer, "2026-03-02")
    assert check.feedback_due == dt.date(2026, 3, 16)


def test_feedback_on_time(officer, company, listed):
    check = hit_on(officer, "2025-09-30")
    feedback = give(officer, check, "2025-10-14")
    assert (
        not feedback.is_late
        and feedback.measure.memorandum.document_number == "发改财金〔2016〕141号"
    )
    assert feedback.officer == officer
    assert AuditLog.objects.filter(action="feedback.submit", object_id=str(feedback.pk)).exists()


def test_late_feedback_is_flagged(officer, company, listed):
    check = hit_on(officer, "2025-09-30")
    assert give(officer, check, "2025-10-15").is_late


def test_not_applied_needs_a_reason(officer, company, listed):
    check = hit_on(officer, "2026-03-02")
    with pytest.raises(ApplicationError) as exc:
        give(officer, check, "2026-03-03", applied=False, measure_id=None)
    assert exc.value.code == "reason_required"
    feedback = give(
        officer, check, "2026-03-03", applied=False, measure_id=None,
        reason_not_applied="该公司已履行判决，法院已撤回失信信息",
    )  # fmt: skip
    assert not feedback.applied and feedback.measure is None


def test_the_measure_must_be_of_the_hit(officer, company, listed):
    check = hit_on(officer, "2026-03-02")
    other = measure("nsxya-2016-1467", "XZXK")
    with pytest.raises(ApplicationError) as exc:
        give(officer, check, "2026-03-02", measure_id=other.pk)
    assert exc.value.code == "measure_not_applicable"


def test_refusals(officer, other_clerk, company, listed):
    check = hit_on(officer, "2026-03-02")
    with pytest.raises(NotFoundError):  # another department's check
        give(other_clerk, check, "2026-03-02")
    with pytest.raises(ApplicationError, match="晚于今天"):
        give(officer, check, "2026-03-02", decided_on=dt.date(2026, 3, 5))
    give(officer, check, "2026-03-02")
    with pytest.raises(ApplicationError) as exc:
        give(officer, check, "2026-03-02")
    assert exc.value.code == "already_given"


def test_a_miss_needs_no_feedback(officer, company):
    check = hit_on(officer, "2026-03-02")
    with pytest.raises(ApplicationError) as exc:
        give(officer, check, "2026-03-02")
    assert exc.value.code == "no_hit"
