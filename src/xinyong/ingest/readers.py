"""Reading the files clerks have: xlsx, old xls (one reader for both) and CSV
in UTF-8 or GB18030. A reader yields rows as lists of cells; the file kind is
decided by its content, not its name."""

import codecs
import csv
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from django.utils.translation import gettext as _

from xinyong.ingest.limits import FileProblem as FileProblem
from xinyong.ingest.limits import ReadLimits as ReadLimits
from xinyong.ingest.limits import cell_too_long, too_many_columns, too_many_rows
from xinyong.ingest.xlsx_stream import check_archive, xlsx_rows

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (and other Office 97 files)
_ZIP_MAGIC = b"PK\x03\x04"
# Excel's "Unicode text" (Unicode 文本) is UTF-16 LE with this byte-order mark.
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def sniff_kind(path: Path) -> str:
    """`xlsx`, `xls` or `csv`, from the first bytes; raises FileProblem otherwise."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        raise FileProblem(_("文件是空的"), "empty_file")
    if head.startswith(_ZIP_MAGIC):
        try:
            # Before Python parses the zip's directory or anyone reads a part.
            check_archive(path, ReadLimits.current())
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise FileProblem(_("文件已损坏，无法作为 Excel 表格打开"), "corrupt_file") from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise FileProblem(_("文件不是 Excel 表格（.xlsx/.xls）或 CSV 文件"), "not_a_spreadsheet")
    if head.startswith(_OLE_MAGIC):
        return "xls"
    if head.startswith(_UTF16_BOMS):
        return "csv"  # Excel's "Unicode text": tab-separated UTF-16
    if b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise FileProblem(_("文件不是 Excel 表格（.xlsx/.xls）或 CSV 文件"), "not_a_spreadsheet")
    return "csv"


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as such, else GB18030
    (a superset of GBK/GB2312, what Excel on Chinese Windows saves); UTF-16
    when the file starts with its byte-order mark (Excel's "Unicode text")."""
    with open(path, "rb") as handle:
        if handle.read(2) in _UTF16_BOMS:
            return "utf-16"  # the codec reads the mark and the byte order from it
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


class _CsvLines:
    """The file's lines, none read past the line limit: a line of 50 MB of
    commas is refused after its first megabyte, never held whole. `chars`
    counts the characters read since the caller last reset it: a cell is no
    longer than the lines of its row, so cells need a look only when these
    are longer than a cell may be."""

    def __init__(self, handle: TextIO, most: int) -> None:
        self.readline = handle.readline
        self.most = most
        self.chars = 0

    def __iter__(self) -> Iterator[str]:
        readline, most = self.readline, self.most
        while line := readline(most + 2):
            if len(line) > most and not line.endswith("\n"):
                raise FileProblem(
                    _("CSV 文件有一行超过 %(n)d 个字符的上限") % {"n": most}, "line_too_long"
                )
            self.chars += len(line)
            yield line


def _csv_rows(path: Path) -> Iterator[list]:
    encoding = detect_encoding(path)
    limits = ReadLimits.current()
    with open(path, encoding=encoding, newline="") as handle:
        sample = handle.read(8192)
        handle.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        except csv.Error:
            dialect = csv.excel
        columns, cell_chars, most_rows = limits.columns, limits.cell_chars, limits.rows
        lines = _CsvLines(handle, limits.line_chars)
        number = 0
        try:
            for number, row in enumerate(csv.reader(lines, dialect), 1):
                if len(row) > columns:
                    raise too_many_columns(limits, len(row))
                if number > most_rows:
                    raise too_many_rows(limits)
                if lines.chars > cell_chars:
                    if max(map(len, row)) > cell_chars:
                        raise cell_too_long(limits, number)
                lines.chars = 0
                yield row
        except csv.Error as exc:
            if "field limit" in str(exc):  # a quoted cell of many lines, past csv's own limit
                raise cell_too_long(limits, number + 1) from None
            raise FileProblem(_("CSV 文件格式有误：%(e)s") % {"e": exc}, "corrupt_file") from None


def _spreadsheet_rows(path: Path) -> Iterator[list]:
    """Old .xls through calamine (it loads the whole sheet; the format stops
    at 65,536 rows and 256 columns). Never an xlsx from a user: calamine
    makes the sheet's whole rectangle, which a file with cells A1 and
    XFD1048576 makes 17 billion cells (the process aborts)."""
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


# -- xlsx, streamed ------------------------------------------------------------------
# An xlsx sheet is XML inside a zip. It is read in slices of whole <row>
# elements with regular expressions (C speed), so memory stays flat however
# many rows the sheet has; only the shared-strings table is held.


def read_rows(path: Path) -> Iterator[list]:
    """The rows of the file's first sheet (or of the CSV), as lists of cells."""
    kind = sniff_kind(path)
    if kind == "csv":
        return _csv_rows(path)
    if kind == "xlsx":
        # Streamed whatever its size: flat memory, and its limits checked
        # before a cell is read (calamine would make the whole sheet first).
        return xlsx_rows(path)
    return _spreadsheet_rows(path)
