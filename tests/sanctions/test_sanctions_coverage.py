"""应查尽查 coverage: of a department's licences and penalties, the share whose
subject it checked (same domain) on or before the decision date."""

import datetime as dt

import pytest

from records.factories import PenaltyRecordFactory, builtin_item
from subjects.factories import SubjectFactory
from xinyong.core import clock
from xinyong.sanctions.matching import Query
from xinyong.sanctions.models import Check
from xinyong.sanctions.selectors import coverage
from xinyong.sanctions.services.checks import check_run

pytestmark = pytest.mark.django_db


def check(officer, subject, day, domain):
    with clock.pinned(day):
        check_run(
            actor=officer, department=officer.department, domain_code=domain,
            matter="许可审批", query=Query(uscc=subject.uscc), channel=Check.Channel.PAGE,
        )  # fmt: skip


def test_coverage_per_department_and_kind(officer, department, other_department):
    a, b, c, d = (SubjectFactory(uscc=u) for u in (
        "91110000600037341L", "91350200776049653A", "9135021359498494XQ", "91440101MA5CJQ4N59",
    ))  # fmt: skip
    day = dt.date(2026, 3, 10)
    licence = builtin_item("XZXK")
    # Licences of the department: a checked before, b checked after, c never, d checked for penalties only.
    for subject in (a, b, c, d):
        PenaltyRecordFactory(item=licence, department=department, subject=subject, decided=day)
    PenaltyRecordFactory(department=department, subject=d, decided=day)  # a penalty
    PenaltyRecordFactory(department=other_department, subject=a, decided=day)  # not ours
    check(officer, a, "2026-03-10", "XZXK")  # the same day counts: before deciding
    check(officer, b, "2026-03-11", "XZXK")
    check(officer, d, "2026-03-09", "XZCF")
    rows = {
        (r.department_id, r.kind): r
        for r in coverage(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    }
    licences = rows[(department.pk, "XZXK")]
    assert (licences.decisions, licences.checked) == (4, 1) and licences.rate == 0.25
    penalties = rows[(department.pk, "XZCF")]
    assert (penalties.decisions, penalties.checked) == (1, 1) and penalties.rate == 1.0
    theirs = rows[(other_department.pk, "XZCF")]
    assert (theirs.decisions, theirs.checked) == (1, 0)  # our check does not count for them


def test_coverage_page(client_as, officer, department):
    PenaltyRecordFactory(department=department, decided=clock.today())
    response = client_as(officer).get("/staff/checks/coverage/")
    assert response.status_code == 200
    assert "行政处罚" in response.content.decode()
