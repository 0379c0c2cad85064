"""Issue 12.8, least privilege on reads: a natural person's staff page only
for the departments that hold a record of that person and for the credit
office; every look-up of a person is still audited."""

import pytest

from records.conftest import person_penalty_row
from xinyong.core.models import AuditLog
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_id(submit, xzcf, pin_today) -> int:
    import datetime as dt

    pin_today(dt.datetime(2025, 10, 9, 10, 0))
    submit(xzcf, [person_penalty_row(1)])
    subject_id = Record.objects.get().subject_id
    assert subject_id is not None
    return subject_id


def test_a_department_holding_a_record_of_the_person_sees_the_page(client_as, clerk, person_id):
    assert client_as(clerk).get(f"/staff/subjects/{person_id}/").status_code == 200
    assert AuditLog.objects.filter(action="subject.view_person", actor=clerk).count() == 1


def test_the_credit_office_sees_the_page(client_as, admin_user, person_id):
    assert client_as(admin_user).get(f"/staff/subjects/{person_id}/").status_code == 200
    assert AuditLog.objects.filter(action="subject.view_person", actor=admin_user).exists()


def test_another_department_gets_404_and_sees_nothing(client_as, other_clerk, person_id):
    response = client_as(other_clerk).get(f"/staff/subjects/{person_id}/")
    assert response.status_code == 404
    assert "张" not in response.content.decode()
