"""Serving evidence files to those who may see their inspection or problem.

Uploaded content is never rendered as a page of ours: every answer carries `nosniff` and a
sandboxing Content-Security-Policy, and the file itself always comes as a download. Only the
thumbnail is shown inline; it is a small picture we encoded ourselves from decoded pixels,
so nothing the uploader wrote survives in it, and pages need it inline to show previews.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from ducha.accounts.choices import SecurityEventKind as Audit
from ducha.accounts.trail import recorded
from ducha.fieldwork.access import access_evidence
from ducha.fieldwork.evidence import download_name
from ducha.fieldwork.models import Evidence

SANDBOX_POLICY = "default-src 'none'; sandbox"


def file_response(evidence: Evidence, *, thumbnail: bool = False) -> FileResponse:
    """The stored file (or its thumbnail) with the headers that keep it inert."""
    stored = evidence.thumbnail if thumbnail else evidence.file
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not thumbnail,
        filename=download_name(evidence),
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cache-Control"] = "private"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_safe
@login_required
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    response = file_response(access_evidence(request.user, evidence_id))
    return recorded(response, request, Audit.DOWNLOAD, "evidence", id=evidence_id)


@require_safe
@login_required
def evidence_thumbnail(request: HttpRequest, evidence_id: int) -> FileResponse:
    return file_response(access_evidence(request.user, evidence_id), thumbnail=True)


# Included under /field/ in the `fieldwork` namespace.
evidence_urlpatterns: list[URLPattern] = [
    path("evidence/<int:evidence_id>/", evidence_file, name="evidence"),
    path("evidence/<int:evidence_id>/thumb/", evidence_thumbnail, name="evidence_thumb"),
]
