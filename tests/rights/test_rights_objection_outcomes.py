"""Objection outcomes: an upheld objection (更正) corrects the record with a
new revision and its reason, seen as a correction on the portal, in the
open data and in the change feed; 撤销 withdraws it; the disputed mark shows
in check answers while the objection is open."""

import pytest

from lists.factories import fed_record
from orgs.factories import OfficerFactory
from rights.factories import COMPANY_USCC, company, file_objection, public_record
from xinyong.core.errors import ApplicationError
from xinyong.core.models import AuditLog
from xinyong.records.corrections import record_correct
from xinyong.rights import services
from xinyong.rights.models import Objection
from xinyong.sanctions.matching import Query
from xinyong.sanctions.models import Check
from xinyong.sanctions.reference import forget
from xinyong.sanctions.services.checks import check_run

S = Objection.Status


def _to_verifying(record, office_user):
    o = file_objection(record).objection
    services.objection_accept(actor=office_user, objection=o)
    return services.objection_route(actor=office_user, objection=o)


def test_correction_is_seen_on_the_portal_api_and_feed(
    record, office_user, clerk, client, pin_today
):
    since = "2020-01-01T00:00:00+08:00"
    o = _to_verifying(record, office_user)
    services.objection_verify(
        actor=clerk, objection=o, outcome=S.CORRECTED, note="违法事实录入有误",
        corrections={"违法事实": "经营标签不规范的食品"},
    )  # fmt: skip
    record.refresh_from_db()
    assert record.revision == 2 and record.data["violation_facts"] == "经营标签不规范的食品"
    page = client.get(f"/shuanggongshi/penalties/{record.pk}/").content.decode()
    assert 'id="record-corrected"' in page and o.number in page
    assert "经营标签不规范的食品" in page
    items = client.get("/api/v1/public/records", {"item": "XZCF"}).json()["items"]
    out = next(i for i in items if i["id"] == record.pk)
    assert o.number in out["correction"]
    feed = client.get("/api/v1/public/changes", {"since": since}).json()["changes"]
    last = [c for c in feed if c["record_id"] == record.pk][-1]
    assert last["change"] == "corrected" and "违法事实录入有误" in last["reason_text"]
    assert AuditLog.objects.filter(action="record.correct", object_id=str(record.pk)).exists()


def test_correction_refusals(record, clerk, other_clerk):
    with pytest.raises(ApplicationError) as exc:
        record_correct(actor=clerk, record=record, changes={"doc_number": "x"}, reason="r")
    assert exc.value.code == "identity_field" and "重新报送" in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        record_correct(actor=clerk, record=record, changes={"nope": "x"}, reason="r")
    assert exc.value.code == "unknown_field"
    with pytest.raises(ApplicationError) as exc:
        record_correct(actor=clerk, record=record, changes={"fine_amount": "0.5"}, reason="r")
    assert exc.value.code == "no_change"
    with pytest.raises(ApplicationError) as exc:
        record_correct(actor=clerk, record=record, changes={"fine_amount": "1"}, reason=" ")
    assert exc.value.code == "reason_required"
    from xinyong.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        record_correct(actor=other_clerk, record=record, changes={"fine_amount": "1"}, reason="r")


def test_revoked_withdraws_and_upheld_gives_remedies(department, xzcf, office_user, clerk):
    withdrawn = public_record(department=department, subject=company())
    o = _to_verifying(withdrawn, office_user)
    services.objection_verify(actor=clerk, objection=o, outcome=S.REVOKED, note="决定已被撤销")
    withdrawn.refresh_from_db()
    assert withdrawn.status == "withdrawn" and o.number in withdrawn.withdrawn_reason
    kept = public_record(department=department, subject=withdrawn.subject)
    o = _to_verifying(kept, office_user)
    services.objection_verify(actor=clerk, objection=o, outcome=S.UPHELD, note="记录无误")
    o = services.objection_close(actor=office_user, objection=o, reply="维持原记录")
    assert "行政复议" in o.remedies and "行政诉讼" in o.remedies


def test_the_disputed_mark_is_in_check_answers(
    department, other_department, xzcf, office_user, pin_today
):
    forget()
    subject = company()
    court = fed_record(subject=subject, department=other_department)
    officer = OfficerFactory(username="officer2", department=department)

    def status():
        hits = check_run(
            actor=officer, department=department, domain_code="ZFCG", matter="采购",
            query=Query(uscc=COMPANY_USCC), channel=Check.Channel.PAGE,
        ).hits  # fmt: skip
        return hits[0]["status"]

    assert status()["disputed"] is False
    o = file_objection(court).objection
    services.objection_accept(actor=office_user, objection=o)
    assert status() == {"disputed": True, "objection": "异议处理中", "repair": "无"}
    services.objection_route(actor=office_user, objection=o)
    services.objection_verify(actor=OfficerFactory(username="c2", department=other_department),
                              objection=o, outcome=S.UPHELD, note="无误")  # fmt: skip
    services.objection_close(actor=office_user, objection=o, reply="维持")
    assert status()["disputed"] is False


def test_only_staff_or_the_system_correct_or_end_a_record(record, clerk):
    from xinyong.core.audit import ANONYMOUS, SYSTEM
    from xinyong.core.errors import PermissionDeniedError
    from xinyong.records.corrections import record_end_for_repair

    with pytest.raises(PermissionDeniedError):
        record_correct(actor=ANONYMOUS, record=record, changes={"fine_amount": "1"}, reason="r")
    with pytest.raises(PermissionDeniedError):
        record_end_for_repair(actor=ANONYMOUS, record=record, reason="r")
    record_end_for_repair(actor=SYSTEM, record=record, reason="信用修复")
    with pytest.raises(ApplicationError) as exc:
        record_end_for_repair(actor=clerk, record=record, reason="再次")
    assert exc.value.code == "already_repaired"
