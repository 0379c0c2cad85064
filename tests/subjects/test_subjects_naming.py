"""The matching form of names, and the ID digest."""

import pytest
from django.test import override_settings

from xinyong.subjects.hashing import id_digest
from xinyong.subjects.naming import name_key, name_variants_match


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("ＡＢＣ科技有限公司", "ABC科技有限公司"),  # full-width letters
        ("神农架林区１２３号商店", "神农架林区123号商店"),  # full-width digits
        ("abc科技有限公司", "ABC科技有限公司"),  # Latin letters in one case
        ("某某（神农架）旅游有限公司", "某某(神农架)旅游有限公司"),
        ("某某【神农架】旅游有限公司", "某某(神农架)旅游有限公司"),
        ("某某[神农架]旅游有限公司", "某某(神农架)旅游有限公司"),
        ("某某［神农架］旅游有限公司", "某某(神农架)旅游有限公司"),
        ("  某某 旅游\u3000有限公司\t\n", "某某旅游有限公司"),  # every kind of space
        ("某某\u200b旅游有限公司", "某某旅游有限公司"),  # zero-width space from spreadsheets
        ("“某某旅游有限公司。”", "某某旅游有限公司"),  # punctuation at the ends
        ("-某某旅游有限公司,", "某某旅游有限公司"),
        (
            "某某旅游有限公司（木鱼分公司）",
            "某某旅游有限公司(木鱼分公司)",
        ),  # a closing bracket stays
        ("某某·旅游有限公司", "某某·旅游有限公司"),  # inner punctuation stays
        ("", ""),
        ("。，", ""),
    ],
)
def test_name_key(raw, key):
    assert name_key(raw) == key


def test_limited_liability_and_limited_are_distinct_keys_but_variants():
    long_form, short_form = "神农架某某旅游开发有限责任公司", "神农架某某旅游开发有限公司"
    assert name_key(long_form) != name_key(short_form)
    assert name_variants_match(long_form, short_form)
    assert name_variants_match("神农架某某（有限责任公司）", "神农架某某(有限公司)")


def test_joint_stock_is_not_a_variant():
    assert not name_variants_match("神农架某某股份有限公司", "神农架某某有限公司")
    assert not name_variants_match("神农架某某股份有限公司", "神农架某某有限责任公司")


def test_different_names_do_not_match():
    assert not name_variants_match("神农架甲有限公司", "神农架乙有限公司")


def test_id_digest_is_keyed_hex_and_never_the_number():
    digest = id_digest("11010519491231002X")
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert "11010519491231002" not in digest
    assert id_digest("11010519491231002x") == digest  # lower-case check character
    assert id_digest(" 11010519491231002X ") == digest
    assert id_digest("110105194912310037") != digest


def test_id_digest_depends_on_the_deployment_secret():
    digest = id_digest("11010519491231002X")
    with override_settings(SECRET_KEY="another-deployment-secret-0123456789-abcdefghijkl"):
        assert id_digest("11010519491231002X") != digest
    assert id_digest("11010519491231002X") == digest
