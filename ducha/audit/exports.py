"""The audit trail as CSV or Excel: the filtered events, newest first, up to a row limit."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import SecurityEvent

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs text starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def export_limit() -> int:
    return int(settings.DUCHA_AUDIT_EXPORT_MAX_ROWS)


def too_many(events: QuerySet) -> str | None:
    """Why these events cannot be exported at once, or None."""
    limit = export_limit()
    if events.order_by()[limit : limit + 1].exists():
        return _("More than %(limit)s events match: narrow the filters to export them.") % {
            "limit": limit
        }
    return None


def headers() -> list[str]:
    return [
        _("No."),
        _("Time"),
        _("Event"),
        _("Event code"),
        _("By"),
        _("Account concerned"),
        _("User name"),
        _("IP address"),
        _("User agent"),
        _("Path"),
        _("Detail"),
    ]


def _account(user: Any) -> str:
    if user is None:
        return ""
    name = getattr(user, "name", "")
    return f"{user.get_username()} ({name})" if name else user.get_username()


def event_row(event: SecurityEvent) -> list[Any]:
    labels = dict(SecurityEventKind.choices)
    return [
        event.pk,
        timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        str(labels.get(event.kind, event.kind)),
        event.kind,
        _account(event.actor),
        _account(event.subject),
        event.username,
        event.address or "",
        event.user_agent,
        event.path,
        json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
    ]


def _rows(events: QuerySet) -> Iterator[list[Any]]:
    bounded = events.select_related("actor", "subject").order_by("-pk")[: export_limit()]
    for event in bounded.iterator(chunk_size=CHUNK):
        yield event_row(event)


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that Excel reads the Chinese as UTF-8
    yield writer.writerow(headers())
    for row in rows:
        yield writer.writerow([_safe(value) for value in row])


def filename(extension: str) -> str:
    return f"audit-trail-{timezone.localdate():%Y%m%d}.{extension}"


def csv_response(events: QuerySet) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(_rows(events)), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename("csv"))
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(events: QuerySet) -> HttpResponse:
    """A write-only workbook: rows go to a temporary file, not memory, up to the limit."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Audit trail"))
    sheet.append(headers())
    for row in _rows(events):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename("xlsx"))
    response["Cache-Control"] = "private, no-store"
    return response
