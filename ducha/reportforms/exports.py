"""A department's view as the Excel sheet it used to receive: the form's name on top, its
item labels as the header row, one row per place and period.

Written with openpyxl's write-only workbook as the other Excel sheets of the project are
(ducha/fieldwork/exports.py); text is typed as text, so an answer starting with "=" never
becomes a formula.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ducha.core.text import writable
from ducha.reportforms.choices import ItemKind
from ducha.reportforms.collection import View, display

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Widths in characters; a Chinese character is about two wide.
PLACE_WIDTH, PERIOD_WIDTH, ITEM_WIDTH = 24, 12, 16
# Characters Excel refuses in a sheet's name.
_NOT_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def _cell(sheet: Any, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=writable(value))
        cell.data_type = "s"
    else:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == ItemKind.DATE and isinstance(value, str):
        return date.fromisoformat(value)
    return display(kind, value)


def view_workbook(view: View) -> bytes:
    """The view as an .xlsx: row 1 the form's name, row 2 the header, then the rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=writable(view.title).translate(_NOT_IN_SHEET_NAMES)[:31])
    widths = [PLACE_WIDTH, PERIOD_WIDTH, *(ITEM_WIDTH for _column in view.columns)]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    sheet.append([_cell(sheet, view.title, bold=True)])
    sheet.append([_cell(sheet, title, bold=True) for title in view.header])
    kinds = [column.kind for column in view.columns]
    for row in view.rows:
        values = [_value(kind, value) for kind, value in zip(kinds, row.values, strict=True)]
        sheet.append([_cell(sheet, cell) for cell in (row.region, row.period, *values)])
    book.properties.title = writable(view.title)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def attachment(name: str) -> str:
    """The Content-Disposition of a download named after the form."""
    return content_disposition_header(as_attachment=True, filename=f"{name}.xlsx") or ""
