"""The conflict review queue and the code-quality figures."""

import datetime as dt

import pytest
from django.utils import timezone

from subjects.subjects_support import USCC_A, USCC_B, USCC_C, legal, person
from xinyong.core.errors import ApplicationError, NotFoundError
from xinyong.core.models import AuditLog
from xinyong.subjects import selectors
from xinyong.subjects.models import SubjectAlias, SubjectConflict
from xinyong.subjects.services import conflict_resolve

pytestmark = pytest.mark.django_db


@pytest.fixture
def name_conflict(resolve, department):
    resolve(department, legal("神农架某某旅游有限公司", uscc=USCC_A))
    resolve(department, legal("神农架某某旅行社", uscc=USCC_A))
    return SubjectConflict.objects.get()


# -- resolving --------------------------------------------------------------


def test_clerk_resolves_own_departments_conflict_with_audit(clerk, name_conflict, pin_today):
    pin_today("2025-10-09")
    conflict_resolve(
        actor=clerk, conflict=name_conflict, status="corrected", note="已更正为正确名称"
    )
    name_conflict.refresh_from_db()
    assert name_conflict.status == "corrected"
    assert name_conflict.resolved_by == clerk
    assert timezone.localtime(name_conflict.resolved_at).date() == dt.date(2025, 10, 9)
    log = AuditLog.objects.get(action="subject_conflict.resolve")
    assert (log.actor, log.object_id, log.reason) == (
        clerk,
        str(name_conflict.pk),
        "已更正为正确名称",
    )
    assert log.after["status"] == "corrected"
    assert not SubjectAlias.objects.exists()


def test_confirming_a_name_mismatch_records_the_alias(
    resolve, department, admin_user, name_conflict
):
    conflict_resolve(actor=admin_user, conflict=name_conflict, status="confirmed", note="系曾用名")
    alias = SubjectAlias.objects.get()
    assert (alias.subject_id, alias.name) == (name_conflict.subject_id, "神农架某某旅行社")
    # The name no longer raises a doubt, in any department.
    resolve(department, legal("神农架某某旅行社", uscc=USCC_A))
    assert not SubjectConflict.objects.filter(status="open").exists()


def test_other_departments_clerk_cannot_resolve(other_clerk, name_conflict):
    with pytest.raises(NotFoundError):
        conflict_resolve(actor=other_clerk, conflict=name_conflict, status="confirmed", note="x")
    name_conflict.refresh_from_db()
    assert name_conflict.status == "open"
    assert not AuditLog.objects.filter(action="subject_conflict.resolve").exists()


@pytest.mark.parametrize(
    ("status", "note", "code"),
    [("open", "说明", "invalid_status"), ("confirmed", "  ", "note_required")],
)
def test_resolution_needs_a_result_and_a_note(admin_user, name_conflict, status, note, code):
    with pytest.raises(ApplicationError) as exc:
        conflict_resolve(actor=admin_user, conflict=name_conflict, status=status, note=note)
    assert exc.value.code == code


def test_a_closed_conflict_cannot_be_resolved_again(admin_user, name_conflict):
    conflict_resolve(actor=admin_user, conflict=name_conflict, status="confirmed", note="系曾用名")
    with pytest.raises(ApplicationError) as exc:
        conflict_resolve(actor=admin_user, conflict=name_conflict, status="corrected", note="再次")
    assert exc.value.code == "conflict_closed" and exc.value.status == 409


def test_queue_is_per_department_and_whole_for_credit_office(
    resolve, department, other_department, clerk, other_clerk, admin_user, name_conflict
):
    resolve(other_department, legal("神农架另一名称", uscc=USCC_A))
    assert [c.department for c in selectors.conflict_list_for(clerk)] == [department]
    assert [c.department for c in selectors.conflict_list_for(other_clerk)] == [other_department]
    assert selectors.conflict_list_for(admin_user).count() == 2
    conflict_resolve(actor=clerk, conflict=name_conflict, status="confirmed", note="系曾用名")
    assert not selectors.conflict_list_for(clerk).exists()
    assert selectors.conflict_list_for(clerk, status=None).count() == 1


# -- quality ----------------------------------------------------------------


def _figures(**kwargs):
    return {row["short_code"]: row for row in selectors.quality_by_department(**kwargs)}


def test_quality_figures_per_department(resolve, department, other_department, pin_today):
    pin_today("2025-09-01")
    # 市场监管: 50 coded subjects, one of them with a name mismatch → 2% duplicate codes.
    resolve(department, *[legal(f"神农架公司{i}", uscc=f"9142{i:014d}") for i in range(50)])
    resolve(department, legal("神农架公司X", uscc=f"9142{0:014d}"))
    # 税务: 200 coded subjects, one in a code mismatch pair → 0.5%; and a person (no code).
    resolve(
        other_department,
        *[legal(f"神农架企业{i}", uscc=f"9242{i:014d}") for i in range(199)],
        legal("神农架企业0", uscc=USCC_B),
        person("张三", "11010519491231002X"),
    )
    figures = _figures(wrong_code_counts={department.pk: (1, 400), other_department.pk: (9, 300)})
    scjg, shuiwu = figures["scjg"], figures["shuiwu"]
    assert (scjg["subjects_submitted"], scjg["subjects_with_code"]) == (50, 50)
    assert scjg["duplicate_code_subjects"] == 1
    assert scjg["duplicate_code_rate"] == pytest.approx(0.02)
    assert scjg["wrong_code_rate"] == pytest.approx(0.0025)
    assert scjg["meets_target"] is False
    assert (shuiwu["subjects_submitted"], shuiwu["subjects_with_code"]) == (201, 200)
    # Both subjects of the pair are the department's: 2 of 200.
    assert shuiwu["duplicate_code_subjects"] == 2
    assert shuiwu["duplicate_code_rate"] == pytest.approx(0.01)
    assert shuiwu["wrong_code_rate"] == pytest.approx(0.03)
    assert shuiwu["meets_target"] is False

    # Reviewing the doubts brings the duplicate rate down; no wrong-code data: rate unknown.
    for conflict in SubjectConflict.objects.filter(department=department):
        conflict.status = "corrected"
        conflict.save(update_fields=["status"])
    scjg = _figures()["scjg"]
    assert scjg["duplicate_code_rate"] == 0
    assert scjg["wrong_code_rate"] is None
    assert scjg["meets_target"] is True


def test_quality_since_counts_subjects_submitted_since(resolve, department, pin_today):
    pin_today("2025-08-01")
    resolve(department, legal("神农架旧公司", uscc=USCC_A), legal("神农架旧公司二", uscc=USCC_B))
    pin_today("2025-10-09")
    resolve(department, legal("神农架旧公司", uscc=USCC_A), legal("神农架新公司", uscc=USCC_C))
    assert _figures()["scjg"]["subjects_submitted"] == 3
    assert _figures(since=dt.date(2025, 10, 1))["scjg"]["subjects_submitted"] == 2


def test_quality_without_figures_and_filtered(department, other_department, credit_office):
    figures = _figures(department_ids=[department.pk])
    assert list(figures) == ["scjg"]
    assert figures["scjg"]["meets_target"] is None
    assert figures["scjg"]["duplicate_code_rate"] is None
    # The credit office is not listed unless it submitted.
    assert "xyb" not in _figures()
