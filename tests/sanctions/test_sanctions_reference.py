"""The shipped reference data: domains, memoranda with their numbers, measures' shape."""

import pytest

from xinyong.core.errors import ApplicationError
from xinyong.lists.models import ListType
from xinyong.sanctions.models import ActionDomain, Measure, Memorandum
from xinyong.sanctions.reference import domain_get

pytestmark = pytest.mark.django_db


def test_domains_ship_as_data():
    codes = set(ActionDomain.objects.values_list("code", flat=True))
    assert codes >= {"XZXK", "XZCF", "ZFCG", "ZBTB", "CZZJ", "TDCR", "RYLY", "PYBZ", "RZXD", "RCJG"}
    assert ActionDomain.objects.get(code="ZFCG").feedback_workdays == 5


def test_memoranda_ship_with_numbers_sources_and_list_codes():
    memos = {m.document_number: m for m in Memorandum.objects.all()}
    assert set(memos) >= {
        "发改财金〔2016〕141号",
        "发改财金〔2016〕2798号",
        "发改财金〔2016〕1467号",
        "发改财金〔2017〕2058号",
    }
    list_codes = set(ListType.objects.values_list("code", flat=True))
    for memo in memos.values():
        assert memo.source_note
        assert memo.list_code_set <= list_codes  # linked to shipped list types by code
        assert memo.measures.exists()
    assert memos["发改财金〔2016〕1467号"].kind == Memorandum.Kind.REWARD


def test_measures_have_the_national_list_shape():
    for m in Measure.objects.all():
        assert m.content and m.targets and m.legal_basis and m.implementing_body
        assert m.force in Measure.Force.values
    rewards = Measure.objects.filter(is_reward=True).values_list("content", flat=True)
    text = "".join(rewards)
    assert "绿色通道" in text and "容缺受理" in text and "减少检查" in text


def test_unknown_domain_lists_the_valid_ones():
    with pytest.raises(ApplicationError) as exc:
        domain_get("XYZ")
    assert exc.value.code == "unknown_domain"
    assert "XZXK（行政许可）" in exc.value.message
    assert {"code": "ZFCG", "name": "政府采购"} in exc.value.details["valid"]
