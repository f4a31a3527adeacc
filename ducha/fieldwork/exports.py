"""The day's tasks as an Excel sheet, for offices that still print the 任务清单 or pass it on."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from ducha.core.text import writable
from ducha.fieldwork.models import Task

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Widths in characters; CJK text is about two characters wide per glyph.
WIDTHS = (22, 14, 36, 24, 28, 36, 24, 10)


def task_columns() -> list[str]:
    return [
        _("Team"),
        _("Method"),
        _("Sites"),
        _("Regions"),
        _("Focus areas"),
        _("Notes"),
        _("Joined by"),
        _("State"),
    ]


def task_row(task: Task) -> list[str]:
    """One task as the cells of its row; the relations should be prefetched."""
    separator = pgettext("list separator", ", ")
    return [
        task.team.name,
        str(task.get_method_display()),
        separator.join(site.name for site in task.sites.all()),
        separator.join(region.name for region in task.regions.all()),
        separator.join(area.name for area in task.focus_areas.all()),
        task.notes,
        separator.join(org.name for org in task.participants.all()),
        str(task.get_state_display()),
    ]


def tasks_workbook(day: date, tasks: Iterable[Task]) -> bytes:
    """A write-only workbook: rows stream out, so a long day does not sit in memory twice."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=day.isoformat())
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for title in task_columns():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for task in tasks:
        row = []
        for value in task_row(task):
            cell = WriteOnlyCell(sheet, value=writable(value))
            # Typed text: a note starting with "=" must stay text, never become a formula.
            cell.data_type = "s"
            cell.alignment = wrap
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
