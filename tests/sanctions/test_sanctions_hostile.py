"""Hostile input on the staff pages of 联合奖惩: a 4xx naming the field, never a 500."""

import pytest

from sanctions.factories import CaseFactory, CheckFactory, FeedbackFactory
from xinyong.sanctions.models import Case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["0", "0000", "99999", "²"])
def test_coverage_year_out_of_range_is_this_year(client_as, officer, year):
    response = client_as(officer).get("/staff/checks/coverage/", {"year": year})
    assert response.status_code == 200


@pytest.fixture
def submitted_case(officer):
    feedback = FeedbackFactory(
        check_run=CheckFactory(department=officer.department, officer=officer)
    )
    return CaseFactory(feedback=feedback, status=Case.Status.SUBMITTED)


def test_return_note_with_a_nul_is_refused(client_as, admin_user, submitted_case):
    response = client_as(admin_user).post(
        f"/staff/cases/{submitted_case.pk}/return/", {"note": "请补充\x00成效"}
    )
    assert response.status_code == 400
    assert "审核意见" in response.content.decode()
    submitted_case.refresh_from_db()
    assert submitted_case.status == Case.Status.SUBMITTED and submitted_case.review_note == ""
