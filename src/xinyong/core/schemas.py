"""Schemas the API's routers share."""

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """The API's one error shape (see `xinyong.api`)."""

    code: str
    message: str
    details: Any = None
