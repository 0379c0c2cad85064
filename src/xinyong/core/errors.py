"""The one error type that services raise.

Views, the API and commands turn it into a Chinese message; the API shapes
it as `{"code", "message", "details"}`.
"""


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
