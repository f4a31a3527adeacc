"""Pages of official documents: the list, drafting, the draft editor with its preview,
issuing, and the issued document with its files.

Lists start from `Document.objects.visible_to(user)`; single documents come only through
`access_document`; every change goes through a `do_*` action.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ducha.accounts.choices import SecurityEventKind as Audit
from ducha.accounts.trail import recorded
from ducha.core.forms import run_action
from ducha.core.fulltext import matching_or_characters
from ducha.core.search import parse_query
from ducha.documents import actions
from ducha.documents.access import access_document, allowed_document_actions, may_draft
from ducha.documents.choices import DocAction, Kind
from ducha.documents.downloads import file_response, pdf_available
from ducha.documents.forms import DRAFT_FORMS, DocumentFilterForm, EditForm
from ducha.documents.kinds import compose
from ducha.documents.models import Document, DocumentProblem
from ducha.documents.readers import reader_view
from ducha.problems.access import access_problem


def _form_field(field: str) -> str:
    """The edit form's name for a field the actions name: `texts.<key>` is `text_<key>`."""
    return "text_" + field.removeprefix("texts.") if field.startswith("texts.") else field


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    form = DocumentFilterForm(request.GET or None)
    documents = Document.objects.visible_to(request.user).select_related("issuer", "recipient")
    context: dict[str, Any] = {"form": form, "may_draft": may_draft(request.user)}
    if form.is_bound and not form.is_valid():
        return render(request, "documents/list.html", context | {"page": None}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    if data.get("kind"):
        documents = documents.filter(kind=data["kind"])
    if data.get("state"):
        documents = documents.filter(state=data["state"])
    if data.get("year"):
        documents = documents.filter(year=data["year"])
    if data.get("problem"):
        # Only a problem the user sees may be named on the page.
        context["problem"] = access_problem(request.user, data["problem"])
        documents = documents.filter(listed__problem_id=data["problem"])
    if (query := parse_query(data.get("q") or "")) is not None:
        documents, context["query"] = matching_or_characters(documents, query)
    paginator = Paginator(documents.order_by("-created_at", "-pk"), settings.DUCHA_PAGE_SIZE)
    context["page"] = paginator.get_page(request.GET.get("page"))
    context["filters_open"] = bool(form.active_count)
    return render(request, "documents/list.html", context)


@login_required
def document_new(request: HttpRequest) -> HttpResponse:
    if not may_draft(request.user):
        raise PermissionDenied(_("Your role may not draft documents."))
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind not in DRAFT_FORMS:
        # An urge notice is issued by the ladder (or drafted through the API): no page form.
        kinds = [choice for choice in Kind.choices if choice[0] in DRAFT_FORMS]
        return render(request, "documents/new.html", {"kinds": kinds})
    form_class = DRAFT_FORMS[kind]
    extra = {"problem": request.GET.get("problem")} if kind == Kind.SPECIAL_REPORT else {}
    # Pages that link here may choose some fields already (the dashboard: its region).
    initial = {
        name: value
        for name, value in request.GET.items()
        if name in form_class.base_fields and name not in ("kind", "problem")
    }
    form = form_class(request.POST or None, user=request.user, initial=initial, **extra)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            outcome = run_action(
                request,
                form,
                actions.do_create_draft,
                acting_user=request.user,
                kind=kind,
                issuer=form.cleaned_data["issuer"],
                params=form.params(),
                title=form.cleaned_data.get("title") or "",
                **form.written(),
                aliases=_form_field,
            )
            if outcome.ok:
                messages.success(request, _("The draft was written from the data."))
                return redirect("documents:detail", pk=outcome.result.pk)
            status = outcome.status
    context = {"form": form, "kind": kind, "kind_label": Kind(kind).label}
    return render(request, "documents/new.html", context, status=status)


def _render_detail(
    request: HttpRequest, document: Document, *, form: EditForm | None = None, status: int = 200
) -> HttpResponse:
    allowed = allowed_document_actions(request.user, document)
    if form is None and DocAction.EDIT in allowed:
        form = EditForm(document=document)
    view = reader_view(request.user, document)
    listed = (
        view.listed(DocumentProblem.objects.filter(document=document))
        .select_related("problem")
        .order_by("position")
    )
    context = {
        "document": document,
        "composed": compose(document, view.data),
        "whole": view.whole,
        "form": form,
        "may_issue": DocAction.ISSUE in allowed,
        "listed": listed,
        "files": list(document.files.all()),
        "pdf": pdf_available(),
        "events": document.events.select_related("actor"),
    }
    return render(request, "documents/detail.html", context, status=status)


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, access_document(request.user, pk))


@login_required
@require_POST
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_document(request.user, pk, DocAction.EDIT)
    if document.is_issued:
        messages.error(
            request, _("This document has been issued; an issued document can no longer change.")
        )
        return _render_detail(request, document, status=409)
    form = EditForm(request.POST, document=document)
    if not form.is_valid():
        return _render_detail(request, document, form=form, status=422)
    outcome = run_action(
        request,
        form,
        actions.do_edit_draft,
        document,
        acting_user=request.user,
        title=form.cleaned_data["title"],
        addressee=form.cleaned_data["addressee"],
        copy_to=form.cleaned_data["copy_to"],
        texts=form.texts(),
        refresh=request.POST.get("refresh") == "1",
        aliases=_form_field,
    )
    if outcome.ok:
        messages.success(request, _("The draft was saved."))
        return redirect("documents:detail", pk=pk)
    if outcome.refused_state:
        return _render_detail(request, access_document(request.user, pk), status=outcome.status)
    return _render_detail(request, document, form=form, status=outcome.status)


@login_required
@require_POST
def document_issue(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_document(request.user, pk, DocAction.ISSUE)
    outcome = run_action(
        request, None, actions.do_issue_document, document, acting_user=request.user
    )
    if not outcome.ok:
        return _render_detail(request, access_document(request.user, pk), status=outcome.status)
    issued = outcome.result
    messages.success(request, _("Issued as %(reference)s.") % {"reference": issued.reference})
    return redirect("documents:detail", pk=pk)


@login_required
@require_safe
def document_file(request: HttpRequest, pk: int, file_format: str) -> FileResponse:
    document = access_document(request.user, pk)
    if not document.is_issued:
        raise Http404
    response = file_response(document, file_format, reader_view(request.user, document))
    return recorded(response, request, Audit.DOWNLOAD, "document", id=pk, format=file_format)
