"""Schemas the API's routers share."""

from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator

from xinyong.core.text import hidden_character


def _plain(text: str) -> str:
    problem = hidden_character(text)
    if problem is not None:
        raise ValueError(problem)
    return text


# A text field of an API body: refuses NUL, control, lone-surrogate, bidirectional and
# zero-width characters with the Chinese reason (`core.text`), as an import's values do.
PlainText = Annotated[str, AfterValidator(_plain)]


class ErrorOut(Schema):
    """The API's one error shape (see `xinyong.api`)."""

    code: str
    message: str
    details: Any = None
