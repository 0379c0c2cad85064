"""Masking of personal data for public pages and logs.

Rules (shared by every public path): a resident ID keeps its first 4 and
last 4 characters; a mobile number its first 3 and last 4; a natural
person's name keeps its first character (the surname, in most cases); a
bank card number its first 4 and last 4 digits. `core.scrub` finds these
inside free text and masks them with the same functions.
"""

MASK = "*"


def mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    value = value or ""
    if len(value) <= keep_start + keep_end:
        return MASK * len(value)
    return value[:keep_start] + MASK * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_id_number(value: str) -> str:
    """`11010519491231002X` → `1101**********002X`."""
    value = (value or "").strip()
    if len(value) <= 8:
        return MASK * len(value)
    return mask_middle(value, 4, 4)


def mask_phone(value: str) -> str:
    """`13812345678` → `138****5678`; a landline keeps only its last 4 digits."""
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        return mask_middle(digits, 3, 4)
    return mask_middle(digits, 0, 4)


def mask_person_name(value: str) -> str:
    """`张三` → `张*`, `欧阳娜娜` → `欧***`."""
    value = (value or "").strip()
    if not value:
        return ""
    return value[0] + MASK * max(len(value) - 1, 1)


def mask_bank_card(value: str) -> str:
    """`6222021234567890123` → `6222***********0123`: first 4 and last 4 digits."""
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    return mask_middle(digits, 4, 4)
