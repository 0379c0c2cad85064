"""The free-text scrubber: a table of real-looking forms, personal or not.

Every number in the table is generated here with its check digit (resident
ID, USCC, 工商注册号, Luhn), so each row is what it claims to be.
"""

import pytest
from stdnum import luhn
from stdnum.iso7064 import mod_11_10

from xinyong.core.identifiers import resident_id_check_char, uscc_with_checks
from xinyong.core.scrub import scrub_text


def resident_id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def wrong_check(code: str) -> str:
    """The same code with a wrong last character."""
    return code[:-1] + ("1" if code[-1] != "1" else "2")


def card(first: str) -> str:
    return first + luhn.calc_check_digit(first)


def full_width(text: str) -> str:
    return text.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"} | {ord("X"): "Ｘ"})


ID = resident_id("42102119900307123")  # born 1990-03-07, Hubei
ID_X = next(
    code for n in range(100, 1000) if (code := resident_id(f"42900119851112{n:03d}")).endswith("X")
)
USCC = uscc_with_checks("9142902100000001")
# An all-digit USCC that also passes Luhn and looks nothing like an ID.
USCC_LUHN = next(
    code
    for n in range(10_000)
    if (code := uscc_with_checks(f"91429021{n:08d}")).isdigit() and luhn.is_valid(code)
)
# A USCC ending in a letter whose 17 digits would pass Luhn as a card number.
USCC_LETTER = next(
    code
    for n in range(10_000)
    if (code := uscc_with_checks(f"91429021{n:08d}"))[17].isalpha() and luhn.is_valid(code[:17])
)
REGISTRATION = (lambda first14: first14 + mod_11_10.calc_check_digit(first14))("42902100000012")
# A first-generation ID (15 digits: region, YYMMDD, sequence) that is not a 工商注册号.
OLD_ID = next(
    code for n in range(100, 1000) if not mod_11_10.is_valid(code := f"429021850307{n:03d}")
)
CARD_16 = card("622202123456789")
CARD_17 = card("6222021234567890")
CARD_18 = card("62220212345678901")
CARD_19 = card("621700123456789012")
ORDER_16 = wrong_check(CARD_16)  # an order number: fails Luhn
MOBILE = "13812345678"
# An 18-digit document number: neither an ID's check digit nor Luhn's.
DOC_18 = next(
    code
    for n in range(1000)
    if (code := f"420102202401{n:06d}")[17] != resident_id_check_char(code[:17])
    and not luhn.is_valid(code)
)

MASKED_ID = ID[:4] + "*" * 10 + ID[-4:]
MASKED_ID_X = ID_X[:4] + "*" * 10 + ID_X[-4:]
MASKED_MOBILE = "138****5678"

# (text, what must not remain, what must be shown instead or None)
SHOULD_MASK = [
    (f"当事人身份证号{ID}", ID, MASKED_ID),
    (f"身份证号：{ID}。", ID, MASKED_ID),
    (f"{ID[:6]} {ID[6:14]} {ID[14:]}", ID[6:14], MASKED_ID),
    (f"{ID[:6]}-{ID[6:14]}-{ID[14:]}", ID[6:14], MASKED_ID),
    (" ".join(ID[i : i + 4] for i in range(0, 18, 4)), ID[4:8], MASKED_ID),
    (full_width(ID), full_width(ID[4:14]), MASKED_ID),
    (f"证件号码{ID_X}", ID_X, MASKED_ID_X),
    (f"证件号码{ID_X.lower()}", ID_X[4:14], MASKED_ID_X),
    (f"证件号码{full_width(ID_X[:17])}ｘ", full_width(ID_X[4:14]), MASKED_ID_X),
    (f"身份证{ID}，手机{MOBILE}", ID, MASKED_ID),
    (f"旧身份证号{OLD_ID}", OLD_ID, None),
    (f"联系电话{MOBILE}", MOBILE, MASKED_MOBILE),
    (f"电话：{MOBILE}，地址", MOBILE, MASKED_MOBILE),
    ("手机 138 1234 5678", "1234 5678", MASKED_MOBILE),
    ("手机138-1234-5678", "1234-5678", MASKED_MOBILE),
    ("+86 138 1234 5678", "1234 5678", "+86 138****5678"),
    ("+8613812345678", "12345678", "+86 138****5678"),
    ("0086-13812345678", "12345678", "0086 138****5678"),
    (full_width(MOBILE), full_width("12345678"), MASKED_MOBILE),
    ("2024-01-15 13812345678 来电", "12345678", f"2024-01-15 {MASKED_MOBILE}"),
    ("手机19912345678", "19912345678", "199****5678"),
    (f"银行卡号{CARD_16}", CARD_16, CARD_16[:4] + "*" * 8 + CARD_16[-4:]),
    (f"账号{CARD_19}", CARD_19, CARD_19[:4] + "*" * 11 + CARD_19[-4:]),
    (
        "卡号 " + " ".join(CARD_19[i : i + 4] for i in range(0, 19, 4)),
        CARD_19[4:15],
        CARD_19[:4] + "*" * 11 + CARD_19[-4:],
    ),
    ("卡号" + "-".join(CARD_16[i : i + 4] for i in range(0, 16, 4)), CARD_16[4:12], None),
    # Glued to letters or other text (issue 12 item 2).
    ("TEL13812345678", "12345678", "TEL138****5678"),
    ("tel:13812345678", "12345678", "tel:138****5678"),
    ("电话:13812345678转", "12345678", "电话:138****5678转"),
    ("电话13812345678转8001", "12345678", "电话138****5678转8001"),
    ("Mobile13812345678ext8", "12345678", "Mobile138****5678ext8"),
    ("手机号码:+86-138-1234-5678", "1234-5678", "+86 138****5678"),
    ("+86 13812345678", "12345678", "+86 138****5678"),
    ("手机１３８１２３４５６７８", full_width("12345678"), MASKED_MOBILE),
    (f"ID{ID}", ID, f"ID{MASKED_ID}"),
    (f"身份证号{ID}号", ID, MASKED_ID),
    (f"{ID_X[:6]} {ID_X[6:14]} {ID_X[14:].lower()}", ID_X[6:14], MASKED_ID_X),
    (f"{ID_X[:6]}-{ID_X[6:14]}-{ID_X[14:].lower()}", ID_X[6:14], MASKED_ID_X),
    (full_width(f"{ID[:6]}-{ID[6:14]}-{ID[14:]}"), full_width(ID[6:14]), MASKED_ID),
    (f"卡号{CARD_17}", CARD_17, CARD_17[:4] + "*" * 9 + CARD_17[-4:]),
    (f"卡号{CARD_18}", CARD_18, CARD_18[:4] + "*" * 10 + CARD_18[-4:]),
    ("当事人李四明经营无证", "李四明", "李**经营无证"),
    ("李四明（身份证号见卷宗）于2024年", "李四明", "李**（"),
]

MUST_NOT_MASK = [
    f"统一社会信用代码{USCC}",
    f"统一社会信用代码：{USCC_LUHN}",
    f"注册号{REGISTRATION}",
    f"统一社会信用代码{USCC_LETTER}",
    f"许可证编号JY{CARD_16}",  # a licence number: digits after letters
    "神市监罚〔2024〕12号",
    "神市监罚字〔2025〕第00123号",
    "处罚决定日期2024-01-15",
    "2024年1月15日至2025年1月14日",
    "20240115",
    "罚款人民币15000000000.50元",
    "罚款 12,345.67 元",
    "没收违法所得3.5万元",
    f"订单号{ORDER_16}",
    f"身份证号{wrong_check(ID)}",  # a wrong check digit: not an ID
    "许可证编号JY14290210012345",
    "1920X1080分辨率",
    "固定电话0719-3332211",
    "食品经营许可证有效期5年",
    "违法行为发生在2024-01-15 10:30:00",
    "李四明经营",  # a name is masked only when it is given
    f"行政处罚决定书文号{DOC_18}",  # 18 digits, no ID check digit, not Luhn
    f"文书号：神市监罚〔2024〕{DOC_18}号",
    "罚款金额13812345678.50元",  # an amount, not a mobile
    "罚款 138,123,456.78 元",
    "2024年01月15日至2027年01月14日",
    "2024/01/15-2025/01/14",
    "20240115-20250114",
    f"统一社会信用代码{USCC_LETTER}号",
    "许可证编号JY24290210012345678",  # a licence code with 17 digits after letters
    "",
]


@pytest.mark.parametrize(("text", "secret", "shown"), SHOULD_MASK)
def test_personal_data_is_masked(text, secret, shown):
    out = scrub_text(text, person_names=["李四明"])
    assert secret not in out
    if shown is not None:
        assert shown in out


@pytest.mark.parametrize("text", MUST_NOT_MASK)
def test_what_is_not_personal_is_left_alone(text):
    assert scrub_text(text) == text


def test_the_table_is_large_enough():
    assert len(SHOULD_MASK) + len(MUST_NOT_MASK) >= 30
    assert luhn.is_valid(CARD_16) and not luhn.is_valid(ORDER_16)
    assert USCC_LUHN.isdigit() and len(USCC_LUHN) == 18


def test_an_old_id_is_masked_as_an_id():
    assert scrub_text(OLD_ID) == OLD_ID[:4] + "*" * 7 + OLD_ID[-4:]


def test_several_numbers_and_names_in_one_text():
    text = (
        f"经查，当事人王小明（身份证号{ID}，电话{MOBILE}）与王小明之妻于2024-01-15收款至{CARD_16}。"
    )
    out = scrub_text(text, person_names=["王小明", "王"])
    for secret in (ID, MOBILE, CARD_16, "王小明"):
        assert secret not in out
    assert out.count("王**") == 2 and "2024-01-15" in out


def test_a_single_character_name_is_not_masked_everywhere():
    assert scrub_text("王家河村", person_names=["王"]) == "王家河村"
