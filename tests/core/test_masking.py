from xinyong.core.masking import mask_id_number, mask_person_name, mask_phone


def test_id_number_keeps_first_and_last_four():
    assert mask_id_number("11010519491231002X") == "1101**********002X"


def test_short_id_fully_masked():
    assert mask_id_number("1234567") == "*******"


def test_phone():
    assert mask_phone("138 1234 5678") == "138****5678"
    assert mask_phone("0719-3332211") == "*******2211"


def test_person_name():
    assert mask_person_name("张三") == "张*"
    assert mask_person_name("欧阳娜娜") == "欧***"
    assert mask_person_name("王") == "王*"
    assert mask_person_name("") == ""
