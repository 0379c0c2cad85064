"""Reading the files clerks have: xlsx, old xls (one reader for both) and CSV
in UTF-8 or GB18030. A reader yields rows as lists of cells; the file kind is
decided by its content, not its name."""

import codecs
import csv
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from xinyong.core.errors import ApplicationError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (and other Office 97 files)
_ZIP_MAGIC = b"PK\x03\x04"


class FileProblem(ApplicationError):
    """The file as a whole cannot be read; the batch fails with this reason."""

    def __init__(self, message: str, code: str = "unreadable_file"):
        super().__init__(code, message)


def sniff_kind(path: Path) -> str:
    """`xlsx`, `xls` or `csv`, from the first bytes; raises FileProblem otherwise."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        raise FileProblem(_("文件是空的"), "empty_file")
    if head.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise FileProblem(_("文件已损坏，无法作为 Excel 表格打开"), "corrupt_file") from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise FileProblem(_("文件不是 Excel 表格（.xlsx/.xls）或 CSV 文件"), "not_a_spreadsheet")
    if head.startswith(_OLE_MAGIC):
        return "xls"
    if b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise FileProblem(_("文件不是 Excel 表格（.xlsx/.xls）或 CSV 文件"), "not_a_spreadsheet")
    return "csv"


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as such, else GB18030
    (a superset of GBK/GB2312, what Excel on Chinese Windows saves)."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileProblem(
        _("无法识别文件编码：请在 Excel 中“另存为”CSV UTF-8 或保存为 .xlsx 后重新上传"),
        "bad_encoding",
    )


def _csv_rows(path: Path) -> Iterator[list]:
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        sample = handle.read(8192)
        handle.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        except csv.Error:
            dialect = csv.excel
        try:
            yield from csv.reader(handle, dialect)
        except csv.Error as exc:
            raise FileProblem(_("CSV 文件格式有误：%(e)s") % {"e": exc}, "corrupt_file") from None


def _spreadsheet_rows(path: Path) -> Iterator[list]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if not names:
            raise FileProblem(_("表格中没有工作表"), "empty_file")
        sheet = workbook.get_sheet_by_index(0)
    except FileProblem:
        raise
    except Exception as exc:  # calamine reports broken files with its own errors
        raise FileProblem(
            _("无法读取表格文件（%(e)s）。请用 Excel 打开后另存为 .xlsx 再上传") % {"e": exc},
            "corrupt_file",
        ) from None
    yield from sheet.iter_rows()


def read_rows(path: Path) -> Iterator[list]:
    """The rows of the file's first sheet (or of the CSV), as lists of cells."""
    kind = sniff_kind(path)
    if kind == "csv":
        return _csv_rows(path)
    return _spreadsheet_rows(path)
