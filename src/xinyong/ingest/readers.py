"""Reading the files clerks have: xlsx, old xls (one reader for both) and CSV
in UTF-8 or GB18030. A reader yields rows as lists of cells; the file kind is
decided by its content, not its name."""

import codecs
import csv
import datetime as dt
import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from xinyong.core.env import env_int
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
    """Old .xls, and xlsx up to a size, through calamine (it loads the whole
    sheet; .xls files are small: the format stops at 65,536 rows)."""
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

_TEXT = re.compile(rb"<t\b[^>]*>(.*?)</t>", re.S)
_SHEET = re.compile(rb'<sheet\b[^>]*?\br:id="([^"]+)"')
_REL = re.compile(rb"<Relationship\b([^>]*)/?>")


def _xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


def _column_index(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + byte - 64
    return index - 1


def _first_sheet(archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
        first = _SHEET.search(workbook)
        if first:
            for attrs in _REL.findall(rels):
                if f'Id="{first.group(1).decode()}"'.encode() in attrs:
                    found = re.search(rb'Target="([^"]+)"', attrs)
                    if found is None:
                        continue
                    target = found.group(1).decode()
                    target = target.lstrip("/")
                    path = target if target.startswith("xl/") else f"xl/{target}"
                    if path in names:
                        return path
    except (KeyError, AttributeError):
        pass
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet"))
    if not sheets:
        raise FileProblem(_("表格中没有工作表"), "empty_file")
    return sheets[0]


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        handle = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list[str] = []
    with handle:
        # S314 is silenced: expat >= 2.4.1 (Python 3.11 ships 2.5) refuses entity-expansion
        # bombs, and ElementTree resolves no external entity: the attacks S314 warns of.
        for _event, element in ElementTree.iterparse(handle, events=("end",)):  # noqa: S314 - expat refuses entity bombs; no external entities
            if element.tag.endswith("}si"):
                strings.append("".join(element.itertext()))
                element.clear()
    return strings


# r= comes first in the cells of every writer seen (Excel, WPS, LibreOffice,
# openpyxl); a sheet without it is read by calamine instead (see read_rows).
# One pass over all cells of a slice: column, row, attributes, <v> value,
# inline-string body.
_CELLS = re.compile(
    rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(?:<f\b[^>]*/>|<f\b[^>]*>.*?</f>)?'
    rb"(?:<v>([^<]*)</v>)?(?:<is>(.*?)</is>)?</c>)",
    re.S,
)


_STYLE = re.compile(rb'\bs="(\d+)"')
_BUILTIN_DATE_FORMATS = {*range(14, 23), 45, 46, 47}
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - Excel serials are zone-less wall time


def _date_styles(archive: zipfile.ZipFile) -> set[bytes]:
    """The style indices (the `s` of a cell) whose number format is a date."""
    try:
        root = ElementTree.fromstring(archive.read("xl/styles.xml"))  # noqa: S314 - as above
    except KeyError:
        return set()
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    custom = set()
    for fmt in root.iter(f"{ns}numFmt"):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]', "", fmt.get("formatCode", "")).lower()
        if any(ch in code for ch in "ymd") or ("h" in code and "s" in code):
            custom.add(int(fmt.get("numFmtId", "0")))
    dates: set[bytes] = set()
    xfs = root.find(f"{ns}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else []):
        number_format = int(xf.get("numFmtId", "0"))
        if number_format in _BUILTIN_DATE_FORMATS or number_format in custom:
            dates.add(str(index).encode())
    return dates


def _cell_value(attrs: bytes, value: bytes, inline: bytes, shared: list[str], dates: set[bytes]):
    if inline:
        return "".join(_xml_text(t) for t in _TEXT.findall(inline))
    if not value:
        return ""
    if b't="' not in attrs or b't="n"' in attrs:
        number = float(value)
        if dates and b's="' in attrs:
            style = _STYLE.search(attrs)
            if style and style.group(1) in dates:
                moment = _EXCEL_EPOCH + dt.timedelta(days=number)
                return moment.date() if number.is_integer() else moment
        return int(number) if b"." not in value and b"E" not in value else number
    if b't="s"' in attrs:
        return shared[int(value)]
    if b't="b"' in attrs:
        return value == b"1"
    return _xml_text(value)  # "str" (formula text), "d" (ISO date), "e" (error text)


# A row and its body; a self-closed empty row has no body.
_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?(?:/>|>(.*?)</row>)', re.S)
# The common row of writers that store text inline (openpyxl, many exports):
# every cell an inline string of one plain run, or an empty one.
_INLINE_CELL = re.compile(rb'<c r="[A-Z]+\d+" t="inlineStr"(?:\s*/>|><is><t>([^<]*)</t></is></c>)')
_CELL_REF = re.compile(rb'<c r="([A-Z]+)\d+"')


def _inline_row(body: bytes) -> list | None:
    """The cells of a row made only of plain inline strings with no column
    left out, in two C-speed passes; None for any other row."""
    texts = _INLINE_CELL.findall(body)
    count = len(texts)
    if not count or body.count(b"<c ") != count:
        return None
    first = _CELL_REF.match(body)
    last = _CELL_REF.search(body, body.rfind(b"<c "))
    if first is None or first.group(1) != b"A" or last is None:
        return None
    if _column_index(last.group(1)) != count - 1:
        return None  # a column left out: cells must land at their positions
    if b"&" in body:
        return [html.unescape(t.decode()) for t in texts]
    return [t.decode() for t in texts]


def _row_cells(body: bytes, columns: dict, shared: list[str], dates: set[bytes]) -> list:
    cells: list = []
    for letters, _number, attrs, value, inline in _CELLS.findall(body):
        position = columns.get(letters)
        if position is None:
            position = columns[letters] = _column_index(letters)
        if position > len(cells):
            cells.extend([""] * (position - len(cells)))
        if inline[:3] == b"<t>" and inline.find(b"<", 3) == len(inline) - 4:
            # The common inline string, one plain run: no regex needed.
            text = inline[3:-4].decode()
            cells.append(html.unescape(text) if "&" in text else text)
        elif value and b't="s"' in attrs:
            cells.append(shared[int(value)])
        else:
            cells.append(_cell_value(attrs, value, inline, shared, dates))
    return cells


def _xlsx_rows(path: Path) -> Iterator[list]:
    try:
        archive = zipfile.ZipFile(path)
        sheet = archive.open(_first_sheet(archive))
        shared = _shared_strings(archive)
        dates = _date_styles(archive)
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, KeyError) as exc:
        raise FileProblem(
            _("无法读取表格文件（%(e)s）。请用 Excel 打开后另存为 .xlsx 再上传") % {"e": exc},
            "corrupt_file",
        ) from None
    columns: dict[bytes, int] = {}
    expected = 1  # the next row number to yield
    with archive, sheet:
        buffer = b""
        while True:
            block = sheet.read(1 << 20)
            buffer += block
            # Work on whole rows only; the rest waits for the next block.
            end = buffer.rfind(b"</row>") + 6 if block else len(buffer)
            if end <= 5 and block:
                continue
            for number, body in _ROW.findall(buffer, 0, end):
                row = int(number)
                while expected < row:  # rows the sheet leaves out are empty
                    yield []
                    expected += 1
                expected = row + 1
                if not body:
                    yield []
                    continue
                cells = _inline_row(body)
                yield cells if cells is not None else _row_cells(body, columns, shared, dates)
            buffer = buffer[end:]
            if not block:
                break


def read_rows(path: Path) -> Iterator[list]:
    """The rows of the file's first sheet (or of the CSV), as lists of cells."""
    kind = sniff_kind(path)
    if kind == "csv":
        return _csv_rows(path)
    if kind == "xlsx" and path.stat().st_size >= xlsx_stream_bytes():
        return _xlsx_rows(path)
    return _spreadsheet_rows(path)


def xlsx_stream_bytes() -> int:
    """From this size on, an xlsx is streamed (flat memory, slower); below it,
    calamine loads the sheet (about 3 times faster, memory grows with rows)."""
    return env_int("XINYONG_XLSX_STREAM_BYTES", 16 * 1024 * 1024)
