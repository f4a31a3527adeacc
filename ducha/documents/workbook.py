"""The Excel ledger of a problem list: the same table as the Word file, one row a problem."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ducha.core.text import writable

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Widths in characters; a Chinese character is about two wide.
WIDTHS = (6, 40, 28, 14, 14, 26, 18, 12)


def write_xlsx(
    rows: list[list[str]], *, sheet: str, title: str, author: str, created: datetime
) -> bytes:
    """A write-only workbook; every cell is text, so "=" in a title never becomes a formula."""
    book = Workbook(write_only=True)
    book.properties.title = writable(title)
    book.properties.creator = writable(author)
    book.properties.created = book.properties.modified = created.replace(tzinfo=None)
    worksheet = book.create_sheet(title=writable(sheet)[:31])
    for index, width in enumerate(WIDTHS, 1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header, *body = rows
    worksheet.append([_cell(worksheet, value, font=bold) for value in header])
    for values in body:
        worksheet.append([_cell(worksheet, value, alignment=wrap) for value in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(worksheet: object, value: str, **style: object) -> WriteOnlyCell:
    # Rows stored before text was checked may hold what XML cannot carry.
    cell = WriteOnlyCell(worksheet, value=writable(value))
    cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell
