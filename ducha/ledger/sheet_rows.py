"""The cell values of a worksheet, row by row, read with lxml.

openpyxl opens the workbook (its shared strings, its styles, which sheet is which); its own
row reader is a Python handler for every element and every cell, which took half of a large
file's check. This reads the same sheet with lxml, converting each cell as openpyxl's
read-only reader does with `data_only` and `values_only`: numbers as int or float, dates by
the cell's style, shared and inline strings, booleans, a formula's cached result, and an
empty row for each row the file leaves out, from row 1 on. A cell's value is the only thing
read; formatting is not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v"
_INLINE, _TEXT, _RUN = f"{_MAIN}is", f"{_MAIN}t", f"{_MAIN}r"


def sheet_values(sheet: Any) -> Iterator[tuple[Any, ...]]:
    """Each row of a read-only openpyxl worksheet as a tuple of values, as
    `sheet.iter_rows(values_only=True)` gives them after `reset_dimensions()`."""
    book = sheet.parent
    cell = _Converter(
        sheet._shared_strings, book.epoch, book._date_formats, book._timedelta_formats
    )
    expected = 1  # the next row number openpyxl would yield
    with sheet._get_source() as source:
        # No DTD, no entities, no network: a sheet needs none, and a hostile one gets none.
        rows = etree.iterparse(
            source,
            events=("end",),
            tag=_ROW,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        )
        for _event, row in rows:
            number = _row_number(row.get("r"), expected)
            while expected < number:  # rows the file leaves out
                expected += 1
                yield ()
            if expected == number:  # a row repeated or out of order is skipped, as openpyxl does
                expected += 1
                yield _values(row, cell)
            row.clear()
            while row.getprevious() is not None:  # what the parse kept of earlier rows
                del row.getparent()[0]


def _row_number(written: str | None, expected: int) -> int:
    if written is None:
        return expected
    number = float(written)
    if not number.is_integer():
        raise ValueError(f"{written} is not a row number")
    return int(number)


def _values(row: Any, cell: _Converter) -> tuple[Any, ...]:
    values: dict[int, Any] = {}
    column = 0
    for element in row.iterchildren(_CELL):
        reference = element.get("r")
        column = _column(reference) if reference else column + 1
        values[column] = cell.value(element)
    if not values:
        return ()
    # As wide as the row's last cell says (openpyxl's `_get_row`), even if an earlier one
    # named a column further right.
    return tuple(values.get(index) for index in range(1, column + 1))


def _column(reference: str) -> int:
    letters = reference.rstrip("0123456789")
    return column_index_from_string(letters)


class _Converter:
    """One cell's value, the way openpyxl's `WorkSheetParser.parse_cell` gives it."""

    def __init__(self, shared: Any, epoch: Any, date_styles: Any, duration_styles: Any) -> None:
        self.shared, self.epoch = shared, epoch
        self.date_styles, self.duration_styles = date_styles, duration_styles

    def value(self, element: Any) -> Any:
        kind = element.get("t", "n")
        if kind == "inlineStr":
            return _inline(element)
        # iterchildren, not find/findtext: those go through lxml's path parser in Python.
        written = next((v.text for v in element.iterchildren(_VALUE)), None) or None
        if written is None:
            return None
        if kind == "n":
            number = float(written) if "." in written or "e" in written.lower() else int(written)
            style = int(element.get("s") or 0)
            if style not in self.date_styles:
                return number
            try:
                return from_excel(number, self.epoch, timedelta=style in self.duration_styles)
            except (OverflowError, ValueError):
                return "#VALUE!"
        if kind == "s":
            return self.shared[int(written)]
        if kind == "b":
            return bool(int(written))
        if kind == "d":
            return from_ISO8601(written)
        return written  # "str" (a formula's text) and "e" (an error such as #N/A)


def _inline(element: Any) -> str | None:
    child = next(element.iterchildren(_INLINE), None)
    if child is None:
        return None
    # The plain text and the runs' text; phonetic guides (rPh) are not the cell's text.
    parts = [t.text or "" for t in child.iterchildren(_TEXT)]
    for run in child.iterchildren(_RUN):
        parts += [t.text or "" for t in run.iterchildren(_TEXT)]
    return "".join(parts)
