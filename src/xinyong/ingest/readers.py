"""Reading the files clerks have: xlsx, old xls (one reader for both) and CSV
in UTF-8 or GB18030. A reader yields rows as lists of cells; the file kind is
decided by its content, not its name."""

import codecs
import csv
import datetime as dt
import html
import re
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple, TextIO
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from xinyong.core.env import env_int
from xinyong.core.errors import ApplicationError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (and other Office 97 files)
_ZIP_MAGIC = b"PK\x03\x04"
# Excel's "Unicode text" (Unicode 文本) is UTF-16 LE with this byte-order mark.
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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


# A zip member smaller than this is never a bomb, whatever its ratio.
_RATIO_FLOOR = 1 << 20
# An xlsx has a dozen parts; thousands are an attack on the zip directory.
_MAX_ZIP_MEMBERS = 10_000
# The parts read whole (workbook, relationships, styles) are a few kilobytes.
_SMALL_PART_BYTES = 16 << 20
_READ_WHOLE = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}


class _TooWide(Exception):
    """A row's cell past the column limit (its column number in args[0])."""


def _too_many_rows(limits: ReadLimits) -> FileProblem:
    return FileProblem(
        _("表格超过 %(n)d 行的上限，请分成几个文件上传") % {"n": limits.rows}, "too_many_rows"
    )


def _too_many_columns(limits: ReadLimits, found: int | None = None) -> FileProblem:
    message = _("表格超过 %(n)d 列的上限") % {"n": limits.columns}
    if found is not None:
        message += _("（第 %(c)d 列有内容）") % {"c": found}
    return FileProblem(message + _("，请删除多余的列后重新上传"), "too_many_columns")


def _cell_too_long(limits: ReadLimits, row: int) -> FileProblem:
    return FileProblem(
        _("第 %(row)d 行有单元格超过 %(n)d 个字符的上限") % {"row": row, "n": limits.cell_chars},
        "cell_too_long",
    )


def sniff_kind(path: Path) -> str:
    """`xlsx`, `xls` or `csv`, from the first bytes; raises FileProblem otherwise."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        raise FileProblem(_("文件是空的"), "empty_file")
    if head.startswith(_ZIP_MAGIC):
        try:
            # Before Python parses the zip's directory or anyone reads a part.
            _check_archive(path, ReadLimits.current())
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
                    raise _too_many_columns(limits, len(row))
                if number > most_rows:
                    raise _too_many_rows(limits)
                if lines.chars > cell_chars:
                    if max(map(len, row)) > cell_chars:
                        raise _cell_too_long(limits, number)
                lines.chars = 0
                yield row
        except csv.Error as exc:
            if "field limit" in str(exc):  # a quoted cell of many lines, past csv's own limit
                raise _cell_too_long(limits, number + 1) from None
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


def _shared_strings(archive: zipfile.ZipFile, limits: ReadLimits) -> list[str]:
    try:
        handle = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list[str] = []
    root = None
    with handle:
        # S314 is silenced: expat >= 2.4.1 (Python 3.11 ships 2.5) refuses entity-expansion
        # bombs, and ElementTree resolves no external entity: the attacks S314 warns of.
        for event, element in ElementTree.iterparse(handle, events=("start", "end")):  # noqa: S314 - expat refuses entity bombs; no external entities
            if root is None:
                root = element
            elif event == "end" and element.tag.endswith("}si"):
                text = "".join(element.itertext())
                if len(text) > limits.cell_chars:
                    raise FileProblem(
                        _("表格中有单元格超过 %(n)d 个字符的上限") % {"n": limits.cell_chars},
                        "cell_too_long",
                    )
                strings.append(text)
                root.clear()  # nor keep the emptied elements: memory is the strings only
    return strings


# r= comes first in the cells of every writer seen (Excel, WPS, LibreOffice,
# openpyxl); a cell without it (the standard allows that) is the next column.
# One pass over all cells of a slice: column, row, attributes, <v> value,
# inline-string body.
_CELLS = re.compile(
    rb'<c(?: r="([A-Z]+)(\d+)")?((?=[\s/>])[^>]*?)(?:/>|>(?:<f\b[^>]*/>|<f\b[^>]*>.*?</f>)?'
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
# A row without r= (the standard allows it) is the next row.
_ROW = re.compile(rb'<row\b(?:(?=[^>]*?\br="(\d+)")|)[^>]*?(?:/>|>(.*?)</row>)', re.S)
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


def _row_cells(
    body: bytes, columns: dict[bytes, int], shared: list[str], dates: set[bytes], most: int
) -> list:
    cells: list = []
    for letters, _number, attrs, value, inline in _CELLS.findall(body):
        known = columns.get(letters) if letters else len(cells)
        if known is None:
            known = _column_index(letters) if len(letters) <= 3 else most
            if known >= most:
                raise _TooWide(known + 1)  # the caller names the limit
            columns[letters] = known
        position = known
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
    if len(cells) > most:
        raise _TooWide(len(cells))
    return cells


# The sheet's declared range (`<dimension ref="A1:XFD1048576"/>`), its last cell.
_DIMENSION = re.compile(rb'<dimension\s+ref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')


def _check_dimension(head: bytes, limits: ReadLimits) -> None:
    """Refuse, before reading a row, a sheet that declares more rows or
    columns than the limits."""
    found = _DIMENSION.search(head)
    if found is None:
        return
    letters, rows = found.groups()
    if len(letters) > 3 or _column_index(letters) >= limits.columns:
        raise _too_many_columns(limits)
    if len(rows) > 9 or int(rows) > limits.rows:
        raise _too_many_rows(limits)


def _check_archive(path: Path, limits: ReadLimits) -> None:
    """Refuse a zip bomb before unpacking anything: too many members (read
    from the end record, before Python parses the directory), more than
    the limit uncompressed, or a member packed more tightly than any real
    sheet is. A member's declared size is also where Python's zipfile stops
    reading it, so a lying header gains nothing."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - (1 << 16) - 22))
        tail = handle.read()
    end = tail.rfind(b"PK\x05\x06")
    if end >= 0 and len(tail) >= end + 12:
        (members,) = struct.unpack("<H", tail[end + 10 : end + 12])
        if members > _MAX_ZIP_MEMBERS:  # 0xFFFF too: a zip64 directory
            raise FileProblem(_("文件内部结构异常（成员过多），不是正常的 Excel 表格"), "zip_bomb")
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    total = 0
    for info in infos:
        total += info.file_size
        name = info.filename
        if name == "xl/sharedStrings.xml":
            whole: int | None = limits.shared_mb << 20
        elif name in _READ_WHOLE:
            whole = _SMALL_PART_BYTES
        else:
            whole = None  # streamed (the sheet) or never read (images, themes)
        if whole is not None and info.file_size > whole:
            raise FileProblem(
                _("表格的“%(part)s”部分解压后超过 %(n)d MB 的上限")
                % {"part": name, "n": whole >> 20},
                "zip_bomb",
            )
        packed = max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and info.file_size / packed > limits.ratio:
            raise FileProblem(
                _("文件内部压缩比超过 %(n)d 倍的上限，疑为压缩炸弹，已拒绝") % {"n": limits.ratio},
                "zip_bomb",
            )
    if total > limits.unpacked_mb * 1024 * 1024:
        raise FileProblem(
            _("表格解压后超过 %(n)d MB 的上限，请分成几个文件上传") % {"n": limits.unpacked_mb},
            "zip_bomb",
        )


def _xlsx_rows(path: Path) -> Iterator[list]:
    limits = ReadLimits.current()
    try:
        _check_archive(path, limits)
        archive = zipfile.ZipFile(path)
        sheet = archive.open(_first_sheet(archive))
        shared = _shared_strings(archive, limits)
        dates = _date_styles(archive)
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, KeyError, struct.error) as exc:
        raise FileProblem(
            _("无法读取表格文件（%(e)s）。请用 Excel 打开后另存为 .xlsx 再上传") % {"e": exc},
            "corrupt_file",
        ) from None
    columns: dict[bytes, int] = {}
    most_columns, most_rows = limits.columns, limits.rows
    # A row's XML: a row with one cell at the limit fits, a hostile row does not.
    row_bytes = 8 * max(limits.line_chars, limits.cell_chars)
    expected = 1  # the next row number to yield
    with archive, sheet:
        buffer = b""
        first = True
        while True:
            block = sheet.read(1 << 20)
            if first:
                _check_dimension(block[: 1 << 16], limits)
                first = False
            buffer += block
            # Work on whole rows only; the rest waits for the next block.
            end = buffer.rfind(b"</row>") + 6 if block else len(buffer)
            if end <= 5 and block:
                end = 0
            if len(buffer) - end > row_bytes:
                raise FileProblem(
                    _("表格第 %(row)d 行过长（超过 %(n)d 字节），无法读取")
                    % {"row": expected, "n": row_bytes},
                    "line_too_long",
                )
            for number, body in _ROW.findall(buffer, 0, end):
                row = int(number) if number and len(number) <= 9 else expected
                if row > most_rows or len(number) > 9:
                    raise _too_many_rows(limits)
                while expected < row:  # rows the sheet leaves out are empty
                    yield []
                    expected += 1
                expected = row + 1
                if not body:
                    yield []
                    continue
                cells = _inline_row(body)
                if cells is None:
                    try:
                        cells = _row_cells(body, columns, shared, dates, most_columns)
                    except _TooWide as exc:
                        raise _too_many_columns(limits, exc.args[0]) from None
                    except (ValueError, IndexError):  # a number that is not, a string not there
                        raise FileProblem(
                            _("表格第 %(row)d 行的内容已损坏，请用 Excel 打开后另存为 .xlsx 再上传")
                            % {"row": row},
                            "corrupt_file",
                        ) from None
                elif len(cells) > most_columns:
                    raise _too_many_columns(limits, len(cells))
                if len(body) > limits.cell_chars and any(
                    isinstance(c, str) and len(c) > limits.cell_chars for c in cells
                ):
                    raise _cell_too_long(limits, row)
                yield cells
            buffer = buffer[end:]
            if not block:
                break


def read_rows(path: Path) -> Iterator[list]:
    """The rows of the file's first sheet (or of the CSV), as lists of cells."""
    kind = sniff_kind(path)
    if kind == "csv":
        return _csv_rows(path)
    if kind == "xlsx":
        # Streamed whatever its size: flat memory, and its limits checked
        # before a cell is read (calamine would make the whole sheet first).
        return _xlsx_rows(path)
    return _spreadsheet_rows(path)
