"""Personal data typed into a record's free text never reaches the public in
clear (issue 12, item 2): not on the portal's record, subject and list pages,
the CSV, the open-data API or the change feed. Staff pages keep the clear text
for the record's own department and the credit office."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from stdnum import luhn

from records.conftest import person_penalty_row
from support.exports import download_csv
from support.ingest_files import penalty_row
from xinyong.core.identifiers import resident_id_with_check
from xinyong.records.models import Record
from xinyong.records.services import record_withdraw

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]

PERSON_NAME = "张三丰"  # person_penalty_row's subject
PERSON_ID = "11010519491231002X"  # person_penalty_row's
WITNESS_ID = resident_id_with_check("42902119880512003")
MOBILE = "13907191234"
CARD = "6222021907" + "12345678"
CARD += luhn.calc_check_digit(CARD)
GLUED_MOBILE = "13607195678"  # written against letters: TEL13607195678
SECRETS = (PERSON_NAME, PERSON_ID, WITNESS_ID, MOBILE, CARD, "1234 5678", GLUED_MOBILE)


@pytest.fixture
def on_day(pin_today):
    pin_today(dt.datetime(2025, 10, 9, 10, 0))


@pytest.fixture
def careless(submit, xzcf) -> tuple[Record, Record]:
    """A person's penalty and a company's, with personal data typed into the
    free text and (the company's) into the document number."""
    return submit(
        xzcf,
        [
            person_penalty_row(
                1,
                **{
                    "违法事实": (
                        f"经查，当事人{PERSON_NAME}（身份证号{PERSON_ID.lower()}，"
                        f"手机{MOBILE}）于2025年9月销售过期食品。"
                    ),
                    "处罚内容": f"警告；{PERSON_NAME}的联系电话138 1234 5678",
                    "备注": f"罚没款退回{PERSON_NAME}银行卡{CARD}，TEL{GLUED_MOBILE}",
                },
            ),
            penalty_row(
                2,
                **{
                    "行政处罚决定书文号": f"神市监罚〔2025〕2号（经办人手机{MOBILE}）",
                    "违法事实": f"经查，当事人雇用的员工（身份证号{WITNESS_ID}）无健康证上岗。",
                    "处罚内容": "罚款人民币0.5万元，联系电话 +86 138-1234-5678",
                },
            ),
        ],
    )


def _assert_scrubbed(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret
    assert PERSON_ID.lower() not in text


def test_portal_record_pages(client, careless):
    person, company = careless
    for record in careless:
        page = client.get(reverse("portal:record_detail", args=["penalties", record.pk]))
        assert page.status_code == 200
        _assert_scrubbed(page.content.decode())
    person_page = client.get(reverse("portal:record_detail", args=["penalties", person.pk]))
    text = person_page.content.decode()
    assert "张**" in text and "139****1234" in text and "1101**********002X" in text
    assert "销售过期食品" in text  # the rest of the text is shown
    assert "TEL136****5678" in text  # 备注 is public; the glued mobile masked
    company_page = client.get(reverse("portal:record_detail", args=["penalties", company.pk]))
    assert "神市监罚〔2025〕2号（经办人手机139****1234）" in company_page.content.decode()


def test_portal_subject_page(client, careless):
    _, company = careless
    page = client.get(reverse("portal:subject", args=[company.subject_id]))
    assert page.status_code == 200
    text = page.content.decode()
    _assert_scrubbed(text)
    assert "神市监罚〔2025〕2号（经办人手机139****1234）" in text


def test_shuanggongshi_list(client, careless):
    page = client.get(reverse("portal:record_list", args=["penalties"]))
    assert page.status_code == 200
    text = page.content.decode()
    _assert_scrubbed(text)
    assert "139****1234" in text


def test_csv_download(client, careless):
    text = download_csv(client, "penalties")
    _assert_scrubbed(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    facts = {row["违法事实"] for row in rows}
    assert (
        "经查，当事人张**（身份证号1101**********002X，手机139****1234）于2025年9月销售过期食品。"
        in facts
    )


def test_open_data_api(client, careless):
    response = client.get("/api/v1/public/records", {"item": "XZCF"})
    assert response.status_code == 200
    _assert_scrubbed(response.content.decode("utf-8"))
    _assert_scrubbed(str(response.json()))
    assert "+86 138****5678" in str(response.json())


def test_change_feed_and_withdrawal_reason(client, careless, admin_user, pin_today):
    person, _ = careless
    feed = client.get("/api/v1/public/changes", {"since": "2025-01-01T00:00:00+08:00"})
    assert feed.status_code == 200
    assert len(feed.json()["changes"]) == 2
    _assert_scrubbed(str(feed.json()))

    pin_today(dt.datetime(2025, 10, 10, 9, 0))
    record_withdraw(
        actor=admin_user,
        record=person,
        reason=f"复议撤销，已电话告知{PERSON_NAME}（{MOBILE}）",
    )
    cursor = feed.json()["next_cursor"]
    (removed,) = client.get("/api/v1/public/changes", {"since": cursor}).json()["changes"]
    assert removed["change"] == "removed"
    assert removed["reason_text"] == "复议撤销，已电话告知张**（139****1234）"
    page = client.get(reverse("portal:record_detail", args=["penalties", person.pk]))
    assert page.status_code == 410
    _assert_scrubbed(page.content.decode())
    assert "复议撤销，已电话告知张**（139****1234）" in page.content.decode()


def test_staff_see_the_clear_text_of_their_own_records(
    client_as, careless, clerk, admin_user, other_clerk
):
    person, company = careless
    for user in (clerk, admin_user):
        page = client_as(user).get(reverse("records:detail", args=[person.pk]))
        assert page.status_code == 200
        text = page.content.decode()
        assert f"身份证号{PERSON_ID.lower()}" in text and MOBILE in text and CARD in text
        assert PERSON_NAME in text
        page = client_as(user).get(reverse("records:detail", args=[company.pk]))
        assert WITNESS_ID in page.content.decode()
    for record in careless:
        page = client_as(other_clerk).get(reverse("records:detail", args=[record.pk]))
        assert page.status_code == 404
