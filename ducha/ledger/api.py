"""Excel ledgers over the API: export a filtered list, the import template, import batches.

Runtime annotations (no `from __future__ import annotations`): ninja reads the multipart
and query parameters from the signatures.
"""

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from ducha.accounts.auth import caller
from ducha.accounts.choices import SecurityEventKind as Audit
from ducha.accounts.trail import recorded
from ducha.core.errors import InvalidInput
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS
from ducha.ledger import actions
from ducha.ledger import schemas as s
from ducha.ledger.access import access_import_batch
from ducha.ledger.choices import BatchKind, BatchState
from ducha.ledger.downloads import (
    batch_file_response,
    enterprise_template_response,
    template_response,
    too_many_to_export,
)
from ducha.ledger.exports import export_response, ledger_title
from ducha.ledger.models import ImportBatch
from ducha.problems.api import list_filter
from ducha.problems.models import Problem
from ducha.problems.schemas import ProblemListQuery

router = Router(tags=["ledger"])

XLSX_RESPONSE = {
    "200": {
        "description": "An Excel workbook (.xlsx).",
        "content": {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}
            }
        },
    }
}


@router.get(
    "/ledger/export",
    response=READ_ERRORS,
    openapi_extra={"responses": XLSX_RESPONSE},
    url_name="ledger_export",
)
def export_problems(
    request: HttpRequest, filters: Query[ProblemListQuery]
) -> StreamingHttpResponse:
    """Every problem GET /problems would list for the same filters, as an Excel ledger.

    `page` and `page_size` are accepted and ignored: the file holds all matching problems.
    """
    user = caller(request)
    chosen = list_filter(user, filters)
    problems = chosen.apply(Problem.objects.visible_to(user))
    refusal = too_many_to_export(problems)
    if refusal:
        raise InvalidInput(refusal, "q")
    title = ledger_title(user, chosen)
    return recorded(
        export_response(problems, title), request, Audit.EXPORT, "problems", rows=problems.count()
    )


@router.get(
    "/ledger/template",
    response=WRITE_ERRORS,
    openapi_extra={"responses": XLSX_RESPONSE},
    url_name="ledger_template",
)
def import_template(request: HttpRequest) -> HttpResponse:
    """The import template, with the caller's regions, sites, teams and units for reference."""
    user = caller(request)
    actions.refuse_unless_may_import(user)
    return recorded(template_response(user), request, Audit.DOWNLOAD, "ledger_template")


@router.get(
    "/ledger/enterprise-template",
    response=WRITE_ERRORS,
    openapi_extra={"responses": XLSX_RESPONSE},
    url_name="ledger_enterprise_template",
)
def enterprise_import_template(request: HttpRequest) -> HttpResponse:
    """The enterprise ledger's import template (复工复产台账), with the caller's regions and
    supervising bodies for reference."""
    user = caller(request)
    actions.refuse_unless_may_import(user, BatchKind.ENTERPRISES)
    response = enterprise_template_response(user)
    return recorded(response, request, Audit.DOWNLOAD, "enterprise_ledger_template")


@router.post("/ledger/imports", response={201: s.BatchOut, **WRITE_ERRORS})
def upload_import(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """Upload a ledger (.xlsx). Small files come back checked (`validated`, with the report);
    larger ones come back `uploaded` while a worker checks them: poll the batch."""
    batch = actions.do_upload_import(acting_user=caller(request), upload=file)
    return Status(201, s.batch_data(_fresh(caller(request), batch.pk)))


@router.post("/ledger/enterprise-imports", response={201: s.BatchOut, **WRITE_ERRORS})
def upload_enterprise_import(
    request: HttpRequest, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """Upload an enterprise ledger (.xlsx): one enterprise or project per row, with its
    statuses. Checked and confirmed like a problem ledger, through the same batch endpoints."""
    user = caller(request)
    batch = actions.do_upload_import(acting_user=user, upload=file, kind=BatchKind.ENTERPRISES)
    return Status(201, s.batch_data(_fresh(user, batch.pk)))


@router.get("/ledger/imports", response={200: s.BatchList, **READ_ERRORS})
def list_imports(request: HttpRequest) -> dict[str, Any]:
    """Your own import batches, and for office staff those of their jurisdiction."""
    batches = ImportBatch.objects.visible_to(caller(request)).select_related("uploaded_by")[:200]
    items = [s.batch_item(batch) for batch in batches]
    return {"count": len(items), "items": items}


@router.get("/ledger/imports/{batch_id}", response={200: s.BatchOut, **READ_ERRORS})
def get_import(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    """One batch: its state, progress, the check's report, and the problems it created."""
    return s.batch_data(access_import_batch(caller(request), batch_id))


@router.post(
    "/ledger/imports/{batch_id}/confirm",
    response={200: s.BatchOut, 202: s.BatchOut, **WRITE_ERRORS},
)
def confirm_import(request: HttpRequest, batch_id: int) -> Status[dict[str, Any]]:
    """Import the rows without errors, all or none. 202 while a worker imports them.
    Confirming again changes nothing."""
    user = caller(request)
    batch = access_import_batch(user, batch_id, "confirm")
    batch = actions.do_confirm_import(batch, acting_user=user)
    code = 202 if batch.state == BatchState.IMPORTING else 200
    return Status(code, s.batch_data(_fresh(user, batch.pk)))


@router.post("/ledger/imports/{batch_id}/cancel", response={200: s.BatchOut, **WRITE_ERRORS})
def cancel_import(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    """Import nothing from this file."""
    user = caller(request)
    batch = access_import_batch(user, batch_id, "cancel")
    actions.do_cancel_import(batch, acting_user=user)
    return s.batch_data(_fresh(user, batch.pk))


@router.get(
    "/ledger/imports/{batch_id}/file",
    response=READ_ERRORS,
    openapi_extra={"responses": XLSX_RESPONSE},
    url_name="ledger_import_file",
)
def import_file(request: HttpRequest, batch_id: int) -> FileResponse:
    """The file as it was uploaded."""
    response = batch_file_response(access_import_batch(caller(request), batch_id))
    return recorded(response, request, Audit.DOWNLOAD, "ledger_import", id=batch_id)


def _fresh(user: Any, batch_pk: int) -> ImportBatch:
    return access_import_batch(user, batch_pk)
