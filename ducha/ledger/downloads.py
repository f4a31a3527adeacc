"""Responses that carry files: the template, a stored upload, and the export's size check."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ducha.ledger.conf import ledger_setting
from ducha.ledger.enterprise_template import enterprise_template_workbook
from ducha.ledger.models import ImportBatch
from ducha.ledger.template import template_workbook
from ducha.ledger.xlsx import XLSX_CONTENT_TYPE


def template_response(user: Any) -> HttpResponse:
    response = HttpResponse(template_workbook(user), content_type=XLSX_CONTENT_TYPE)
    name = pgettext("ledger file name", "problem-import-template.xlsx")
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


def enterprise_template_response(user: Any) -> HttpResponse:
    response = HttpResponse(enterprise_template_workbook(user), content_type=XLSX_CONTENT_TYPE)
    name = pgettext("ledger file name", "enterprise-import-template.xlsx")
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


def batch_file_response(batch: ImportBatch) -> FileResponse:
    response = FileResponse(
        batch.file.open("rb"),
        as_attachment=True,
        filename=batch.original_name or "ledger.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def too_many_to_export(problems: QuerySet) -> str | None:
    """Why this list cannot go into one sheet, or None when it can."""
    limit = ledger_setting("DUCHA_LEDGER_EXPORT_MAX_ROWS")
    # One row more than the limit is enough to know; no need to count a whole province.
    if problems.order_by()[limit : limit + 1].exists():
        return _("More than %(limit)s problems match: narrow the filters to export them.") % {
            "limit": limit
        }
    return None
