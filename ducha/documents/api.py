"""Official documents over JSON: the scoped list, drafting, editing a draft, issuing, and the
issued files. Lists start from `visible_to`; single documents come through
`access_document`; every change goes through `ducha.documents.actions`."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ducha.accounts.auth import caller
from ducha.accounts.choices import SecurityEventKind as Audit
from ducha.accounts.trail import recorded
from ducha.core.fulltext import matching_or_characters
from ducha.core.lookups import pick
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS
from ducha.core.search import parse_query
from ducha.documents import actions as do
from ducha.documents import schemas as s
from ducha.documents.access import (
    access_document,
    allowed_document_actions,
    default_issuer,
    draftable_issuers,
)
from ducha.documents.choices import DocAction
from ducha.documents.downloads import file_response
from ducha.documents.models import Document
from ducha.documents.readers import reader_view
from ducha.problems.models import Problem

router = Router(tags=["documents"])


def listed_documents(user: Any, filters: Any) -> Any:
    documents = Document.objects.visible_to(user).select_related("issuer", "recipient")
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.state:
        documents = documents.filter(state=filters.state)
    if filters.year:
        documents = documents.filter(year=filters.year)
    if filters.issuer:
        documents = documents.filter(issuer_id=filters.issuer)
    if filters.problem:
        # A problem the caller does not see answers like one that does not exist: nothing.
        seen = Problem.objects.visible_to(user).filter(pk=filters.problem)
        documents = documents.filter(listed__problem__in=seen)
    if (query := parse_query(filters.q)) is not None:
        documents, _query = matching_or_characters(documents, query)
    return documents.order_by("-created_at", "-pk")


def _detail(user: Any, document: Document) -> dict[str, Any]:
    view = reader_view(user, document)
    return s.detail_data(document, allowed_document_actions(user, document), view)


@router.get("/documents", response={200: s.DocumentPage, **READ_ERRORS})
def list_documents(request: HttpRequest, filters: Query[s.DocumentQuery]) -> dict[str, Any]:
    """Documents the caller may read: drafts of their offices, issued ones addressed to them."""
    documents = listed_documents(caller(request), filters)
    page = documents[filters.offset : filters.offset + filters.page_size]
    return {
        "count": documents.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [s.item_data(document) for document in page],
    }


@router.post("/documents", response={201: s.DocumentDetail, **WRITE_ERRORS})
def create_draft(request: HttpRequest, payload: s.DraftIn) -> Status[dict[str, Any]]:
    """Draft a document from the data in the name of an office of the caller's jurisdiction."""
    user = caller(request)
    if payload.issuer is None:
        issuer = default_issuer(user)
        if issuer is None:
            raise PermissionDenied(_("Your role may not draft documents."))
    else:
        if not draftable_issuers(user).exists():
            raise PermissionDenied(_("Your role may not draft documents."))
        issuer = pick(draftable_issuers(user), payload.issuer, "issuer")
    document = do.do_create_draft(
        acting_user=user,
        kind=payload.kind,
        issuer=issuer,
        params=payload.params(),
        title=payload.title,
        addressee=payload.addressee,
        copy_to=payload.copy_to,
        texts=payload.texts,
    )
    return Status(201, _detail(user, access_document(user, document.pk)))


@router.get("/documents/{document_id}", response={200: s.DocumentDetail, **READ_ERRORS})
def get_document(request: HttpRequest, document_id: int) -> dict[str, Any]:
    """One document: its text as it reads, figures, problems named, files and history."""
    user = caller(request)
    return _detail(user, access_document(user, document_id))


@router.patch("/documents/{document_id}", response={200: s.DocumentDetail, **WRITE_ERRORS})
def edit_draft(request: HttpRequest, document_id: int, payload: s.DraftEditIn) -> dict[str, Any]:
    """Change a draft's title, main recipients or texts, or draft its figures again."""
    user = caller(request)
    document = access_document(user, document_id, DocAction.EDIT)
    do.do_edit_draft(
        document,
        acting_user=user,
        title=payload.title,
        addressee=payload.addressee,
        copy_to=payload.copy_to,
        texts=payload.texts,
        refresh=payload.refresh,
    )
    return _detail(user, access_document(user, document_id))


@router.post("/documents/{document_id}/issue", response={200: s.DocumentDetail, **WRITE_ERRORS})
def issue_document(request: HttpRequest, document_id: int) -> dict[str, Any]:
    """Number the draft, state its figures as they are now, and keep it unchanged from then."""
    user = caller(request)
    document = access_document(user, document_id, DocAction.ISSUE)
    do.do_issue_document(document, acting_user=user)
    return _detail(user, access_document(user, document_id))


@router.get(
    "/documents/{document_id}/files/{file_format}",
    response=READ_ERRORS,
    url_name="document_file",
)
def document_file(request: HttpRequest, document_id: int, file_format: str) -> FileResponse:
    """An issued document's file: docx, xlsx (problem lists) or pdf (where rendered)."""
    user = caller(request)
    document = access_document(user, document_id)
    if not document.is_issued:
        raise Http404
    response = file_response(document, file_format, reader_view(user, document))
    return recorded(
        response, request, Audit.DOWNLOAD, "document", id=document_id, format=file_format
    )
