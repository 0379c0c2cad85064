"""知情 in the browser: the credit office issues an access code to a company
(after its authorisation letter); the company opens /disclosure/ with its
USCC and the code and reads everything held about it — a withdrawn record
too, its list entry and the checks run against it; every look is audited.
A wrong code, or one the credit office revoked, is refused in Chinese and
shows nothing."""

import pytest

from lists.factories import ListEntryFactory
from records.factories import PenaltyRecordFactory
from rights.factories import COMPANY_USCC, company, public_record
from xinyong.core.models import AuditLog
from xinyong.records.models import Record
from xinyong.rights.services import disclosure
from xinyong.sanctions.matching import Query
from xinyong.sanctions.models import Check
from xinyong.sanctions.services.checks import check_run

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REFUSED = "统一社会信用代码或授权查询码不正确，或查询码已过期、已作废"


@pytest.fixture
def held(department, xzcf, officer):
    subject = company()
    public = public_record(department=department, subject=subject)
    hidden = PenaltyRecordFactory(
        department=department,
        subject=subject,
        status=Record.Status.WITHDRAWN,
        doc_number="神市监罚〔2024〕99号",
        record_key="神市监罚〔2024〕99号",
    )
    entry = ListEntryFactory(subject=subject, decided_by=department)
    check_run(
        actor=officer,
        department=officer.department,
        domain_code="ZFCG",
        matter="政府采购项目 SNJ-2026-001",
        query=Query(uscc=COMPANY_USCC),
        channel=Check.Channel.PAGE,
    )
    return subject, public, hidden, entry


def _open(page, live_server, uscc, code):
    page.goto(f"{live_server.url}/disclosure/")
    page.get_by_label("统一社会信用代码").fill(uscc)
    page.get_by_label("授权查询码").fill(code)
    page.locator("#disclosure-form").get_by_role("button", name="查询").click()


def test_company_reads_its_file_with_the_issued_code(live_server, browser, page, held, admin_user):
    subject, public, hidden, entry = held
    issued = disclosure.disclosure_code_issue(
        actor=admin_user,
        uscc=COMPANY_USCC,
        letter="授权书 2026-007（加盖公章）",
        reason="企业申请查询本单位信用信息",
    )

    _open(page, live_server, COMPANY_USCC, issued.code)
    assert page.url == f"{live_server.url}/disclosure/file/"
    assert page.locator("#dossier-uscc").inner_text() == COMPANY_USCC
    assert subject.name in page.locator("#dossier-title").inner_text()
    assert "（2）" in page.locator("#dossier-records").inner_text()
    shown_public = page.locator(f"#dossier-record-{public.pk}").inner_text()
    shown_hidden = page.locator(f"#dossier-record-{hidden.pk}").inner_text()
    assert "公开" in shown_public and public.doc_number in shown_public
    assert "不公开" in shown_hidden and "神市监罚〔2024〕99号" in shown_hidden
    dossier = page.locator("#dossier").inner_text()
    assert (
        entry.list_type.name in dossier and "（1）" in page.locator("#dossier-lists").inner_text()
    )
    assert "政府采购项目 SNJ-2026-001" in page.locator("#dossier-check-table").inner_text()

    views = AuditLog.objects.filter(action="disclosure.view", object_id=str(issued.access.pk))
    assert views.count() == 1
    assert AuditLog.objects.filter(action="disclosure.code_use").count() == 1

    page.reload()
    assert views.count() == 2  # each look is audited

    # Another visitor without the code is sent to the form.
    stranger = browser.new_context(locale="zh-CN").new_page()
    stranger.goto(f"{live_server.url}/disclosure/file/")
    assert stranger.url == f"{live_server.url}/disclosure/"
    assert stranger.locator("#dossier").count() == 0
    stranger.context.close()


def test_wrong_or_revoked_code_is_refused(live_server, page, held, admin_user):
    subject, *_ = held
    issued = disclosure.disclosure_code_issue(
        actor=admin_user, uscc=COMPANY_USCC, letter="授权书 2026-008", reason="企业申请查询"
    )
    wrong = "AAAA-AAAA-AAAA" if issued.code != "AAAA-AAAA-AAAA" else "BBBB-BBBB-BBBB"
    _open(page, live_server, COMPANY_USCC, wrong)
    assert page.get_by_role("alert").inner_text().strip() == REFUSED
    assert page.locator("#dossier").count() == 0
    assert subject.name not in page.content()

    disclosure.disclosure_code_revoke(actor=admin_user, access=issued.access)
    _open(page, live_server, COMPANY_USCC, issued.code)
    assert page.get_by_role("alert").inner_text().strip() == REFUSED
    assert page.locator("#dossier").count() == 0
    page.goto(f"{live_server.url}/disclosure/file/")
    assert page.url == f"{live_server.url}/disclosure/"

    assert AuditLog.objects.filter(action="disclosure.code_refuse").count() == 2
    assert not AuditLog.objects.filter(action="disclosure.view").exists()
