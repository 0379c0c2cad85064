"""Public pages: home, subject, 双公示 lists and records, articles; nothing non-public."""

import datetime as dt

import pytest

from portal.portal_support import LEGAL_REP_ID, PERSON_ID, licence_row, person_penalty_row
from support.exports import download_csv
from support.ingest_files import company_code, penalty_row
from xinyong.core import clock
from xinyong.lists.public import fed_types
from xinyong.orgs.models import Department
from xinyong.portal.models import Article
from xinyong.records.models import Record
from xinyong.records.services import record_withdraw
from xinyong.subjects.models import Subject, SubjectIdentifier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]


@pytest.fixture
def records(submit, xzcf, xzxk):
    submit(
        xzcf,
        [
            penalty_row(1, **{"法定代表人": "王五", "法定代表人证件号码": LEGAL_REP_ID}),
            penalty_row(2, **{"处罚类别": "警告", "处罚决定日期": "2025/09/01"}),
            person_penalty_row(),
        ],
    )
    submit(xzxk, [licence_row(1)])


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_home(client, records, django_assert_max_num_queries):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "信用神农架" in body and 'id="q"' in body and 'for="q"' in body
    assert 'id="latest-penalties"' in body and "神农架林海1商贸有限公司" in body
    assert 'href="/guide/repair/"' in body and 'href="/guide/objection/"' in body
    assert "张三丰" not in body and "张**" in body
    with django_assert_max_num_queries(6):
        client.get("/")  # counts come from the cache now


def test_subject_page(client, records, django_assert_max_num_queries):
    subject = Subject.objects.get(uscc=company_code(1))
    SubjectIdentifier.objects.create(
        subject=subject, kind=SubjectIdentifier.Kind.REGISTRATION, value="429021000012345"
    )
    Record.objects.filter(subject=subject, item__code="XZCF").update(disputed=True)
    # The subject with its identifiers, then its public records, then its list
    # entries decided here (the fed lists' types are cached per process: warm),
    # then its published commitments (rights, issue 14 §5).
    fed_types()
    with django_assert_max_num_queries(4):
        response = client.get(f"/subjects/{subject.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert company_code(1) in body
    assert "工商注册号" in body and "429021000012345" in body
    assert "神市监罚〔2025〕1号" in body and "神市监许〔2025〕1号" in body
    assert 'id="subject-penalties"' in body and 'id="subject-licences"' in body
    assert "异议处理中" in body
    assert "公示截止日期" in body
    assert LEGAL_REP_ID not in body


def test_subject_page_query_count_does_not_grow(
    submit, xzcf, client, django_assert_max_num_queries
):
    rows = [penalty_row(1, **{"行政处罚决定书文号": f"神市监罚〔2025〕{n}号"}) for n in range(30)]
    submit(xzcf, rows)
    subject = Subject.objects.get(uscc=company_code(1))
    fed_types()
    with django_assert_max_num_queries(4):  # + the published commitments
        response = client.get(f"/subjects/{subject.pk}/")
    assert response.content.decode().count('id="record-') == 30


def test_subject_page_without_records(client, make_subject, django_assert_max_num_queries):
    subject = make_subject("神农架无记录有限公司", uscc=company_code(5))
    fed_types()
    with django_assert_max_num_queries(4):  # + the published commitments
        response = client.get(f"/subjects/{subject.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "神农架无记录有限公司" in body and body.count("暂无公示信息") == 2


def test_person_has_no_public_page(client, records):
    person = Subject.objects.get(kind=Subject.Kind.PERSON)
    assert client.get(f"/subjects/{person.pk}/").status_code == 404
    assert client.get("/subjects/999999/").status_code == 404


def test_penalty_list_masks_persons(client, records):
    body = client.get("/shuanggongshi/penalties/").content.decode()
    assert "张**" in body and "张三丰" not in body and PERSON_ID not in body
    assert body.count('id="record-') == 3
    person = Subject.objects.get(kind=Subject.Kind.PERSON)
    assert f"/subjects/{person.pk}/" not in body


def test_list_filters(client, records, other_department, django_assert_max_num_queries):
    url = "/shuanggongshi/penalties/"
    with django_assert_max_num_queries(6):
        response = client.get(url, {"category": "警告"})
    assert response.content.decode().count('id="record-') == 2
    body = client.get(url, {"date_from": "2025-09-15", "date_to": "2025-09-30"}).content.decode()
    assert body.count('id="record-') == 2 and "神市监罚〔2025〕2号" not in body
    assert client.get(url, {"department": "scjg"}).content.decode().count('id="record-') == 3
    assert client.get(url, {"department": "shuiwu"}).content.decode().count('id="record-') == 0
    # A wrong filter is reported, not a crash.
    body = client.get(url, {"date_from": "2025-13-40", "department": "nope"}).content.decode()
    assert 'role="alert"' in body and body.count('id="record-') == 3
    body = client.get(url, {"date_from": "2025-10-01", "date_to": "2025-09-01"}).content.decode()
    assert "结束日期不能早于开始日期" in body
    assert client.get("/shuanggongshi/other/").status_code == 404


def test_list_paging(submit, xzcf, client):
    submit(xzcf, [penalty_row(n) for n in range(1, 26)])
    first = client.get("/shuanggongshi/penalties/").content.decode()
    second = client.get("/shuanggongshi/penalties/", {"page": 2}).content.decode()
    assert first.count('id="record-') == 20 and second.count('id="record-') == 5
    assert 'id="page-next"' in first and "共 25 条" in first


def test_record_page_shows_public_fields_only(client, records):
    record = Record.objects.get(doc_number="神市监罚〔2025〕1号")
    body = client.get(f"/shuanggongshi/penalties/{record.pk}/").content.decode()
    assert "违法事实" in body and "经查，当事人销售过期食品。" in body
    assert "王五" in body  # 法定代表人 is public
    assert LEGAL_REP_ID not in body and "法定代表人证件号码" not in body
    # A licence is not a penalty.
    assert client.get(f"/shuanggongshi/licences/{record.pk}/").status_code == 404


def test_person_record_page_masked_without_id(client, records):
    record = Record.objects.get(subject__kind=Subject.Kind.PERSON)
    body = client.get(f"/shuanggongshi/penalties/{record.pk}/").content.decode()
    assert "张**" in body and "张三丰" not in body
    assert PERSON_ID not in body and "证件号码" not in body and "1101" not in body


def test_withdrawn_record_leaves_every_page(client, records, admin_user):
    record = Record.objects.get(doc_number="神市监罚〔2025〕1号")
    subject_url = f"/subjects/{record.subject_id}/"
    record_withdraw(actor=admin_user, record=record, reason="行政复议决定撤销")
    # Its own page says it was withdrawn and why (行政处罚法 art. 48), and no more.
    page = client.get(f"/shuanggongshi/penalties/{record.pk}/")
    assert page.status_code == 410
    body = page.content.decode()
    assert "该信息已撤回" in body and "行政复议决定撤销" in body
    assert "销售不符合食品安全标准的食品" not in body and record.subject.name not in body
    assert "神市监罚〔2025〕1号" not in client.get("/shuanggongshi/penalties/").content.decode()
    assert "神市监罚〔2025〕1号" not in client.get(subject_url).content.decode()
    # It leaves the open data too; the change feed lists it as removed, with
    # the reason (see test_portal_open_data).
    api = str(client.get("/api/v1/public/records").json())
    csv_text = download_csv(client, "penalties")  # rebuilt by the task the withdrawal queued
    for text in (api, csv_text):
        assert "神市监罚〔2025〕1号" not in text and "行政复议决定撤销" not in text


def test_expired_record_leaves_every_page(client, records):
    record = Record.objects.get(doc_number="神市监罚〔2025〕1号")
    Record.objects.filter(pk=record.pk).update(disclosure_end=clock.today() - dt.timedelta(days=1))
    assert client.get(f"/shuanggongshi/penalties/{record.pk}/").status_code == 404
    assert "神市监罚〔2025〕1号" not in client.get("/shuanggongshi/penalties/").content.decode()


def test_articles(client):
    now = clock.now()
    shown = Article.objects.create(
        section=Article.Section.NEWS,
        title="信用动态一则",
        body="第一段<script>x</script>\n\n## 小标题\n- 第一项\n- 第二项",
        published_at=now - dt.timedelta(days=1),
        is_published=True,
    )
    draft = Article.objects.create(
        section=Article.Section.NEWS, title="草稿", body="x", published_at=now, is_published=False
    )
    future = Article.objects.create(
        section=Article.Section.POLICY,
        title="定时发布",
        body="x",
        published_at=now + dt.timedelta(days=1),
        is_published=True,
    )
    listing = client.get("/news/").content.decode()
    assert "信用动态一则" in listing and "草稿" not in listing
    body = client.get(f"/articles/{shown.pk}/").content.decode()
    assert "<p>第一段&lt;script&gt;x&lt;/script&gt;</p>" in body
    assert "<h2>小标题</h2>" in body and "<li>第一项</li>" in body
    assert client.get(f"/articles/{draft.pk}/").status_code == 404
    assert client.get(f"/articles/{future.pk}/").status_code == 404
    assert client.get("/policy/").status_code == 200
    assert client.get("/education/").status_code == 200


def test_guides(client):
    assert "信用修复" in client.get("/guide/repair/").content.decode()
    assert "异议" in client.get("/guide/objection/").content.decode()
    assert client.get("/guide/other/").status_code == 404


def test_demo_articles_idempotent(db):
    import io

    from xinyong.portal import demo

    demo.load(seed=1, stdout=io.StringIO())
    demo.load(seed=1, stdout=io.StringIO())
    assert Article.objects.count() == len(demo.ARTICLES)


def test_departments_filter_lists_active_departments(client, records, other_department):
    Department.objects.filter(pk=other_department.pk).update(is_active=False)
    body = client.get("/shuanggongshi/penalties/").content.decode()
    assert 'value="scjg"' in body and 'value="shuiwu"' not in body


def test_links_follow_the_script_prefix(client, records):
    # A deployment under a path prefix (SCRIPT_NAME) links every page under it:
    # the record tables' links and the links every page repeats.
    from django.test.utils import override_script_prefix

    subject = Subject.objects.get(uscc=company_code(1))
    record = Record.objects.get(doc_number="神市监罚〔2025〕1号")
    with override_script_prefix("/credit/"):
        body = client.get(f"/subjects/{subject.pk}/").content.decode()
        listing = client.get("/shuanggongshi/penalties/").content.decode()
    assert f'href="/credit/shuanggongshi/penalties/{record.pk}/"' in body
    assert 'href="/credit/guide/repair/"' in body and 'action="/credit/search/"' in body
    assert f'href="/credit/subjects/{subject.pk}/"' in listing
    assert f'href="/subjects/{subject.pk}/"' not in listing


def test_subject_page_links_to_the_whole_list_when_a_group_is_capped(
    submit, xzcf, client, monkeypatch
):
    monkeypatch.setattr("xinyong.records.selectors.subject.SUBJECT_PAGE_RECORDS", 2)
    rows = [penalty_row(1, **{"行政处罚决定书文号": f"神市监罚〔2025〕{n}号"}) for n in range(3)]
    submit(xzcf, rows)
    subject = Subject.objects.get(uscc=company_code(1))
    body = client.get(f"/subjects/{subject.pk}/").content.decode()
    assert body.count('id="record-') == 2
    link = f'href="/shuanggongshi/penalties/?subject={subject.pk}"'
    assert link in body and "仅显示最近 2 条，查看全部" in body
    listing = client.get("/shuanggongshi/penalties/", {"subject": subject.pk}).content.decode()
    assert listing.count('id="record-') == 3
