"""Ledger pages: the export download, the template, uploading, a batch's report and result.

The export reads the problem list's own filter form and applies it to
`Problem.objects.visible_to(user)`, so the file holds exactly what the list shows.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.accounts.choices import SecurityEventKind as Audit
from ducha.accounts.trail import recorded
from ducha.core.forms import run_action
from ducha.ledger import actions, presenters, runs
from ducha.ledger.access import access_import_batch
from ducha.ledger.checks import columns_of
from ducha.ledger.choices import BatchKind, BatchState
from ducha.ledger.conf import ledger_setting
from ducha.ledger.downloads import (
    batch_file_response,
    enterprise_template_response,
    template_response,
    too_many_to_export,
)
from ducha.ledger.exports import export_response, ledger_title
from ducha.ledger.forms import UploadForm
from ducha.ledger.models import ImportBatch
from ducha.problems.filters import ProblemFilter
from ducha.problems.forms import ProblemFilterForm
from ducha.problems.models import Problem

# The report page lists this many errors; the API and the error file have all of them.
ERRORS_ON_PAGE = 500
# …and this many of the enterprises an import created or updated.
ENTERPRISES_ON_PAGE = 200


@login_required
def export(request: HttpRequest) -> HttpResponseBase:
    form = ProblemFilterForm(request.GET or None, user=request.user)
    problems = Problem.objects.visible_to(request.user)
    chosen = ProblemFilter()
    if form.is_bound:
        if not form.is_valid():
            # The list shows what is wrong with the filters.
            return redirect(reverse("problems:list") + "?" + request.GET.urlencode())
        chosen = form.problem_filter()
        problems = chosen.apply(problems)
    refusal = too_many_to_export(problems)
    if refusal:
        messages.error(request, refusal)
        return redirect(reverse("problems:list") + "?" + request.GET.urlencode())
    title = ledger_title(request.user, chosen)
    return recorded(
        export_response(problems, title), request, Audit.EXPORT, "problems", rows=problems.count()
    )


@login_required
def template(request: HttpRequest) -> HttpResponse:
    actions.refuse_unless_may_import(request.user)
    return recorded(template_response(request.user), request, Audit.DOWNLOAD, "ledger_template")


@login_required
def enterprise_template(request: HttpRequest) -> HttpResponse:
    actions.refuse_unless_may_import(request.user, BatchKind.ENTERPRISES)
    response = enterprise_template_response(request.user)
    return recorded(response, request, Audit.DOWNLOAD, "enterprise_ledger_template")


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    """Upload a problem ledger; the batches uploaded before."""
    return _imports(request, BatchKind.PROBLEMS, "ledger/imports.html")


@login_required
def enterprise_imports(request: HttpRequest) -> HttpResponse:
    """Upload an enterprise ledger (复工复产台账); the batches uploaded before."""
    return _imports(request, BatchKind.ENTERPRISES, "ledger/enterprise_imports.html")


def _imports(request: HttpRequest, kind: str, template_name: str) -> HttpResponse:
    actions.refuse_unless_may_import(request.user, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            outcome = run_action(
                request,
                form,
                actions.do_upload_import,
                acting_user=request.user,
                upload=form.cleaned_data["file"],
                kind=kind,
                # Whatever the action says of the upload is said of the file input.
                aliases=lambda field: "file",
            )
            if outcome.ok:
                return redirect("ledger:batch", pk=outcome.result.pk)
            status = outcome.status
    batches = (
        ImportBatch.objects.visible_to(request.user)
        .filter(kind=kind)
        .select_related("uploaded_by")[:50]
    )
    context = {
        "form": form,
        "batches": batches,
        "max_rows": ledger_setting(columns_of(kind).max_rows_setting),
        "max_bytes": ledger_setting("DUCHA_LEDGER_MAX_BYTES"),
    }
    return render(request, template_name, context, status=status)


def _batch_context(request: HttpRequest, batch: ImportBatch) -> dict[str, Any]:
    errors = presenters.row_errors(batch, ERRORS_ON_PAGE)
    return {
        "batch": batch,
        "progress": presenters.progress(batch),
        "percent": presenters.percent(batch),
        "errors": errors,
        "errors_total": len(batch.errors),
        "errors_cut": len(batch.errors) > len(errors),
        "rows_with_errors": presenters.rows_with_errors(batch),
        "failure": presenters.failure(batch),
        # A stopped import that was cancelled or failed keeps the rows of its committed chunks.
        "imported": presenters.imported_problems(batch)
        if batch.state in (BatchState.IMPORTED, BatchState.CANCELLED, BatchState.FAILED)
        and batch.kind == BatchKind.PROBLEMS
        else [],
        "enterprises": presenters.imported_enterprises(batch, ENTERPRISES_ON_PAGE)
        if batch.kind == BatchKind.ENTERPRISES
        else [],
        "enterprises_total": batch.imported_enterprises.count()
        if batch.kind == BatchKind.ENTERPRISES
        else 0,
        "kinds": BatchKind,
        "stopped": runs.is_stale(batch),
        "is_uploader": batch.uploaded_by_id == request.user.pk,
        "states": BatchState,
    }


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access_import_batch(request.user, pk)
    if request.headers.get("HX-Request") and request.GET.get("poll"):
        if batch.is_working:
            return render(request, "ledger/_progress.html", _batch_context(request, batch))
        # Done: the whole page changes (report, buttons, result), so load it again.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "ledger/batch.html", _batch_context(request, batch))


@login_required
@require_POST
def batch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access_import_batch(request.user, pk, "confirm")
    outcome = run_action(request, None, actions.do_confirm_import, batch, acting_user=request.user)
    if not outcome.ok:
        return _render_refused(request, pk, outcome.status)
    batch = outcome.result
    if batch.state == BatchState.IMPORTED:
        messages.success(request, _("The rows were imported."))
    return redirect("ledger:batch", pk=pk)


@login_required
@require_POST
def batch_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access_import_batch(request.user, pk, "cancel")
    outcome = run_action(request, None, actions.do_cancel_import, batch, acting_user=request.user)
    if not outcome.ok:
        return _render_refused(request, pk, outcome.status)
    batch = outcome.result
    if runs.imported_rows(batch).exists():
        messages.success(request, _("The import was stopped; the rows imported before stay."))
    else:
        messages.success(request, _("Nothing was imported from this file."))
    return redirect("ledger:batch", pk=pk)


def _render_refused(request: HttpRequest, pk: int, status: int) -> HttpResponse:
    batch = access_import_batch(request.user, pk)
    return render(request, "ledger/batch.html", _batch_context(request, batch), status=status)


@login_required
def batch_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    response = batch_file_response(access_import_batch(request.user, pk))
    return recorded(response, request, Audit.DOWNLOAD, "ledger_import", id=pk)
