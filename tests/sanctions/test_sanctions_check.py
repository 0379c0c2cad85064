"""The check (联合奖惩核查): every matching rule, the explained answer, the log."""

import datetime as dt

import pytest

from lists.factories import ListEntryFactory, fed_record
from records.factories import PenaltyRecordFactory
from sanctions.factories import COMPANY_USCC, PERSON_ID
from subjects.factories import SubjectAliasFactory, SubjectFactory, SubjectIdentifierFactory
from xinyong.core import clock
from xinyong.core.audit import Actor
from xinyong.core.errors import ApplicationError, PermissionDeniedError
from xinyong.core.models import AuditLog
from xinyong.lists.models import ListEntry, ListType
from xinyong.records.models import Record
from xinyong.records.services import record_withdraw
from xinyong.sanctions.matching import Query, parse_text
from xinyong.sanctions.models import Check, CheckedSubject
from xinyong.sanctions.services.checks import check_run

pytestmark = pytest.mark.django_db


def run(officer, query, domain="ZFCG", **kwargs):
    return check_run(
        actor=officer,
        department=officer.department,
        domain_code=domain,
        matter="政府采购项目 SNJ-2026-001",
        query=query,
        channel=Check.Channel.PAGE,
        **kwargs,
    )


def test_a_hit_by_uscc_explains_itself(officer, company, company_on_sxbzx):
    outcome = run(officer, Query(uscc=COMPANY_USCC))
    [hit] = outcome.hits
    assert hit["list"] == {
        "code": "SXBZX",
        "name": "失信被执行人名单",
        "kind": "black",
        "kind_label": "黑名单",
    }
    assert hit["entry"]["document_number"] == company_on_sxbzx.doc_number
    assert hit["entry"]["decider"] == company_on_sxbzx.department.name
    assert hit["entry"]["listed_on"] == company_on_sxbzx.decision_date.isoformat()
    assert hit["entry"]["removal_conditions"]
    assert hit["matched_by"]["method"] == "uscc"
    assert hit["matched_by"]["query_value"] == hit["matched_by"]["entry_value"] == COMPANY_USCC
    assert not hit["needs_review"]
    # Measures of the domain asked only (政府采购), from 发改财金〔2016〕141号.
    assert hit["measures"] and {m["domain"] for m in hit["measures"]} == {"ZFCG"}
    m = hit["measures"][0]
    assert m["document_number"] == "发改财金〔2016〕141号"
    assert m["force_label"] == "强制性" and m["legal_basis"] and m["implementing_body"]
    assert hit["rewards"] == []
    assert hit["status"] == {"disputed": False, "objection": "无", "repair": "无"}


def test_every_check_is_logged_and_audited(officer, company, company_on_sxbzx):
    outcome = run(officer, Query(uscc=COMPANY_USCC))
    check = Check.objects.get(pk=outcome.check.pk)
    assert check.officer == officer and check.department == officer.department
    assert check.domain.code == "ZFCG" and check.matter == "政府采购项目 SNJ-2026-001"
    assert check.query == COMPANY_USCC and check.hit_count == 1 and check.hits == outcome.hits
    assert check.feedback_due is not None and check.feedback_due > clock.today()
    assert CheckedSubject.objects.filter(check_run=check, subject=company).exists()
    row = AuditLog.objects.get(action="check.run", object_id=str(check.pk))
    assert row.actor_id == officer.pk and row.after["hits"] == 1


def test_a_miss_is_logged_too_without_feedback_due(officer, company):
    outcome = run(officer, Query(uscc=COMPANY_USCC))
    assert outcome.hits == [] and [m.subject_id for m in outcome.matches] == [company.pk]
    check = outcome.check
    assert check.hit_count == 0 and check.feedback_due is None


def test_a_legacy_code_matches(officer, company, wages_entry):
    SubjectIdentifierFactory(subject=company, value="429021000000011")
    outcome = run(officer, Query(legacy_code="429021000000011"))
    assert [h["matched_by"]["method"] for h in outcome.hits] == ["legacy_code"]


def test_name_only_hits_need_review(officer, company, wages_entry):
    outcome = run(officer, Query(name="神农架林区某某建材有限责任公司"))
    [hit] = outcome.hits
    assert hit["matched_by"]["method"] == "name" and hit["needs_review"]
    assert hit["review_label"] == "需人工核实"
    assert outcome.check.needs_review


@pytest.mark.parametrize(
    "variant",
    [
        "神农架林区某某建材有限公司",  # 有限公司 for 有限责任公司
        " 神农架林区 某某建材有限责任公司 ",  # spaces
        "神农架林区某某建材有限责任公司　",
    ],
)
def test_name_variants_match(officer, company, wages_entry, variant):
    [hit] = run(officer, Query(name=variant)).hits
    assert hit["needs_review"]
    assert hit["matched_by"]["query_value"] == variant.strip()
    assert hit["matched_by"]["entry_value"] == company.name


def test_brackets_full_and_half_width_match(officer, other_department):
    subject = SubjectFactory(name="湖北神农（集团）旅游有限公司")
    ListEntryFactory(list_type=ListType.objects.get(code="TQNMGGZ"), subject=subject)
    [hit] = run(officer, Query(name="湖北神农(集团)旅游有限公司")).hits
    assert hit["matched_by"]["method"] == "name"  # the same key: brackets are normalised


def test_a_former_name_matches(officer, company, wages_entry):
    SubjectAliasFactory(subject=company, name="神农架旧名建材有限公司")
    [hit] = run(officer, Query(name="神农架旧名建材有限公司")).hits
    assert hit["subject"]["id"] == company.pk and hit["needs_review"]


def test_a_fragment_never_matches(officer, company, wages_entry):
    for fragment in ("神农架林区", "某某建材", "神农架林区某某建材", "有限责任公司"):
        outcome = run(officer, Query(name=fragment))
        assert outcome.hits == [], fragment
    assert all(m.subject_id != company.pk for m in run(officer, Query(name="神农架林区")).matches)


def test_a_person_is_checked_by_id_number_and_masked(officer, person, other_department):
    ListEntryFactory(list_type=ListType.objects.get(code="TQNMGGZ"), subject=person)
    outcome = run(officer, Query(id_number=PERSON_ID))
    [hit] = outcome.hits
    assert hit["matched_by"]["method"] == "id_digest"
    assert hit["matched_by"]["query_value"] == "1101**********002X"
    assert hit["matched_by"]["entry_value"] == "1101**********002X"
    assert PERSON_ID not in str(outcome.as_dict())
    check = Check.objects.get(pk=outcome.check.pk)
    assert PERSON_ID not in check.query and PERSON_ID not in str(check.hits)
    audit = AuditLog.objects.get(action="check.run", object_id=str(check.pk))
    assert audit.after["person"] is True and PERSON_ID not in str(audit.after)


def test_a_person_is_never_matched_by_name(officer, person, other_department):
    ListEntryFactory(list_type=ListType.objects.get(code="TQNMGGZ"), subject=person)
    assert run(officer, Query(name="张三")).hits == []


def test_a_removed_entry_never_hits_from_that_moment(officer, company, wages_entry):
    assert len(run(officer, Query(uscc=COMPANY_USCC)).hits) == 1
    ListEntry.objects.filter(pk=wages_entry.pk).update(
        status=ListEntry.Status.REMOVED, ended_on=clock.today()
    )
    assert run(officer, Query(uscc=COMPANY_USCC)).hits == []


def test_an_expired_entry_never_hits_even_before_the_daily_job(officer, company, wages_entry):
    with clock.pinned(wages_entry.valid_until):
        assert len(run(officer, Query(uscc=COMPANY_USCC)).hits) == 1
    with clock.pinned(wages_entry.valid_until + dt.timedelta(days=1)):
        assert run(officer, Query(uscc=COMPANY_USCC)).hits == []


def test_a_court_withdrawal_ends_the_hit_at_once(officer, company, company_on_sxbzx):
    assert len(run(officer, Query(uscc=COMPANY_USCC)).hits) == 1
    court_clerk = type(officer).objects.create(
        username="court", role="clerk", department=company_on_sxbzx.department
    )
    record_withdraw(actor=court_clerk, record=company_on_sxbzx, reason="已履行完毕，法院决定删除")
    assert run(officer, Query(uscc=COMPANY_USCC)).hits == []


def test_serious_records_within_their_period_and_disputed_status(
    officer, company, company_on_sxbzx, department
):
    serious = PenaltyRecordFactory(
        subject=company, department=department, disclosure_tier="serious",
        disclosure_end=clock.today() + dt.timedelta(days=100),
    )  # fmt: skip
    PenaltyRecordFactory(
        subject=company,
        department=department,
        disclosure_tier="serious",
        disclosure_end=clock.today() - dt.timedelta(days=1),
    )  # fmt: skip  (its period is over)
    PenaltyRecordFactory(subject=company, department=department, disclosure_tier="general")
    Record.objects.filter(pk=company_on_sxbzx.pk).update(disputed=True)
    [hit] = run(officer, Query(uscc=COMPANY_USCC)).hits
    assert [r["id"] for r in hit["serious_records"]] == [serious.pk]
    assert hit["status"]["disputed"] is True and hit["status"]["objection"] == "异议处理中"


def test_red_list_rewards(officer, company, other_department):
    fed_record(code="NSXYA", subject=company, department=other_department)
    [hit] = run(officer, Query(uscc=COMPANY_USCC), domain="XZXK").hits
    assert hit["list"]["kind"] == "red"
    contents = "".join(r["content"] for r in hit["rewards"])
    assert "绿色通道" in contents and "容缺受理" in contents
    assert hit["measures"] == []


def test_a_malformed_code_gives_its_reason_and_the_name_is_still_checked(
    officer, company, wages_entry
):
    outcome = run(officer, Query(uscc="91110000600037341X", name=company.name))
    assert [p.field for p in outcome.problems] == ["uscc"]
    assert (
        "统一社会信用代码" in outcome.problems[0].message and "校验" in outcome.problems[0].message
    )
    assert len(outcome.hits) == 1 and outcome.hits[0]["needs_review"]


def test_a_malformed_code_alone_is_refused_with_its_reason(officer):
    with pytest.raises(ApplicationError) as exc:
        run(officer, Query(uscc="91110000600037341X"))
    assert exc.value.code == "invalid_code" and "校验" in exc.value.message
    assert not Check.objects.exists()


def test_an_unknown_domain_is_refused(officer, company):
    with pytest.raises(ApplicationError) as exc:
        run(officer, Query(uscc=COMPANY_USCC), domain="XX")
    assert exc.value.code == "unknown_domain" and "ZFCG（政府采购）" in exc.value.message


def test_a_clerk_may_not_check(clerk, company):
    with pytest.raises(PermissionDeniedError):
        run(clerk, Query(uscc=COMPANY_USCC))


def test_command_line_check_without_department(company, wages_entry):
    outcome = check_run(
        actor=Actor(kind="system", label="命令行 test"), department=None, domain_code=None,
        matter="", query=Query(uscc=COMPANY_USCC), channel=Check.Channel.CLI,
    )  # fmt: skip
    [hit] = outcome.hits
    assert {m["domain"] for m in hit["measures"]} >= {"ZFCG", "ZBTB"}  # every domain
    assert outcome.check.feedback_due is None


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("91110000600037341L", "uscc"),
        ("９１１１００００６０００３７３４１ｌ", "uscc"),
        ("11010519491231002X", "id_number"),
        ("429021000000011", "legacy_code"),
        ("神农架林区某某建材有限公司", "name"),
    ],
)
def test_parse_text(text, field):
    query = parse_text(text)
    assert getattr(query, field)


def test_statements_bounded(
    officer, company, company_on_sxbzx, wages_entry, django_assert_max_num_queries
):
    run(officer, Query(uscc=COMPANY_USCC))  # warm the reference data
    # Subjects 1, entries 2, serious records 1; the Check, its CheckedSubject
    # and the audit row 3; the transaction's savepoint and release 2.
    with django_assert_max_num_queries(9):
        outcome = run(officer, Query(uscc=COMPANY_USCC))
    assert len(outcome.hits) == 2
