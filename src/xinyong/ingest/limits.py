"""What a file may hold before it is read (`ReadLimits`, each an environment
variable), and the errors that refuse a whole file (`FileProblem`): shared by
the readers of `ingest.readers` and the xlsx stream of `ingest.xlsx_stream`."""

from typing import NamedTuple

from django.utils.translation import gettext as _

from xinyong.core.env import env_int
from xinyong.core.errors import ApplicationError


class FileProblem(ApplicationError):
    """The file as a whole cannot be read; the batch fails with this reason."""

    def __init__(self, message: str, code: str = "unreadable_file"):
        super().__init__(code, message)


class ReadLimits(NamedTuple):
    """What a file may hold before it is read at all, so that no file, however
    made, costs more memory or time than the import of a real one. Each is
    an environment variable (README, "Limits")."""

    rows: int  # data rows and header, the sheet's or the CSV's
    columns: int
    cell_chars: int  # one cell's text: Excel's own limit
    line_chars: int  # one CSV line; an xlsx row's XML may be 8 times this in bytes
    unpacked_mb: int  # the xlsx's zip members together, uncompressed
    ratio: int  # uncompressed : compressed, per zip member
    shared_mb: int  # the shared-strings part, uncompressed: it is held in memory

    @classmethod
    def current(cls) -> "ReadLimits":
        return cls(
            rows=env_int("XINYONG_MAX_ROWS", 1_048_576),
            columns=env_int("XINYONG_MAX_COLUMNS", 1_000),
            cell_chars=env_int("XINYONG_MAX_CELL_CHARS", 32_767),
            line_chars=env_int("XINYONG_MAX_LINE_CHARS", 1_048_576),
            unpacked_mb=env_int("XINYONG_XLSX_MAX_UNPACKED_MB", 4_096),
            ratio=env_int("XINYONG_XLSX_MAX_RATIO", 200),
            shared_mb=env_int("XINYONG_XLSX_MAX_SHARED_MB", 256),
        )


class TooWide(Exception):
    """A row's cell past the column limit (its column number in args[0])."""


def too_many_rows(limits: ReadLimits) -> FileProblem:
    return FileProblem(
        _("表格超过 %(n)d 行的上限，请分成几个文件上传") % {"n": limits.rows}, "too_many_rows"
    )


def too_many_columns(limits: ReadLimits, found: int | None = None) -> FileProblem:
    message = _("表格超过 %(n)d 列的上限") % {"n": limits.columns}
    if found is not None:
        message += _("（第 %(c)d 列有内容）") % {"c": found}
    return FileProblem(message + _("，请删除多余的列后重新上传"), "too_many_columns")


def cell_too_long(limits: ReadLimits, row: int) -> FileProblem:
    return FileProblem(
        _("第 %(row)d 行有单元格超过 %(n)d 个字符的上限") % {"row": row, "n": limits.cell_chars},
        "cell_too_long",
    )
