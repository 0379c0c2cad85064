"""信用承诺 in the browser: a company signs a 主动型 commitment on the portal
form, reads its number and finds it on the public list; a person signs a
信用修复型 one and the list shows the name masked and never the ID number;
a wrong USCC is refused with a Chinese message and nothing is recorded."""

import pytest

from rights.commitments import COMPANY_NAME
from rights.factories import COMPANY_USCC, PERSON_ID, PERSON_NAME, company, person
from xinyong.core import clock
from xinyong.core.masking import mask_person_name
from xinyong.rights.commitment_texts import ensure_default_texts
from xinyong.rights.models import Commitment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fill_signer(page, department, *, kind, name, code, phone):
    page.get_by_label(kind).check()
    page.get_by_label("单位名称或姓名").fill(name)
    page.get_by_label("统一社会信用代码或身份证号码").fill(code)
    page.get_by_label("联系电话").fill(phone)
    page.get_by_label("受理部门").select_option(label=department.name)


def test_company_signs_a_voluntary_commitment_and_finds_it_published(live_server, page, department):
    ensure_default_texts()  # a transactional test starts from an emptied database
    company()
    with clock.pinned("2025-11-03"):
        page.goto(f"{live_server.url}/commitments/new/")
        shown = page.locator("#text-voluntary pre.commitment-text").inner_text()
        assert "五、" in shown
        page.get_by_label("主动型").check()
        _fill_signer(
            page,
            department,
            kind="单位（统一社会信用代码）",
            name=COMPANY_NAME,
            code=COMPANY_USCC,
            phone="0719-3331234",
        )
        page.get_by_label("联系人（单位填写）").fill("李四")
        page.get_by_label("承诺事项（可选）").fill("诚信经营，守法纳税")
        page.get_by_label("本人（本单位）已阅读并同意遵守以上承诺").check()
        page.get_by_role("button", name="签署承诺").click()

        assert page.get_by_role("heading", name="信用承诺已登记").is_visible()
        number = page.locator("#commitment-number").inner_text().strip()
        assert "主动型" in page.get_by_role("status").inner_text()
        signed = Commitment.objects.get()
        assert signed.number == number and signed.type == "voluntary"
        # The signed page repeats exactly the text shown on the form, as recorded.
        kept = page.locator("#signed-text pre.commitment-text").inner_text()
        assert kept == shown and signed.text_body.strip() == shown.strip()

        page.get_by_role("link", name="查看信用承诺公示").click()
        page.get_by_label("类型").select_option(label="主动型")
        page.get_by_role("button", name="筛选").click()
        row = page.locator("#commitments tbody tr", has_text=number)
        assert row.count() == 1
        text = row.inner_text()
        assert COMPANY_NAME in text and COMPANY_USCC in text
        assert "诚信经营，守法纳税" in text and "2025-11-03" in text

        page.get_by_label("类型").select_option(label="信用修复型")
        page.get_by_role("button", name="筛选").click()
        assert page.locator("#commitments tbody").inner_text().strip() == "暂无公示的信用承诺"


def test_person_signs_a_repair_commitment_published_masked(live_server, page, department):
    ensure_default_texts()
    person()
    page.goto(f"{live_server.url}/commitments/new/")
    page.get_by_label("信用修复型").check()
    _fill_signer(
        page,
        department,
        kind="个人（居民身份证）",
        name=PERSON_NAME,
        code=PERSON_ID,
        phone="13800001111",
    )
    page.get_by_label("本人（本单位）已阅读并同意遵守以上承诺").check()
    page.get_by_role("button", name="签署承诺").click()
    number = page.locator("#commitment-number").inner_text().strip()
    assert PERSON_ID not in page.content()

    page.goto(f"{live_server.url}/commitments/?type=repair")
    row = page.locator("#commitments tbody tr", has_text=number)
    assert mask_person_name(PERSON_NAME) in row.inner_text()
    assert row.get_by_role("link").count() == 0  # a person has no public page
    html = page.content()
    assert PERSON_NAME not in html
    assert PERSON_ID not in html and PERSON_ID[-6:] not in html


def test_wrong_uscc_is_refused_and_nothing_recorded(live_server, page, department):
    ensure_default_texts()
    company()
    page.goto(f"{live_server.url}/commitments/new/")
    page.get_by_label("主动型").check()
    wrong = COMPANY_USCC[:-1] + ("M" if COMPANY_USCC[-1] != "M" else "N")
    _fill_signer(
        page,
        department,
        kind="单位（统一社会信用代码）",
        name=COMPANY_NAME,
        code=wrong,
        phone="0719-3331234",
    )
    page.get_by_label("本人（本单位）已阅读并同意遵守以上承诺").check()
    page.get_by_role("button", name="签署承诺").click()

    # The message sits with the code's field, and the field points to it.
    code_field = page.get_by_label("统一社会信用代码或身份证号码")
    assert "id_signer_code_error" in (code_field.get_attribute("aria-describedby") or "")
    field_error = page.locator("#id_signer_code_error").inner_text().strip()
    assert field_error == "证件号码：不是有效的统一社会信用代码"
    assert page.locator("#commitment-errors").count() == 0
    assert page.get_by_role("heading", name="在线作出信用承诺").is_visible()
    # The form keeps what was typed, so the signer corrects only the code.
    assert page.get_by_label("统一社会信用代码或身份证号码").input_value() == wrong
    assert page.locator("#commitment-number").count() == 0
    assert not Commitment.objects.exists()
    page.goto(f"{live_server.url}/commitments/")
    assert page.locator("#commitments tbody").inner_text().strip() == "暂无公示的信用承诺"
