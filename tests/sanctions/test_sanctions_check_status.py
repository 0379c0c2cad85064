"""Each hit carries objection and repair status (issue 13 §4): a serious record
under objection, a feeding record under objection, and a listing decided here
whose objection or repair application the rights app marks through
`lists.services.list_entry_challenge`."""

import datetime as dt

import pytest

from records.factories import PenaltyRecordFactory
from sanctions.factories import COMPANY_USCC
from xinyong.core import clock
from xinyong.core.audit import SYSTEM
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.models import AuditLog
from xinyong.lists.services import list_entry_challenge
from xinyong.records.models import Record
from xinyong.sanctions.matching import Query
from xinyong.sanctions.models import Check
from xinyong.sanctions.services.checks import check_run

pytestmark = pytest.mark.django_db


def hits(officer):
    return check_run(
        actor=officer, department=officer.department, domain_code="ZFCG", matter="采购",
        query=Query(uscc=COMPANY_USCC), channel=Check.Channel.PAGE,
    ).hits  # fmt: skip


def test_a_serious_record_under_objection_is_marked(officer, company, wages_entry, department):
    serious = PenaltyRecordFactory(
        subject=company, department=department, disclosure_tier="serious",
        disclosure_end=clock.today() + dt.timedelta(days=100),
    )  # fmt: skip
    [hit] = hits(officer)
    assert hit["serious_records"][0]["objection"] == "无"
    Record.objects.filter(pk=serious.pk).update(disputed=True)  # as the rights app does
    [hit] = hits(officer)
    [record] = hit["serious_records"]
    assert record["disputed"] is True and record["objection"] == "异议处理中"
    # The listing itself is not contested.
    assert hit["status"] == {"disputed": False, "objection": "无", "repair": "无"}


def test_a_listing_under_objection_or_repair_says_so_and_stays_in_force(
    officer, company, wages_entry
):
    entry = list_entry_challenge(actor=SYSTEM, entry=wages_entry, challenge="objection",
                                 reason="异议申请 YY-1 已受理")  # fmt: skip
    assert entry.challenge == "objection"
    [hit] = hits(officer)
    assert hit["status"] == {"disputed": True, "objection": "异议处理中", "repair": "无"}
    list_entry_challenge(actor=SYSTEM, entry=wages_entry, challenge="repair")
    [hit] = hits(officer)
    assert hit["status"] == {"disputed": False, "objection": "无", "repair": "信用修复申请处理中"}
    list_entry_challenge(actor=SYSTEM, entry=wages_entry, challenge="")
    [hit] = hits(officer)
    assert hit["status"]["repair"] == "无"
    audits = AuditLog.objects.filter(action="list_entry.challenge", object_id=str(wages_entry.pk))
    assert [a.after["challenge"] for a in audits.order_by("id")] == ["objection", "repair", ""]
    assert audits.order_by("id").first().reason == "异议申请 YY-1 已受理"


def test_setting_the_same_state_writes_nothing(wages_entry):
    list_entry_challenge(actor=SYSTEM, entry=wages_entry, challenge="repair")
    list_entry_challenge(actor=SYSTEM, entry=wages_entry, challenge="repair")
    assert AuditLog.objects.filter(action="list_entry.challenge").count() == 1


def test_refusals(wages_entry, officer, other_clerk):
    with pytest.raises(ApplicationError, match="异议/修复状态只能是"):
        list_entry_challenge(actor=SYSTEM, entry=wages_entry, challenge="maybe")
    # Only the deciding department (here other_department), the credit office or the system.
    with pytest.raises(NotFoundError):
        list_entry_challenge(actor=officer, entry=wages_entry, challenge="objection")
    wages_entry.status = "removed"
    wages_entry.ended_on = clock.today()
    wages_entry.save()
    with pytest.raises(ApplicationError, match="不能标记异议或信用修复"):
        list_entry_challenge(actor=other_clerk, entry=wages_entry, challenge="objection")


def test_the_api_answer_carries_the_status(client, department, company, wages_entry):
    from orgs.factories import ApiTokenFactory, token_secret

    list_entry_challenge(actor=SYSTEM, entry=wages_entry, challenge="objection")
    token = ApiTokenFactory(department=department)
    response = client.post(
        "/api/v1/checks", {"uscc": COMPANY_USCC, "domain": "ZFCG", "matter": "x"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_secret(token.prefix)}"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["hits"][0]["status"]["objection"] == "异议处理中"
