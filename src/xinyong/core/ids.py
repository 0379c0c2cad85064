"""Row ids in URLs and parameters, bounded to what the database stores.

Every table's key is a `BigAutoField` (settings.DEFAULT_AUTO_FIELD): a signed 64-bit
integer on SQLite and PostgreSQL. A larger number in a URL is no row at all; handed to
the database it raised OverflowError (SQLite) or DataError (PostgreSQL), a 500.
"""

MAX_ID = 2**63 - 1


class IdConverter:
    """`<id:pk>` in a URL pattern: like `<int:pk>`, but a number past MAX_ID matches
    nothing (a 404) instead of reaching the database."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # the resolver then tries the next pattern: a 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)
