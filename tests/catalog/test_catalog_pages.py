"""The staff pages under /staff/catalog/."""

import pytest

from xinyong.catalog import services
from xinyong.catalog.models import CatalogItem, CodeList

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get("/staff/catalog/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_clerk_sees_own_departments_items(client_as, clerk, xzcf, django_assert_max_num_queries):
    client = client_as(clerk)
    with django_assert_max_num_queries(5):
        response = client.get("/staff/catalog/")
    html = _html(response)
    assert response.status_code == 200
    assert "信用信息目录" in html and "行政处罚" in html and "XZCF" in html
    assert "行政许可" not in html and "新建目录事项" not in html


def test_credit_office_sees_all_items(client_as, admin_user, django_assert_max_num_queries):
    client = client_as(admin_user)
    for code in ("QS1", "QS2", "QS3"):
        services.catalog_item_create(
            actor=admin_user,
            code=code,
            name=f"事项{code}",
            category="other",
            nature="neutral",
            disclosure="public",
            fields=[{"key": "name", "label": "名称"}],
        )
    # The page's query count does not grow with the number of items.
    with django_assert_max_num_queries(5):
        response = client.get("/staff/catalog/")
    html = _html(response)
    assert response.status_code == 200
    for text in (
        "行政许可",
        "行政处罚",
        "纳税信用A级纳税人",
        "欠缴社会保险费",
        "失信被执行人",
        "事项QS3",
    ):
        assert text in html
    assert "新建目录事项" in html and "政务共享" in html and "第 1 版" in html


def test_item_page(client_as, clerk, xzcf, django_assert_max_num_queries):
    client = client_as(clerk)
    # With the item's change requests and whether other departments share it.
    with django_assert_max_num_queries(11):
        response = client.get("/staff/catalog/XZCF/")
    html = _html(response)
    assert response.status_code == 200
    for text in (
        "行政处罚",
        "行政相对人代码_1（统一社会信用代码）",
        "subject_uscc",
        "罚款金额（万元）",
        "证照代码",
        "统一社会信用代码、社会信用代码",  # aliases
        "暂扣或者吊销执照",  # a code list value
        "也接受以“其他-”开头的值",
        "证件号码",
        "第 1 版",
        "内置目录事项",
        "林区市场监督管理局",
        "/staff/ingest/items/XZCF/template.xlsx",
        "下载模板",
        "新增字段",
    ):
        assert text in html, text


def test_clerk_is_refused_another_departments_item_page(client_as, other_clerk, xzcf):
    client = client_as(other_clerk)
    for url in (
        "/staff/catalog/XZCF/",
        "/staff/catalog/XZCF/edit/",
        "/staff/catalog/XZCF/add-field/",
        "/staff/catalog/XZCF/fields/remarks/",
        "/staff/catalog/XZCF/versions/1/",
        "/staff/catalog/XZCF/versions/1/diff/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "无权访问" in _html(response)
    response = client.post("/staff/catalog/XZCF/fields/remarks/remove/")
    assert response.status_code == 404
    assert xzcf.fields.filter(key="remarks").exists()
    # A missing item looks the same as one that is not theirs.
    assert client.get("/staff/catalog/NOPE/").status_code == 404


def test_clerk_adds_a_field_on_the_page(client_as, clerk, xzcf):
    client = client_as(clerk)
    assert client.get("/staff/catalog/XZCF/add-field/").status_code == 200
    response = client.post(
        "/staff/catalog/XZCF/add-field/",
        {
            "label": "检查编号",
            "key": "inspection_no",
            "aliases": "检查单号、检查文号",
            "type": "text",
            "role": "",
            "masking": "",
            "note": "按新版目录增加",
        },
    )
    assert response.status_code == 302
    xzcf.refresh_from_db()
    assert xzcf.current_version.number == 2 and xzcf.current_version.note == "按新版目录增加"
    field = xzcf.fields.get(key="inspection_no")
    assert field.aliases == ["检查单号", "检查文号"]


def test_field_form_shows_errors_in_chinese(client_as, clerk, xzcf):
    response = client_as(clerk).post(
        "/staff/catalog/XZCF/add-field/",
        {"label": "罚没", "key": "x", "type": "code_list"},
    )
    assert response.status_code == 200
    assert "类型为代码表的字段必须指定代码表" in _html(response)
    assert xzcf.versions.count() == 1


def test_edit_and_remove_a_field_on_the_page(client_as, clerk, xzcf):
    client = client_as(clerk)
    page = client.get("/staff/catalog/XZCF/fields/remarks/")
    assert page.status_code == 200 and "删除字段“备注”" in _html(page)
    data = {
        "label": "备注说明",
        "key": "remarks",
        "aliases": "备注",
        "type": "text",
        "max_length": "1000",
        "is_public": "on",
    }
    assert client.post("/staff/catalog/XZCF/fields/remarks/", data).status_code == 302
    assert (
        client.post("/staff/catalog/XZCF/fields/remarks/remove/", {"note": "不再需要"}).status_code
        == 302
    )
    xzcf.refresh_from_db()
    assert xzcf.current_version.number == 3
    assert not xzcf.fields.filter(key="remarks").exists()


def test_clerk_edits_settings_but_not_disclosure(client_as, clerk, xzcf):
    client = client_as(clerk)
    page = client.get("/staff/catalog/XZCF/edit/")
    assert page.status_code == 200 and "由信用办设置" in _html(page)
    response = client.post(
        "/staff/catalog/XZCF/edit/",
        {
            "name": "行政处罚",
            "legal_basis": "《中华人民共和国行政处罚法》",
            "key_fields": "",
            "disclosure": "government",  # disabled for a clerk: ignored
            "note": "更新依据",
        },
    )
    assert response.status_code == 302
    xzcf.refresh_from_db()
    assert xzcf.legal_basis == "《中华人民共和国行政处罚法》"
    assert xzcf.disclosure == "public"
    assert xzcf.current_version.number == 2


def test_credit_office_creates_an_item_and_assigns_departments(client_as, admin_user, department):
    client = client_as(admin_user)
    assert client.get("/staff/catalog/new/").status_code == 200
    response = client.post(
        "/staff/catalog/new/",
        {
            "code": "qsxx",
            "name": "欠税信息",
            "category": "tax",
            "nature": "negative",
            "disclosure": "public",
            "submit_within": "7",
            "submit_unit": "days",
            "departments": [department.pk],
        },
    )
    assert response.status_code == 302 and response["Location"] == "/staff/catalog/QSXX/add-field/"
    item = CatalogItem.objects.get(code="QSXX")
    assert list(item.departments.all()) == [department]
    assert client.get("/staff/catalog/QSXX/").status_code == 200


def test_clerk_cannot_create_items_or_edit_code_lists(client_as, clerk):
    client = client_as(clerk)
    assert client.get("/staff/catalog/new/").status_code == 403
    assert client.get("/staff/catalog/code-lists/id_type/").status_code == 403
    listing = client.get("/staff/catalog/code-lists/")
    assert listing.status_code == 200 and "处罚类别" in _html(listing)


def test_credit_office_edits_a_code_list(client_as, admin_user):
    client = client_as(admin_user)
    page = client.get("/staff/catalog/code-lists/license_category/")
    assert page.status_code == 200 and "行政许可" in _html(page)
    response = client.post(
        "/staff/catalog/code-lists/license_category/",
        {
            "name": "许可类别",
            "values": "普通\n特许\n认可\n核准\n登记\n备案\n其他",
            "prefixes": "其他-",
        },
    )
    assert response.status_code == 302
    assert "备案" in CodeList.objects.get(code="license_category").values
    xzxk = CatalogItem.objects.get(code="XZXK")
    assert xzxk.current_version.number == 2


def test_version_pages(client_as, admin_user, xzcf):
    services.catalog_field_update(
        actor=admin_user,
        field=xzcf.fields.get(key="legal_rep"),
        changes={"required": True, "aliases": ["负责人"]},
    )
    services.catalog_field_add(actor=admin_user, item=xzcf, key="inspection_no", label="检查编号")
    services.catalog_item_update(actor=admin_user, item=xzcf, changes={"submit_within": 5})
    client = client_as(admin_user)

    diff = _html(client.get("/staff/catalog/XZCF/versions/2/diff/"))
    assert "与第 1 版比较" in diff and "修改字段（1）" in diff
    assert "法定代表人" in diff and "必填" in diff and "否" in diff and "是" in diff

    added = _html(client.get("/staff/catalog/XZCF/versions/3/diff/"))
    assert "新增字段（1）" in added and "检查编号" in added

    settings = _html(client.get("/staff/catalog/XZCF/versions/4/diff/"))
    assert "事项设置" in settings and "报送时限" in settings

    first = client.get("/staff/catalog/XZCF/versions/1/diff/")
    assert first.status_code == 200 and "初始内容" in _html(first)

    old = _html(client.get("/staff/catalog/XZCF/versions/1/"))
    assert "第 1 版" in old and "检查编号" not in old and "行政处罚决定书文号" in old
    assert client.get("/staff/catalog/XZCF/versions/9/").status_code == 404
