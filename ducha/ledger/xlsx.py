"""A streaming .xlsx writer: rows are turned into sheet XML and compressed as they arrive.

openpyxl (write-only) and XlsxWriter (constant memory) both spend 20–40 µs on every cell;
at 100,000 problems of 22 columns that is 40–90 s on our hardware (docs/decisions/
0006-ledgers.md has the measurements). This writer formats a whole row as one string and
lets zlib compress it on the way out, about ten times faster, and keeps nothing but the
current batch of rows in memory: the output goes to the caller chunk by chunk.

Only what ledgers need is supported: text cells (always inline strings, so a text starting
with "=" is never a formula), dates and times, plain numbers, a bold frozen header row
(under an optional title row), column widths, list validations (dropdowns), an autofilter
and print settings (landscape, one page wide, the header rows on every page). Files are
read back by openpyxl in the tests.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's own limits: characters in a cell, rows in a sheet.
CELL_MAX_CHARS = 32_767
SHEET_MAX_ROWS = 1_048_576

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell styles (indexes into cellXfs in STYLES below).
TEXT, DATETIME, DECIMAL, HEADER, WRAP, TITLE = 1, 2, 3, 4, 5, 6
# Characters XML 1.0 cannot carry (and U+FFFE, U+FFFF); markup never contains them, so whole
# chunks are cleaned at once.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_EPOCH = datetime(1899, 12, 30)
_DAY = timedelta(days=1)
ROWS_PER_CHUNK = 500


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    kind: str = "text"  # text | datetime | decimal | number | wrap


@dataclass(frozen=True)
class ListValidation:
    """A dropdown on a range, its choices from a range of cells (another sheet's, usually)."""

    sqref: str
    source: str
    error: str = ""
    strict: bool = True


@dataclass
class Sheet:
    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    header: bool = True
    validations: Sequence[ListValidation] = ()
    autofilter: bool = False
    # A line above the header (what the sheet holds, for whom, when), merged across it.
    title: str = ""
    # Printed landscape, one page wide, the title and header rows repeated on every page.
    printable: bool = False
    written: int = field(default=0, init=False)

    @property
    def header_row(self) -> int:
        """The header's row number (1, or 2 under a title); 0 without a header."""
        if not self.header:
            return 0
        return 2 if self.title else 1


def escape(text: str) -> str:
    # Most ledger text has none of these; looking is cheaper than replacing.
    if "&" in text or "<" in text or ">" in text or '"' in text:
        return text.translate(_ESCAPES)
    return text


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def excel_serial(value: datetime | date) -> float:
    """Days since Excel's epoch, in local time for aware datetimes."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = timezone.make_naive(value)
        return (value - _EPOCH) / _DAY
    return (datetime(value.year, value.month, value.day) - _EPOCH) / _DAY


def _text(value: Any, style: int) -> str:
    text = value if isinstance(value, str) else str(value)
    if len(text) > CELL_MAX_CHARS:
        text = text[: CELL_MAX_CHARS - 1] + "…"
    return f'<c s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _cell(kind: str, value: Any, tz: Any) -> str:
    """One cell; its place in the row is its position (no `r`: the row is written in full)."""
    if value is None or value == "":
        return "<c/>"
    if kind == "text":
        return _text(value, TEXT)
    if kind == "datetime" and isinstance(value, float):
        return f'<c s="{DATETIME}"><v>{value!r}</v></c>'
    if kind == "datetime" and isinstance(value, date):
        if type(value) is datetime:
            if value.tzinfo is not None:
                value = value.astimezone(tz).replace(tzinfo=None)
            return f'<c s="{DATETIME}"><v>{(value - _EPOCH) / _DAY}</v></c>'
        return f'<c s="{DATETIME}"><v>{excel_serial(value)}</v></c>'
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if kind in ("number", "decimal") and numeric:
        style = f' s="{DECIMAL}"' if kind == "decimal" else ""
        return f"<c{style}><v>{value!r}</v></c>"
    return _text(value, WRAP if kind == "wrap" else TEXT)


_TEXT_OPEN = f'<c s="{TEXT}" t="inlineStr"><is><t xml:space="preserve">'
_TEXT_CLOSE = "</t></is></c>"
_COLUMN_STYLE = {"text": TEXT, "datetime": DATETIME, "decimal": DECIMAL, "wrap": WRAP, "number": 0}


class _Sink:
    """A write-only file for zipfile: what is written waits here until the caller takes it."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _sheet_head(sheet: Sheet) -> str:
    first = sheet.header_row + 1
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{c.width}" style="{_COLUMN_STYLE[c.kind]}" '
        'customWidth="1"/>'
        for i, c in enumerate(sheet.columns, start=1)
    )
    view = '<sheetView workbookViewId="0"'
    if sheet.header:
        view += (
            f'><pane ySplit="{first - 1}" topLeftCell="A{first}" activePane="bottomLeft" '
            f'state="frozen"/><selection pane="bottomLeft" activeCell="A{first}" '
            f'sqref="A{first}"/></sheetView>'
        )
    else:
        view += "/>"
    fit = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if sheet.printable else ""
    return (
        f'{XML_DECL}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        f"{fit}<sheetViews>{view}</sheetViews>"
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
    )


def _title_row(sheet: Sheet) -> str:
    return (
        '<row r="1" ht="24" customHeight="1">'
        f'<c r="A1" s="{TITLE}" t="inlineStr"><is><t>{escape(sheet.title)}</t></is></c></row>'
    )


def _header_row(sheet: Sheet) -> str:
    row = sheet.header_row
    cells = "".join(
        f'<c r="{column_letter(i)}{row}" s="{HEADER}" t="inlineStr">'
        f"<is><t>{escape(c.title)}</t></is></c>"
        for i, c in enumerate(sheet.columns)
    )
    return f'<row r="{row}">{cells}</row>'


def _last_column(sheet: Sheet) -> str:
    return column_letter(max(len(sheet.columns), 1) - 1)


def _sheet_tail(sheet: Sheet, last_row: int) -> str:
    tail = "</sheetData>"
    top = max(sheet.header_row, 1)
    if sheet.autofilter and sheet.columns:
        tail += f'<autoFilter ref="A{top}:{_last_column(sheet)}{max(last_row, top)}"/>'
    if sheet.title:
        tail += f'<mergeCells count="1"><mergeCell ref="A1:{_last_column(sheet)}1"/></mergeCells>'
    if sheet.validations:
        items = "".join(
            f'<dataValidation type="list" allowBlank="1" showErrorMessage="{int(v.strict)}" '
            f'errorStyle="{"stop" if v.strict else "warning"}" error="{escape(v.error)}" '
            f'sqref="{v.sqref}"><formula1>{escape(v.source)}</formula1></dataValidation>'
            for v in sheet.validations
        )
        tail += f'<dataValidations count="{len(sheet.validations)}">{items}</dataValidations>'
    if sheet.printable:
        # Narrow margins (inches, as the format counts them) leave the columns room; the
        # page numbers go in the footer.
        tail += (
            '<printOptions horizontalCentered="1"/>'
            '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" '
            'footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            "<headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter>"
        )
    return tail + "</worksheet>"


def _sheet_xml(sheet: Sheet) -> Iterator[str]:
    """The sheet's XML in pieces of ROWS_PER_CHUNK rows."""
    yield _sheet_head(sheet)
    row_number = 0
    if sheet.title:
        row_number = 1
        yield _title_row(sheet)
    if sheet.header:
        row_number = sheet.header_row
        yield _header_row(sheet)
    kinds = [column.kind for column in sheet.columns]
    texts = [kind == "text" for kind in kinds]
    tz = timezone.get_current_timezone()
    pending: list[str] = []
    for values in sheet.rows:
        row_number += 1
        if row_number > SHEET_MAX_ROWS:
            raise ValueError("More rows than an Excel sheet can hold.")
        cells: list[str] = []
        add = cells.append
        # The common cells (text, empty, local datetimes) are written inline: this loop
        # runs two million times for 100,000 rows. A short row leaves its last cells empty.
        for kind, text_column, value in zip(kinds, texts, values, strict=False):
            cls = value.__class__
            if cls is str:
                if not value:
                    add("<c/>")
                elif text_column and len(value) <= CELL_MAX_CHARS:
                    if "&" in value or "<" in value or ">" in value:
                        value = value.translate(_ESCAPES)
                    add(f"{_TEXT_OPEN}{value}{_TEXT_CLOSE}")
                else:
                    add(_cell(kind, value, tz))
            elif value is None:
                add("<c/>")
            elif cls is float and kind == "datetime":
                # A time already turned into Excel's day number.
                add(f'<c s="{DATETIME}"><v>{value!r}</v></c>')
            elif cls is datetime and kind == "datetime" and value.tzinfo is None:
                add(f'<c s="{DATETIME}"><v>{(value - _EPOCH) / _DAY}</v></c>')
            else:
                add(_cell(kind, value, tz))
        pending.append(f'<row r="{row_number}">{"".join(cells)}</row>')
        if len(pending) >= ROWS_PER_CHUNK:
            yield "".join(pending)
            pending.clear()
    if pending:
        yield "".join(pending)
    sheet.written = row_number - sheet.header_row - (1 if sheet.title and not sheet.header else 0)
    yield _sheet_tail(sheet, row_number)


def stream_workbook(sheets: Sequence[Sheet], compresslevel: int = 1) -> Iterator[bytes]:
    """The .xlsx file's bytes, produced while the sheets' rows are consumed.

    Level 1 compression: the file is about a fifth larger than at level 6 and written in
    a third of the time, which is what keeps 100,000 rows under ten seconds.
    """
    sink = _Sink()
    # Unseekable output: zipfile writes sizes after each member (data descriptors).
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as book:
        for index, sheet in enumerate(sheets, start=1):
            with book.open(f"xl/worksheets/sheet{index}.xml", "w") as member:
                for piece in _sheet_xml(sheet):
                    member.write(_xml_bytes(piece))
                    chunk = sink.take()
                    if chunk:
                        yield chunk
        book.writestr("xl/workbook.xml", _workbook_xml(sheets))
        book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        book.writestr("xl/styles.xml", STYLES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("[Content_Types].xml", _content_types(len(sheets)))
    yield sink.take()


def _xml_bytes(piece: str) -> bytes:
    """UTF-8 without the characters XML 1.0 forbids. Control bytes never occur inside a
    multi-byte UTF-8 sequence, so they can be dropped from the bytes directly."""
    data = piece.encode("utf-8", "replace").translate(None, _CONTROL_BYTES)
    if b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:
        data = data.replace(b"\xef\xbf\xbe", b"").replace(b"\xef\xbf\xbf", b"")
    return data


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    return b"".join(stream_workbook(sheets))


def _workbook_xml(sheets: Sequence[Sheet]) -> str:
    entries = "".join(
        f'<sheet name="{escape(s.name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"'{escape(s.name)}'!$A${max(s.header_row, 1)}:${_last_column(s)}"
        f"${max(s.written + s.header_row, 1)}</definedName>"
        for i, s in enumerate(sheets)
        if s.autofilter and s.columns
    )
    names += "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
        f"'{escape(s.name)}'!$1:${s.header_row}</definedName>"
        for i, s in enumerate(sheets)
        if s.printable and s.header_row
    )
    defined = f"<definedNames>{names}</definedNames>" if names else ""
    return (
        f'{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{entries}</sheets>'
        f"{defined}</workbook>"
    )


def _workbook_rels(count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{i}" Type="{DOC_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    styles = f'<Relationship Id="rId{count + 1}" Type="{DOC_REL}/styles" Target="styles.xml"/>'
    return f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">{sheets}{styles}</Relationships>'


def _content_types(count: int) -> str:
    part = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{part}.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    return (
        f"{XML_DECL}"
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{part}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{part}.styles+xml"/>'
        f"{sheets}</Types>"
    )


ROOT_RELS = (
    f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)

# 0 default; 1 text (format "@", so what is typed into an empty cell stays text too);
# 2 date and time; 3 one decimal; 4 bold header; 5 wrapped text (instructions, descriptions);
# 6 the title row (bold, larger).
STYLES = (
    f'{XML_DECL}<styleSheet xmlns="{MAIN_NS}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/>'
    '<numFmt numFmtId="165" formatCode="0.0"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/>'
    '</font><font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/>'
    '</font><font><b/><sz val="14"/><name val="宋体"/><family val="3"/><charset val="134"/>'
    "</font></fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="7">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    'applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>'
    '<xf numFmtId="49" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyNumberFormat="1" applyAlignment="1"><alignment horizontal="left" vertical="center"/>'
    "</xf>"
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
