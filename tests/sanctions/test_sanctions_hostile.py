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


def test_a_bulk_file_with_a_nul_past_its_head_fails_naming_the_row(
    tmp_path, officer, company, django_capture_on_commit_callbacks
):
    from support.tasks import run_ready_tasks
    from xinyong.sanctions.models import Check, CheckBatch
    from xinyong.sanctions.services import batches

    path = tmp_path / "bidders.csv"
    path.write_text(
        "投标人名称,统一社会信用代码\n"
        + "神农架清白建筑有限公司,\n" * 300  # past the first 4 KB, where a NUL is refused
        + "神农架\x00清白建筑有限公司,\n,91429021\x00MA4\n",
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.check_batch_submit(
            actor=officer, department=officer.department, domain_code="ZBTB",
            matter="招标 SNJ-9", path=path, file_name="bidders.csv",
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        run_ready_tasks()
    batch.refresh_from_db()
    assert batch.status == CheckBatch.Status.FAILED
    assert "第 302 行“名称”" in batch.failure_reason and "U+0000" in batch.failure_reason
    assert not Check.objects.filter(batch=batch).exists()
