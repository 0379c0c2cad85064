"""`GET /api/v1/checks/{id}` and `POST /api/v1/checks/{id}/feedback` with the
checking department's token: the same rules and deadlines as the staff page."""

import datetime as dt

import pytest

from orgs.factories import ApiTokenFactory, token_secret
from sanctions.factories import COMPANY_USCC
from xinyong.core import clock
from xinyong.core.models import AuditLog
from xinyong.sanctions.models import Check, Feedback

pytestmark = pytest.mark.django_db

# A Thursday: 5 working days later is the next Thursday.
DAY = "2026-06-04"


@pytest.fixture(autouse=True)
def on_day(pin_today):
    pin_today(DAY)  # before the other fixtures: the court's record is decided by then


@pytest.fixture
def api(client, department):
    token = ApiTokenFactory(department=department)
    secret = token_secret(token.prefix)
    headers = {"Authorization": f"Bearer {secret}"}

    class Api:
        def check(self, body):
            return client.post("/api/v1/checks", body, content_type="application/json",
                               headers=headers)  # fmt: skip

        def get(self, check_id, other_headers=None):
            return client.get(f"/api/v1/checks/{check_id}", headers=other_headers or headers)

        def feedback(self, check_id, body, other_headers=None):
            return client.post(f"/api/v1/checks/{check_id}/feedback", body,
                               content_type="application/json",
                               headers=other_headers or headers)  # fmt: skip

    api = Api()
    api.token = token
    return api


@pytest.fixture
def hit(api, company, company_on_sxbzx):
    with clock.pinned(DAY):
        body = api.check({"uscc": COMPANY_USCC, "domain": "ZFCG", "matter": "采购 SNJ-1"}).json()
    return body


def other_headers(other_department):
    token = ApiTokenFactory(department=other_department)
    return {"Authorization": f"Bearer {token_secret(token.prefix)}"}


def good(hit, **changes):
    return {
        "applied": True,
        "measure_id": hit["hits"][0]["measures"][0]["id"],
        "result": "取消其中标候选人资格",
        "decided_on": DAY,
        "officer_name": "李四",
        **changes,
    }


def test_the_stored_answer_is_given_back_to_its_department(api, hit):
    response = api.get(hit["check_id"])
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["check_id"] == hit["check_id"] and body["channel"] == "api"
    assert body["domain"] == "ZFCG" and body["matter"] == "采购 SNJ-1"
    assert body["hits"] == hit["hits"] and body["feedback_due"] == "2026-06-11"
    assert body["feedback"] is None
    assert AuditLog.objects.filter(action="check.view", object_id=str(hit["check_id"])).exists()


def test_another_departments_check_is_404(api, hit, other_department):
    headers = other_headers(other_department)
    assert api.get(hit["check_id"], headers).status_code == 404
    response = api.feedback(hit["check_id"], good(hit), headers)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert "无权访问" in response.json()["message"]
    assert api.get(999_999).status_code == 404
    assert not Feedback.objects.exists()


def test_feedback_with_a_measure_of_the_memorandum(api, hit):
    with clock.pinned("2026-06-10"):
        response = api.feedback(hit["check_id"], good(hit))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["applied"] and body["measure"]["id"] == good(hit)["measure_id"]
    assert body["officer_name"] == "李四" and body["is_late"] is False
    feedback = Feedback.objects.get()
    assert feedback.token == api.token and feedback.officer is None
    audit = AuditLog.objects.get(action="feedback.submit")
    assert audit.actor_token_id == api.token.pk
    # Read back with the check; a second feedback is refused.
    assert api.get(hit["check_id"]).json()["feedback"]["result"] == "取消其中标候选人资格"
    with clock.pinned("2026-06-10"):
        again = api.feedback(hit["check_id"], good(hit))
    assert again.status_code == 400 and again.json()["code"] == "already_given"


def test_late_feedback_is_flagged_not_refused(api, hit):
    with clock.pinned("2026-06-12"):  # after the 5 working days
        response = api.feedback(hit["check_id"], good(hit, decided_on="2026-06-12"))
    assert response.status_code == 201 and response.json()["is_late"] is True


def test_not_applied_needs_a_reason(api, hit):
    with clock.pinned(DAY):
        response = api.feedback(hit["check_id"], good(hit, applied=False, measure_id=None))
        assert response.status_code == 400
        assert (
            response.json()["code"] == "reason_required"
            and "未实施原因" in response.json()["message"]
        )
        response = api.feedback(
            hit["check_id"],
            good(hit, applied=False, measure_id=None, reason_not_applied="已另案处理"),
        )
    assert response.status_code == 201 and response.json()["measure"] is None


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        ({"measure_id": None}, "measure_required", "请从备忘录措施中选择"),
        ({"measure_id": 999_999}, "measure_not_applicable", "不属于本次核查"),
        ({"result": "  "}, "result_required", "处理结果"),
        ({"officer_name": " "}, "officer_name_required", "经办人"),
        ({"decided_on": "2026-06-05"}, "decided_in_future", "不能晚于今天"),
        ({"decided_on": "2026-06-03"}, "decided_before_check", "不能早于核查日期"),
    ],
)
def test_bad_feedback_is_400_in_chinese(api, hit, changes, code, words):
    with clock.pinned(DAY):
        response = api.feedback(hit["check_id"], good(hit, **changes))
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == code and words in response.json()["message"]
    assert not Feedback.objects.exists()


def test_malformed_feedback_is_422(api, hit):
    with clock.pinned(DAY):
        response = api.feedback(hit["check_id"], {"applied": "perhaps", "decided_on": "yesterday"})
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "details"}


def test_a_check_without_hit_needs_no_feedback(api, company):
    with clock.pinned(DAY):
        body = api.check({"uscc": COMPANY_USCC, "domain": "ZFCG", "matter": "x"}).json()
        response = api.feedback(
            body["check_id"], {"applied": False, "reason_not_applied": "无", "result": "无",
                               "decided_on": DAY, "officer_name": "李四"},
        )  # fmt: skip
    assert response.status_code == 400 and response.json()["code"] == "no_hit"
    assert Check.objects.get().hit_count == 0
    assert dt.date.fromisoformat(DAY)
