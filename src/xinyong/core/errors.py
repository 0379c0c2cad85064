"""The one error type that services raise.

Views, the API and commands turn it into a Chinese message; the API shapes
it as `{"code", "message", "details"}`.
"""

from django.utils.translation import gettext as _


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
