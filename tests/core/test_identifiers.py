"""Identifier rules: normalisation, USCC (GB 32100), resident ID (GB 11643),
工商注册号, 组织机构代码 and the detection of the kind."""

import dataclasses

import pytest

from xinyong.core.identifiers import (
    CATEGORIES,
    DEPARTMENTS,
    USCC_ALPHABET,
    CodeCheck,
    check_code,
    check_organization_code,
    check_registration_number,
    check_resident_id,
    check_uscc,
    normalize_code,
    organization_check_char,
    organization_code_with_check,
    region_name,
    registration_number_with_check,
    resident_id_with_check,
    uscc_check_char,
    uscc_with_checks,
)

DOMAIN_EXAMPLES = [
    "91110000600037341L",
    "91350200776049653A",
    "9135021359498494XQ",
    "91440101MA5CJQ4N59",
    "123502001549897397",
]


# -- normalisation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91110000600037341L", "91110000600037341L"),
        ("  91110000600037341L\t\n", "91110000600037341L"),
        ("\u300091110000600037341L\u3000", "91110000600037341L"),  # full-width space
        ("9111 0000 6000 3734 1L", "91110000600037341L"),
        ("\xa091110000600037341L\xa0", "91110000600037341L"),  # no-break space
        ("\ufeff9111\u200b0000600037341L\u200d", "91110000600037341L"),  # zero-width
        ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),  # full-width
        ("91110000600037341l", "91110000600037341L"),
        ("９１１１００００６０００３７３４１ｌ", "91110000600037341L"),  # full-width lower
        ("11010519491231002x", "11010519491231002X"),
        ("12345678-9", "123456789"),
        ("12345678－9", "123456789"),  # full-width hyphen
        ("12345678 - 9", "123456789"),
        ("", ""),
    ],
)
def test_normalize_code(raw, expected):
    assert normalize_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9111000060003734IL", "9111000060003734IL"),  # I is not turned into 1
        ("91110000600O37341L", "91110000600O37341L"),  # O is not turned into 0
        ("9111000060003734ıL", "9111000060003734ıL"),  # dotless i is not upper-cased to I
        ("9111-0000-6000-3734-1L", "9111-0000-6000-3734-1L"),  # only the org-code hyphen goes
        ("1234-56789", "1234-56789"),
        ("①②", "①②"),
    ],
)
def test_normalize_code_never_repairs(raw, expected):
    assert normalize_code(raw) == expected


def test_normalize_code_tolerates_none_and_numbers():
    assert normalize_code(None) == ""
    assert normalize_code(123456789) == "123456789"


# -- USCC: valid codes ---------------------------------------------------------------


@pytest.mark.parametrize("code", DOMAIN_EXAMPLES)
def test_uscc_domain_examples_pass(code):
    result = check_uscc(code)
    assert result == CodeCheck(
        raw=code, normalized=code, kind="uscc", valid=True, errors=[], parts=result.parts
    )
    assert set(result.parts) == {"department", "category", "region", "organization_code"}
    assert result.parts["organization_code"] == code[8:17]


def test_uscc_parts_are_decoded():
    assert check_uscc("91110000600037341L").parts == {
        "department": {"code": "9", "name": "工商/市场监管"},
        "category": {"code": "1", "name": "企业"},
        "region": {"code": "110000", "name": "北京市"},
        "organization_code": "600037341",
    }
    parts = check_uscc("123502001549897397").parts
    assert parts["department"] == {"code": "1", "name": "机构编制"}
    assert parts["category"] == {"code": "2", "name": "事业单位"}
    assert parts["region"] == {"code": "350200", "name": "福建省厦门市"}
    assert check_uscc("9135021359498494XQ").parts["region"]["name"] == "福建省厦门市翔安区"


@pytest.mark.parametrize(
    ("first16", "department", "category"),
    [
        ("N1429021" + "12345678", "农业", "组级集体经济组织"),
        ("N2429021" + "12345678", "农业", "村级集体经济组织"),
        ("N3429021" + "ABCDEFGH", "农业", "乡镇级集体经济组织"),
        ("N9429021" + "00000001", "农业", "其他"),
        ("Y1429021" + "87654321", "其他", "其他"),
        ("A1100000" + "MA5CJQ4N", "中央军委改革和编制办公室", "军队事业单位"),
        ("A9110000" + "12345678", "中央军委改革和编制办公室", "其他"),
    ],
)
def test_uscc_with_letter_departments_pass(first16, department, category):
    code = uscc_with_checks(first16)
    result = check_uscc(code)
    assert result.valid, result.errors
    assert result.parts["department"]["name"] == department
    assert result.parts["category"]["name"] == category


def test_every_department_and_category_of_gb32100_is_accepted():
    for department, categories in CATEGORIES.items():
        for category, name in categories.items():
            code = uscc_with_checks(f"{department}{category}429021" + "1234567A")
            result = check_uscc(code)
            assert result.valid, (code, result.errors)
            assert result.parts["department"]["name"] == DEPARTMENTS[department]
            assert result.parts["category"]["name"] == name
    assert set(DEPARTMENTS) == set("123456789ANY")


def test_uscc_with_checks_reproduces_the_examples():
    for code in DOMAIN_EXAMPLES:
        assert uscc_with_checks(code[:16]) == code
    with pytest.raises(ValueError):
        uscc_with_checks("911100006000373")  # 15 characters
    with pytest.raises(ValueError):
        uscc_with_checks("911100006000373O")  # O is not in the alphabet


def test_check_char_helpers():
    assert uscc_check_char("91110000600037341") == "L"
    assert organization_check_char("60003734") == "1"
    assert organization_check_char("59498494") == "X"
    assert organization_check_char("MA5CJQ4N") == "5"


@pytest.mark.parametrize(
    ("region", "name"),
    [
        ("100000", "全国"),
        ("110000", "北京市"),
        ("350200", "福建省厦门市"),
        ("110105", "北京市朝阳区"),
        ("429021", "湖北省神农架林区"),
        ("420000", "湖北省"),
        ("810000", "香港特别行政区"),
        ("110103", "北京市崇文区"),  # abolished 2010, still in old data
    ],
)
def test_uscc_region_codes_known(region, name):
    assert region_name(region) == name
    result = check_uscc(uscc_with_checks(f"91{region}" + "12345678"))
    assert result.valid, result.errors
    assert result.parts["region"] == {"code": region, "name": name}


@pytest.mark.parametrize(
    ("region", "name"),
    [
        ("440101", "广东省广州市"),  # 广州市's 市辖区: the placeholder is not a place
        ("440100", "广东省广州市"),
        ("440106", "广东省广州市天河区"),
        ("110100", "北京市"),  # 直辖市: 市辖区 placeholder
        ("110101", "北京市东城区"),  # a 直辖市 district
        ("500200", "重庆市"),  # 直辖市: 县 placeholder
        ("500230", "重庆市丰都县"),
        ("500101", "重庆市万州区"),  # renamed 1998: the current name only
        ("429000", "湖北省"),  # 省直辖县级行政单位
        ("429021", "湖北省神农架林区"),
        ("469001", "海南省五指山市"),
    ],
)
def test_region_names_leave_out_placeholders(region, name):
    shown = region_name(region)
    assert shown == name
    assert "市辖区" not in shown and "直辖" not in shown and not shown.endswith("市县")


def test_region_name_unknown():
    assert region_name("999999") is None
    assert region_name("110199") is None
    assert region_name("11010") is None
    assert region_name("１１０１０５") is None


# -- USCC: every error ---------------------------------------------------------------


def test_uscc_wrong_check_character():
    result = check_uscc("91110000600037341X")
    assert not result.valid
    assert result.kind == "uscc"
    assert result.errors == ["第18位校验码应为“L”，实为“X”"]
    # what could be decoded is still there
    assert result.parts["department"]["name"] == "工商/市场监管"


def test_uscc_wrong_organization_code_check():
    # 600037351 has check X, not 1; position 18 recomputed so that only 17 is wrong.
    code = "9111000060003735" + "5"
    code += uscc_check_char(code)
    result = check_uscc(code)
    assert result.errors == ["第17位（组织机构代码校验位）应为“X”，实为“5”"]


def test_uscc_both_checks_wrong_reports_both():
    result = check_uscc("91110000600037351L")
    assert result.errors == [
        "第17位（组织机构代码校验位）应为“X”，实为“1”",
        "第18位校验码应为“M”，实为“L”",
    ]


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_uscc_excluded_letters_are_named_with_their_position(letter):
    code = "9111" + letter + "000600037341L"
    result = check_uscc(code)
    assert not result.valid
    assert result.errors[0] == f"第5位字符“{letter}”不是统一社会信用代码允许的字符"
    # the region holds the foreign character: no second message about it
    assert not any("行政区划" in e for e in result.errors)


def test_uscc_excluded_letter_in_body_and_check():
    result = check_uscc("91110000600O37341O")
    assert result.errors == [
        "第12位字符“O”不是统一社会信用代码允许的字符",
        "第18位字符“O”不是统一社会信用代码允许的字符",
    ]


def test_uscc_foreign_check_character_also_says_what_it_should_be():
    result = check_uscc("91110000600037341O")
    assert result.errors == [
        "第18位字符“O”不是统一社会信用代码允许的字符",
        "第18位校验码应为“L”，实为“O”",
    ]


def test_uscc_bad_department():
    code = uscc_with_checks("B1110000" + "60003734")
    assert check_uscc(code).errors == ["第1位登记管理部门代码“B”无效"]
    code = uscc_with_checks("01110000" + "60003734")
    assert check_uscc(code).errors == ["第1位登记管理部门代码“0”无效"]


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("94", "第2位机构类别代码“4”不适用于登记管理部门“工商/市场监管”（应为1、2、3）"),
        ("99", "第2位机构类别代码“9”不适用于登记管理部门“工商/市场监管”（应为1、2、3）"),
        ("54", "第2位机构类别代码“4”不适用于登记管理部门“民政”（应为1、2、3、9）"),
        ("Y2", "第2位机构类别代码“2”不适用于登记管理部门“其他”（应为1）"),
        ("N4", "第2位机构类别代码“4”不适用于登记管理部门“农业”（应为1、2、3、9）"),
        ("13", None),  # 中央编办直接管理机构编制的群众团体: valid
    ],
)
def test_uscc_category_per_department(prefix, message):
    result = check_uscc(uscc_with_checks(prefix + "110000" + "60003734"))
    assert result.errors == ([message] if message else [])


def test_uscc_unknown_region():
    code = uscc_with_checks("91999999" + "60003734")
    result = check_uscc(code)
    assert result.errors == ["第3–8位登记管理机关行政区划码“999999”不是已知的行政区划代码"]
    assert "region" not in result.parts


def test_uscc_region_with_letters():
    code = uscc_with_checks("9111000A" + "60003734")
    assert check_uscc(code).errors == ["第3–8位登记管理机关行政区划码“11000A”应为6位数字"]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91110000600037341", "长度应为18位，实为17位"),
        ("91110000600037341LL", "长度应为18位，实为19位"),
        ("9", "长度应为18位，实为1位"),
    ],
)
def test_uscc_wrong_length(code, message):
    assert check_uscc(code).errors == [message]


def test_uscc_wrong_length_still_names_foreign_characters():
    assert check_uscc("9111000060003734O").errors == [
        "长度应为18位，实为17位",
        "第17位字符“O”不是统一社会信用代码允许的字符",
    ]


def test_uscc_empty():
    assert check_uscc("  ").errors == ["代码为空"]


def test_uscc_reports_all_errors_at_once():
    result = check_uscc("B4999999600037351X")
    assert result.errors == [
        "第1位登记管理部门代码“B”无效",
        "第3–8位登记管理机关行政区划码“999999”不是已知的行政区划代码",
        "第17位（组织机构代码校验位）应为“X”，实为“1”",
        "第18位校验码应为“C”，实为“X”",
    ]


@pytest.mark.parametrize(
    "raw",
    [
        " 91110000600037341L ",
        "\u300091110000600037341l\u3000",
        "９１１１００００６０００３７３４１Ｌ",
        "9111 0000 6000 3734 1L",
    ],
)
def test_uscc_messy_input_normalised_and_accepted(raw):
    result = check_uscc(raw)
    assert result.valid
    assert result.raw == raw
    assert result.normalized == "91110000600037341L"


def test_code_check_is_frozen():
    result = check_uscc("91110000600037341L")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.valid = False


def test_uscc_alphabet():
    assert len(USCC_ALPHABET) == 31
    assert not set("IOZSV") & set(USCC_ALPHABET)


# -- resident ID ---------------------------------------------------------------------


def test_resident_id_valid():
    result = check_resident_id("11010519491231002X")
    assert result.valid
    assert result.kind == "resident_id"
    assert result.parts == {
        "region": {"code": "110105", "name": "北京市朝阳区"},
        "birth_date": "1949-12-31",
        "sex": {"code": "F", "name": "女"},
    }


def test_resident_id_lower_case_x_and_spaces():
    result = check_resident_id(" 110105 19491231 002x ")
    assert result.valid
    assert result.normalized == "11010519491231002X"


def test_resident_id_male():
    code = resident_id_with_check("42902119800101001")
    result = check_resident_id(code)
    assert result.valid
    assert result.parts["sex"] == {"code": "M", "name": "男"}
    assert result.parts["region"]["name"] == "湖北省神农架林区"


def test_resident_id_bad_check():
    assert check_resident_id("110105194912310021").errors == ["第18位校验码应为“X”，实为“1”"]


def test_resident_id_impossible_date():
    code = resident_id_with_check("11010519490230002")
    result = check_resident_id(code)
    assert result.errors == ["第7–14位出生日期“19490230”不是有效日期"]
    assert "birth_date" not in result.parts


def test_resident_id_future_date(pin_today):
    pin_today("2025-09-30")
    tomorrow = resident_id_with_check("11010520251001002")
    assert check_resident_id(tomorrow).errors == ["出生日期2025-10-01晚于今天"]
    today = resident_id_with_check("11010520250930002")
    assert check_resident_id(today).valid


def test_resident_id_before_1900():
    code = resident_id_with_check("11010518991231002")
    assert check_resident_id(code).errors == ["出生日期1899-12-31早于1900年"]


def test_resident_id_unknown_region():
    code = resident_id_with_check("99999919491231002")
    assert check_resident_id(code).errors == ["第1–6位地址码“999999”不是已知的行政区划代码"]
    national = resident_id_with_check("10000019491231002")
    assert check_resident_id(national).errors == ["第1–6位地址码“100000”不是已知的行政区划代码"]


def test_residence_permit_of_taiwan_residents():
    code = resident_id_with_check("83000019800101002")
    result = check_resident_id(code)
    assert result.valid
    assert result.parts["region"]["name"] == "台湾地区"


def test_resident_id_separate_reasons_for_each_rule():
    result = check_resident_id("999999194902300021")
    assert result.errors == [
        "第1–6位地址码“999999”不是已知的行政区划代码",
        "第7–14位出生日期“19490230”不是有效日期",
        "第18位校验码应为“6”，实为“1”",
    ]


def test_resident_id_characters_and_length():
    assert check_resident_id("1101051949123100AX").errors == ["第17位字符“A”应为数字"]
    assert check_resident_id("11010519491231002Y").errors == [
        "第18位字符“Y”应为数字或X",
        "第18位校验码应为“X”，实为“Y”",
    ]
    assert check_resident_id("1101051949123100").errors == ["长度应为18位，实为16位"]
    assert check_resident_id("110105491231002").errors == [
        "长度应为18位，实为15位（15位的第一代身份证号码已于2013年1月1日停止使用）"
    ]
    assert check_resident_id("").errors == ["代码为空"]


# -- 工商注册号 ------------------------------------------------------------------------


def test_registration_number_valid():
    code = registration_number_with_check("42902100000012")
    result = check_registration_number(code)
    assert result.valid
    assert result.kind == "registration_number"
    assert result.parts == {"region": {"code": "429021", "name": "湖北省神农架林区"}}
    assert check_registration_number("110000000000017").valid
    national = registration_number_with_check("10000000000001")
    assert check_registration_number(national).parts["region"]["name"] == "全国"


def test_registration_number_errors():
    assert check_registration_number("110000000000011").errors == ["第15位校验码应为“7”，实为“1”"]
    unknown = registration_number_with_check("99999900000012")
    assert check_registration_number(unknown).errors == [
        "第1–6位登记机关行政区划码“999999”不是已知的行政区划代码"
    ]
    assert check_registration_number("11000000000001A").errors == ["第15位字符“A”应为数字"]
    assert check_registration_number("11000000000001").errors == ["长度应为15位，实为14位"]


# -- 组织机构代码 ----------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["60003734-1", "600037341", "60003734－1", "ma5cjq4n-5"])
def test_organization_code_valid_with_and_without_hyphen(raw):
    result = check_organization_code(raw)
    assert result.valid, result.errors
    assert result.kind == "organization_code"
    assert "-" not in result.normalized


def test_organization_code_check_x():
    assert check_organization_code("59498494-X").valid
    assert organization_code_with_check("59498494") == "59498494X"


@pytest.mark.parametrize(
    ("raw", "errors"),
    [
        ("60003734-2", ["第9位校验码应为“1”，实为“2”"]),
        ("600037342", ["第9位校验码应为“1”，实为“2”"]),
        ("60003734-A", ["第9位校验码“A”应为数字或X", "第9位校验码应为“1”，实为“A”"]),
        ("6000373-41", ["连字符位置有误：组织机构代码应写作XXXXXXXX-X"]),
        ("600-037341", ["连字符位置有误：组织机构代码应写作XXXXXXXX-X"]),
        (
            "6000-3734-1",
            [
                "长度应为9位（可写作XXXXXXXX-X），实为11位",
                "第5位字符“-”不是组织机构代码允许的字符",
                "第10位字符“-”不是组织机构代码允许的字符",
            ],
        ),
        ("6000373", ["长度应为9位（可写作XXXXXXXX-X），实为7位"]),
        ("6000#734-1", ["第5位字符“#”不是组织机构代码允许的字符"]),
    ],
)
def test_organization_code_errors(raw, errors):
    assert check_organization_code(raw).errors == errors


# -- detection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind", "valid"),
    [
        *((code, "uscc", True) for code in DOMAIN_EXAMPLES),
        ("91110000600037341X", "uscc", False),
        ("11010519491231002X", "resident_id", True),
        ("110105194912310021", "resident_id", False),  # mistyped ID stays an ID
        ("110000000000017", "registration_number", True),
        ("110000000000011", "registration_number", False),
        ("60003734-1", "organization_code", True),
        ("600037342", "organization_code", False),
        ("ABC", "unknown", False),
        ("", "unknown", False),
    ],
)
def test_check_code_detects_the_kind(raw, kind, valid):
    result = check_code(raw)
    assert (result.kind, result.valid) == (kind, valid)
    assert result.raw == raw


def test_check_code_all_digit_uscc_is_not_taken_for_an_id():
    # 123502001549897397 is all digits; positions 7–14 are no birth date.
    assert check_code("123502001549897397").kind == "uscc"


def test_check_code_unknown_length():
    assert check_code("9111000060003734").errors == [
        "无法识别的代码：长度为16位（统一社会信用代码和居民身份证号码为18位，"
        "工商注册号为15位，组织机构代码为9位）"
    ]
    assert check_code("   ").errors == ["代码为空"]


def test_check_code_keeps_raw_and_normalises():
    result = check_code("\u3000１１０１０５１９４９１２３１００２ｘ")
    assert result.kind == "resident_id"
    assert result.valid
    assert result.normalized == "11010519491231002X"
