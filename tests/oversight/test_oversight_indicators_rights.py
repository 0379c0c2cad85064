"""Rights indicators per department and month on hand-computed fixtures across
国庆 2025 (holidays 10-01…10-08): objection verification and repair steps
kept by their due day, and the plan's commitment and training ratios."""

import datetime as dt
import itertools

import pytest

from lists.factories import ListEntryFactory, ListTypeFactory
from orgs.factories import DepartmentFactory
from records.factories import PenaltyRecordFactory
from rights.commitments import repair_commitment
from subjects.factories import SubjectFactory
from xinyong.core import clock
from xinyong.lists.models import ListType
from xinyong.oversight.indicators.registry import Tally, get
from xinyong.oversight.periods import Month
from xinyong.rights.models import (
    Objection,
    Repair,
    RepairRule,
    TrainingEnrolment,
    TrainingSession,
)

pytestmark = pytest.mark.django_db

OCTOBER = Month(2025, 10)
_numbers = itertools.count(1)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(f"2025-{text}")


def _common(record) -> dict:
    n = next(_numbers)
    return {
        "number": f"T{n:06d}",
        "secret_digest": "0" * 64,
        "record": record,
        "department": record.department,
        "applicant_kind": "legal",
        "applicant_name": "某公司",
        "applicant_code_masked": "91429021MA4900000X",
        "applicant_phone": "13800000000",
        "filed_on": d("09-25"),
        "filed_at": clock.now(),
        "updated_at": clock.now(),
    }


def objection(record, *, verify_due: str, verified_on: str | None, status="verifying"):
    return Objection.objects.create(
        **_common(record),
        status=status,
        reason="信息有误",
        accept_due=d("09-29"),
        reply_due=d("10-31"),
        verify_due=d(verify_due),
        verified_on=d(verified_on) if verified_on else None,
    )


def repair(record, *, by_credit_office=False, **dates: str | None):
    """A repair application with the given due and done days (MM-DD)."""
    days = {k: d(v) if v else None for k, v in dates.items()}
    status = "approved" if days.get("decided_on") else "reviewing"
    if "accepted_on" not in days and days.get("decided_on"):
        status = "refused"
    return Repair.objects.create(
        **_common(record),
        rule=RepairRule.objects.get(code="general"),
        by_credit_office=by_credit_office,
        status=status,
        reason="已改正",
        commitment_text="承诺",
        refusal_reason="材料不全" if status == "refused" else "",
        obligations_confirmed=status == "approved",
        **days,
    )


def test_objection_verification_due_in_october_and_kept(department):
    other = DepartmentFactory()
    r = PenaltyRecordFactory(department=department)
    s = PenaltyRecordFactory(department=other)
    objection(r, verify_due="10-09", verified_on="10-09")  # the last day: kept
    objection(r, verify_due="10-10", verified_on="10-13")  # late
    objection(r, verify_due="10-31", verified_on=None)  # due, not done: late
    objection(r, verify_due="09-30", verified_on="10-02")  # a September step
    objection(s, verify_due="10-15", verified_on="10-14")
    tallies = get("objection_on_time").compute(OCTOBER, None)
    assert tallies == {department.pk: Tally(1, 3), other.pk: Tally(1, 1)}
    assert get("objection_on_time").compute(OCTOBER, [other.pk]) == {other.pk: Tally(1, 1)}


def test_repair_acceptance_and_decision_steps_each_count_once(department):
    """| app | accept due | accepted/refused | decide due | decided | October steps (kept) |
    |-----|------------|------------------|------------|---------|----------------------|
    | 1   | 09-30      | 09-29 accepted   | 10-14      | 10-14   | decision (1 of 1)     |
    | 2   | 10-09      | 10-09 accepted   | 10-23      | 10-24   | both (1 of 2)         |
    | 3   | 10-10      | 10-09 refused    | —          | —       | acceptance (1 of 1)   |
    | 4   | 10-10      | not yet          | —          | —       | acceptance (0 of 1)   |
    | 5   | 10-09      | 10-13 accepted   | 11-03      | —       | acceptance (0 of 1)   |
    | 6   | by the credit office: not the department's | — | —   |         | none                  |
    October: 6 steps, 3 kept."""
    r = PenaltyRecordFactory(department=department)
    records = [PenaltyRecordFactory(department=department, subject=r.subject) for _ in range(5)]
    repair(r, accept_due="09-30", accepted_on="09-29", decide_due="10-14", decided_on="10-14")
    repair(
        records[0], accept_due="10-09", accepted_on="10-09", decide_due="10-23", decided_on="10-24"
    )
    repair(records[1], accept_due="10-10", decided_on="10-09")  # refused at acceptance
    repair(records[2], accept_due="10-10")
    repair(records[3], accept_due="10-09", accepted_on="10-13", decide_due="11-03")
    repair(records[4], by_credit_office=True, accept_due="10-09", accepted_on="10-20")
    assert get("repair_on_time").compute(OCTOBER, None) == {department.pk: Tally(3, 6)}
    # November: application 5's decision, due 11-03 and not made.
    assert get("repair_on_time").compute(Month(2025, 11), None) == {department.pk: Tally(0, 1)}


def test_commitment_ratio_counts_each_departments_blacklisted_subjects(department, pin_today):
    pin_today(d("11-20"))
    ListType.objects.update(is_active=False)
    black = ListTypeFactory(code="TESTBLACK", early_removal_after_months=12)
    black_too = ListTypeFactory(code="TESTBLACK2")
    other = DepartmentFactory()
    s1, s2, s3, s4 = (SubjectFactory() for _ in range(4))
    listed = {"listed_on": d("09-01"), "valid_until": d("12-31")}
    ListEntryFactory(list_type=black, subject=s1, decided_by=department, **listed)
    ListEntryFactory(list_type=black, subject=s2, decided_by=department, **listed)
    ListEntryFactory(list_type=black_too, subject=s2, decided_by=other, **listed)
    ListEntryFactory(list_type=black, subject=s3, decided_by=other, **listed)
    # s4's entry ended on 10-15: on the list at no month's end counted below.
    ListEntryFactory(
        list_type=black, subject=s4, decided_by=other, listed_on=d("09-01"), valid_until=d("10-15")
    )
    repair_commitment(s2, department, signed_on=d("10-20"))
    repair_commitment(s4, other, signed_on=d("10-10"))
    indicator = get("commitment_ratio")
    # At the end of September nobody had signed; at the end of October s2 had
    # (counted for both departments that listed it).
    assert indicator.compute(Month(2025, 9), None) == {
        department.pk: Tally(0, 2),
        other.pk: Tally(0, 3),
    }
    assert indicator.compute(OCTOBER, None) == {department.pk: Tally(1, 2), other.pk: Tally(1, 2)}
    assert indicator.compute(OCTOBER, [other.pk]) == {other.pk: Tally(1, 2)}
    assert indicator.cumulative  # a year's assessment reads the last month's ratio
    # The district counts each subject once (s1, s2, s3 listed; s2 signed), as the staff
    # home's commitments panel does, not the departments' sum (2 of 4).
    assert indicator.district is not None
    assert indicator.district(OCTOBER) == Tally(1, 3)
    assert indicator.district(Month(2025, 9)) == Tally(0, 4)


def test_training_coverage_counts_each_departments_subjects(department, pin_today):
    pin_today(d("10-20"))
    other = DepartmentFactory()
    a, b, c = (SubjectFactory() for _ in range(3))
    PenaltyRecordFactory(
        subject=a, department=department, decided=d("09-01"), published_on=d("09-01")
    )
    PenaltyRecordFactory(
        subject=b, department=department, decided=d("09-01"), published_on=d("09-01")
    )
    PenaltyRecordFactory(subject=b, department=other, decided=d("09-01"), published_on=d("09-01"))
    PenaltyRecordFactory(
        subject=c, department=other, decided=d("09-01"), unpublish_reason="repaired"
    )
    session = TrainingSession.objects.create(
        title="第一期",
        held_on=d("10-16"),
        mode="onsite",
        place="会议室",
        capacity=50,
        organiser=department,
        created_at=clock.now(),
    )
    TrainingEnrolment.objects.create(
        session=session,
        subject=b,
        participant="某某",
        channel="staff",
        status=TrainingEnrolment.Status.ATTENDED,
        certificate_number="T-1",
        enrolled_at=clock.now(),
    )
    indicator = get("training_coverage")
    # The month under way stands on today (10-20): b attended on 10-16.
    assert indicator.compute(OCTOBER, None) == {department.pk: Tally(1, 2), other.pk: Tally(1, 1)}
    assert indicator.compute(Month(2025, 9), None) == {
        department.pk: Tally(0, 2),
        other.pk: Tally(0, 1),
    }
    # The district: a and b need training (b once, though two departments decided on it).
    assert indicator.district is not None and indicator.district(OCTOBER) == Tally(1, 2)


def test_the_new_indicators_weigh_nothing_in_the_shipped_scheme():
    from xinyong.oversight.scoring import default_scheme

    scheme = default_scheme()
    assert sum(scheme.weight(code) for code in scheme.entries) == 100
    for code in ("repair_on_time", "commitment_ratio", "training_coverage"):
        assert code in scheme.entries and scheme.weight(code) == 0
    assert scheme.target("commitment_ratio", 1.0) == pytest.approx(0.3)
