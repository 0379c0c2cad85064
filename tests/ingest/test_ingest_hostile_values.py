"""Values no clerk types are refused, by the API and by uploads alike, row and field named
(issue 12, item 7): NUL, lone surrogates, bidirectional and zero-width characters, and
amounts out of range."""

import json

import pytest
from django.test import Client

from support.ingest_files import penalty_row, write_csv
from xinyong.ingest.models import RejectedRow
from xinyong.ingest.services import batch_submit_file
from xinyong.orgs import services as org_services
from xinyong.records.models import Record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_day")]

NAME = "行政相对人名称"
AMOUNT = "罚款金额（万元）"


@pytest.fixture
def push(admin_user, department, xzcf):
    _token, secret = org_services.api_token_create(
        actor=admin_user, department=department, name="处罚系统"
    )
    client = Client(raise_request_exception=False)

    def send(rows: list[dict] | str):
        body = rows if isinstance(rows, str) else json.dumps(rows, ensure_ascii=False)
        response = client.post(
            "/api/v1/items/XZCF/records",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        assert response.status_code == 200, response.content[:500]
        return response.json()

    return send


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("神农架\u0000林海商贸有限公司", "U+0000"),
        ("神农架\u202e司公限有贸商海林", "U+202E"),
        ("神农架\u2066林海商贸有限公司\u2069", "U+2066"),
        ("神农架林\u200b海商贸有限公司", "U+200B"),
        ("神农架林海\u200d商贸有限公司", "U+200D"),
        ("神农架\u0007林海商贸有限公司", "U+0007"),
    ],
)
def test_an_api_name_with_a_hidden_character_is_rejected_row_and_field_named(push, value, reason):
    result = push([penalty_row(1), penalty_row(2, **{NAME: value})])
    assert (result["received"], result["accepted"], result["rejected"]) == (2, 1, 1)
    (error,) = result["errors"]
    assert error["row"] == 2  # the entry's number in the array
    assert error["field"] == NAME
    assert reason in error["message"]
    assert Record.objects.count() == 1


def test_a_nul_inside_a_value_is_not_stored_cut_short(push):
    result = push([penalty_row(1, **{NAME: "神农架\u0000林海商贸有限公司"})])
    assert result["rejected"] == 1
    assert Record.objects.count() == 0
    (rejected,) = RejectedRow.objects.all()
    # Kept whole, the NUL shown as its escape (neither UTF-8 JSON nor PostgreSQL holds it).
    assert rejected.clear_values()[NAME] == "神农架\\u0000林海商贸有限公司"


def test_a_lone_surrogate_in_api_json_rejects_its_row(push):
    body = json.dumps([penalty_row(1)], ensure_ascii=False)
    body = body.replace("神农架林海1商贸有限公司", "神农架\\ud800公司")
    result = push(body)
    assert (result["received"], result["rejected"]) == (1, 1)
    assert result["errors"][0]["field"] == NAME
    assert "U+D800" in result["errors"][0]["message"]


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("1e400", "超出范围"),
        (1e400, "超出范围"),
        ("99999999999", "超出范围"),
        ("1e-400", "小数位数"),
    ],
)
def test_an_amount_out_of_range_is_rejected(push, amount, reason):
    body = json.dumps([penalty_row(1, **{AMOUNT: amount})], ensure_ascii=False)
    result = push(body.replace("Infinity", "1e400"))
    assert result["rejected"] == 1, result
    assert result["errors"][0]["field"] == AMOUNT
    assert reason in result["errors"][0]["message"]


def test_uploads_pass_the_same_check(tmp_path, department, xzcf):
    rows = [
        penalty_row(1),
        penalty_row(2, **{NAME: "神农架林\u200b海商贸有限公司"}),
        penalty_row(3, **{AMOUNT: "1e400"}),
    ]
    batch = batch_submit_file(
        department=department, item=xzcf, path=write_csv(tmp_path / "p.csv", rows)
    )
    assert (batch.received, batch.accepted, batch.rejected) == (3, 1, 2)
    errors = {r.row_number: r.clear_errors()[0] for r in batch.rejected_rows.all()}
    assert errors[3]["field"] == NAME and "U+200B" in errors[3]["message"]
    assert errors[4]["field"] == AMOUNT and "超出范围" in errors[4]["message"]


def test_ordinary_text_with_line_breaks_and_full_width_spaces_passes(push):
    row = penalty_row(
        1, **{"违法事实": "经查：\n一、当事人销售过期食品；\t\n二、\u3000未建立台账。"}
    )
    assert push([row])["accepted"] == 1
