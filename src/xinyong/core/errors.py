"""The one error type that services raise.

Views, the API and commands turn it into a Chinese message; the API shapes
it as `{"code", "message", "details"}`.
"""

import re

from django.utils.translation import gettext as _

from xinyong.core.text import hidden_character


class ApplicationError(Exception):
    """A rule was broken; `message` is Chinese text for the user."""

    status = 400
    # Headers of the answer (a 429's Retry-After), on pages and in the API alike.
    headers: dict[str, str] = {}

    def __init__(
        self, code: str, message: str, details: object = None, *, status: int | None = None
    ):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.details = details if details is not None else {}
        if status is not None:
            self.status = status


class PermissionDeniedError(ApplicationError):
    status = 403


class NotFoundError(ApplicationError):
    status = 404


def required_text(value: str, *, field: str, label: str) -> str:
    """The value stripped, or a `<field>_required` error that names the field in Chinese."""
    value = (value or "").strip()
    if not value:
        raise ApplicationError(
            f"{field}_required", _("%(label)s：请填写") % {"label": label}, {field: "required"}
        )
    return value


def plain_text(value: str, *, field: str, label: str) -> str:
    """The value, unless it carries a character no one types and no stored text needs
    (NUL, a control, zero-width or direction mark: `core.text.hidden_character`); then an
    `invalid_character` error that names the field and the character in Chinese."""
    problem = hidden_character(value)
    if problem is not None:
        raise ApplicationError(
            "invalid_character",
            _("%(label)s：%(p)s") % {"label": label, "p": problem},
            {field: "invalid"},
        )
    return value


# A telephone number as people write it: 0719-3331234, 13800000000, +86 138 0000 0000,
# (0719)3331234; full-width parentheses too. At least five digits, at most 30 characters.
PHONE_PATTERN = re.compile(r"[0-9+\-()（） ]{5,30}")


def required_phone(value: str, *, field: str, label: str) -> str:
    """`required_text`, and the shape of a telephone number: digits, spaces, +, - and
    parentheses only (no letters, no formula such as `=1+1`), at least five digits."""
    value = required_text(value, field=field, label=label)
    if not PHONE_PATTERN.fullmatch(value) or sum(ch.isdigit() for ch in value) < 5:
        raise ApplicationError(
            f"{field}_invalid",
            _(
                "%(label)s：应为电话号码（数字，可含空格、+、- 和括号），如 0719-3331234 或 13800000000"
            )
            % {"label": label},
            {field: "invalid"},
        )
    return value
