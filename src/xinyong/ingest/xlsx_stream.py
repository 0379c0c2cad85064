"""The xlsx reader: the first sheet streamed as XML a megabyte at a time,
with the file's limits (`ingest.limits.ReadLimits`) checked on the zip
directory before Python parses it, on the declared dimension before a cell
is read, and on every row, so memory stays flat whatever the file asks for
(a 2 KB sheet declaring A1:XFD1048576, a zip bomb, a row of a million cells).
calamine would build the whole sheet first."""

import datetime as dt
import html
import re
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from xinyong.ingest.limits import (
    FileProblem,
    ReadLimits,
    TooWide,
    cell_too_long,
    too_many_columns,
    too_many_rows,
)

# A zip member smaller than this is never a bomb, whatever its ratio.
_RATIO_FLOOR = 1 << 20
# An xlsx has a dozen parts; thousands are an attack on the zip directory.
_MAX_ZIP_MEMBERS = 10_000
# The parts read whole (workbook, relationships, styles) are a few kilobytes.
_SMALL_PART_BYTES = 16 << 20
_READ_WHOLE = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}


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


def first_sheet(archive: zipfile.ZipFile) -> str:
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
# The end of the sheet's data: a sheet whose XML stops before it was cut off (a broken
# export or copy), and its rows after the cut are missing.
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\s*/>")
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
                raise TooWide(known + 1)  # the caller names the limit
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
        raise TooWide(len(cells))
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
        raise too_many_columns(limits)
    if len(rows) > 9 or int(rows) > limits.rows:
        raise too_many_rows(limits)


def check_archive(path: Path, limits: ReadLimits) -> None:
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


def xlsx_rows(path: Path) -> Iterator[list]:
    limits = ReadLimits.current()
    try:
        check_archive(path, limits)
        archive = zipfile.ZipFile(path)
        sheet = archive.open(first_sheet(archive))
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
    complete = False  # the end of the sheet's data was seen
    with archive, sheet:
        buffer = b""
        first = True
        while True:
            block = sheet.read(1 << 20)
            if first:
                _check_dimension(block[: 1 << 16], limits)
                first = False
            buffer += block
            complete = complete or _SHEET_DATA_END.search(buffer) is not None
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
                    raise too_many_rows(limits)
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
                    except TooWide as exc:
                        raise too_many_columns(limits, exc.args[0]) from None
                    except (ValueError, IndexError):  # a number that is not, a string not there
                        raise FileProblem(
                            _("表格第 %(row)d 行的内容已损坏，请用 Excel 打开后另存为 .xlsx 再上传")
                            % {"row": row},
                            "corrupt_file",
                        ) from None
                elif len(cells) > most_columns:
                    raise too_many_columns(limits, len(cells))
                if len(body) > limits.cell_chars and any(
                    isinstance(c, str) and len(c) > limits.cell_chars for c in cells
                ):
                    raise cell_too_long(limits, row)
                yield cells
            buffer = buffer[end:]
            if not block:
                break
    if not complete:
        raise FileProblem(
            _(
                "表格文件不完整：工作表在第 %(row)d 行之后中断，其后的行缺失。"
                "请用 Excel 打开后另存为 .xlsx 再上传"
            )
            % {"row": expected - 1},
            "corrupt_file",
        )
