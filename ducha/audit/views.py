"""The audit administrator's pages: the security audit trail, one event, and its export.

Every read and export is itself an audit event (AUDIT_READ, with the filters), so the
reading of the trail leaves a trace for whoever audits the auditor (a superuser).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ducha.accounts.audit import record
from ducha.accounts.choices import SecurityEventKind
from ducha.audit import exports
from ducha.audit.forms import AuditFilterForm
from ducha.audit.scope import access_event, events_for, require_auditor

PAGE_SIZE = 50
FORMATS = {"csv": exports.csv_response, "xlsx": exports.xlsx_response}


def _detail(detail: dict[str, Any]) -> list[tuple[str, str]]:
    """The detail's entries as text: strings as they are, the rest as JSON."""
    return [
        (key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        for key, value in sorted(detail.items())
    ]


def _label(kind: str) -> str:
    return str(dict(SecurityEventKind.choices).get(kind, kind))


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, Any]:
    form = AuditFilterForm(request.GET or None)
    events = events_for(request.user)
    if form.is_bound and form.is_valid():
        events = form.apply(events)
    return form, events


@require_safe
@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    require_auditor(request.user)
    form, events = _filtered(request)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "audit/list.html", context, status=400)
    before = form.cleaned_data.get("before") if form.is_bound else None
    rows = events.select_related("actor", "subject").order_by("-pk")
    if before:
        rows = rows.filter(pk__lt=before)
    page = list(rows[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    filters = form.filters() if form.is_bound else {}
    record(
        SecurityEventKind.AUDIT_READ,
        request=request,
        page="list",
        filters=filters,
        before=before,
        rows=len(page),
    )
    context |= {
        "events": [(event, _label(event.kind)) for event in page],
        "next_before": page[-1].pk if more else None,
        "first_page": not before,
        "filters_open": bool(filters),
    }
    return render(request, "audit/list.html", context)


@require_safe
@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # No role check first: the id names an object, so everyone else gets 404 like a missing one.
    event = access_event(request.user, pk)
    record(SecurityEventKind.AUDIT_READ, request=request, page="detail", id=event.pk)
    context = {"event": event, "label": _label(event.kind), "detail": _detail(event.detail)}
    return render(request, "audit/detail.html", context)


@require_safe
@login_required
def event_export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    require_auditor(request.user)
    respond = FORMATS.get(file_format)
    if respond is None:
        raise Http404
    form, events = _filtered(request)
    back = reverse("audit:list") + ("?" + request.GET.urlencode() if request.GET else "")
    if form.is_bound and not form.is_valid():
        context = {"form": form}
        return render(request, "audit/list.html", context, status=400)
    refusal = exports.too_many(events)
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    filters = form.filters() if form.is_bound else {}
    rows = min(events.count(), exports.export_limit())
    record(
        SecurityEventKind.AUDIT_READ,
        request=request,
        page="export",
        format=file_format,
        filters=filters,
        rows=rows,
    )
    return respond(events)
