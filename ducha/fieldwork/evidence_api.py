"""Evidence over JSON: upload (multipart), the list of one object's files, the file itself.

Runtime annotations (no `from __future__ import annotations`): ninja reads the multipart
parameters from the signatures.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from ducha.accounts.auth import caller
from ducha.accounts.choices import SecurityEventKind as Audit
from ducha.accounts.trail import recorded
from ducha.core.errors import InvalidInput
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS, Bounded, ErrorOut, Ref, ref
from ducha.fieldwork.access import access_evidence, access_inspection
from ducha.fieldwork.evidence import do_attach_evidence
from ducha.fieldwork.evidence_views import file_response
from ducha.fieldwork.models import Evidence, Inspection
from ducha.problems.access import access_problem
from ducha.problems.choices import PhotoStage
from ducha.problems.models import Problem, ProblemEvent

router = Router(tags=["evidence"])


class EvidenceUrls(Schema):
    file: str
    download: str
    thumbnail: str | None


class EvidenceOut(Schema):
    id: int
    kind: str
    content_type: str
    size: int
    sha256: str
    name: str
    inspection: int | None
    problem: int | None
    problem_event: int | None
    # A rectification report's file: "before" or "after" the fix; "" otherwise.
    stage: str
    uploaded_by: Ref
    uploaded_at: datetime
    urls: EvidenceUrls


class EvidenceList(Schema):
    count: int
    items: list[EvidenceOut]


class EvidenceQuery(Bounded):
    inspection: int | None = None
    problem: int | None = None
    problem_event: int | None = None


def evidence_data(evidence: Evidence) -> dict[str, Any]:
    args = [evidence.pk]
    return {
        "id": evidence.pk,
        "kind": evidence.kind,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "name": evidence.original_name,
        "inspection": evidence.inspection_id,
        "problem": evidence.problem_id,
        "problem_event": evidence.problem_event_id,
        "stage": evidence.stage,
        "uploaded_by": ref(evidence.uploaded_by),
        "uploaded_at": evidence.uploaded_at,
        "urls": {
            "file": reverse("api:evidence_file", args=args),
            "download": reverse("fieldwork:evidence", args=args),
            "thumbnail": (
                reverse("fieldwork:evidence_thumb", args=args) if evidence.thumbnail else None
            ),
        },
    }


def _one_target(values: dict[str, int | None]) -> tuple[str, int]:
    given = [(name, value) for name, value in values.items() if value is not None]
    if len(given) != 1:
        raise InvalidInput(
            _("Give exactly one of inspection, problem or rectification step."), "inspection"
        )
    return given[0]


def _get(model: Any, pk: int) -> Any:
    # A missing object answers like an invisible one: 404, so ids cannot be probed.
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _visible_object(user: Any, name: str, pk: int) -> dict[str, Any]:
    """A filter on one object the user may see; 404 when they may not."""
    if name == "inspection":
        return {"inspection": access_inspection(user, pk)}
    if name == "problem":
        return {"problem": access_problem(user, pk)}
    event = _get(ProblemEvent, pk)
    access_problem(user, event.problem_id)
    return {"problem_event": event}


@router.post("/evidence", response={201: EvidenceOut, **WRITE_ERRORS, 429: ErrorOut})
def upload_evidence(
    request: HttpRequest,
    client_key: Form[UUID],
    file: File[UploadedFile | None] = None,
    inspection: Form[int | None] = None,
    problem: Form[int | None] = None,
    problem_event: Form[int | None] = None,
    stage: Form[PhotoStage | None] = None,
) -> Status[dict[str, Any]]:
    """Attach a photo (JPEG, PNG, WebP; at most DUCHA_IMAGE_MAX_PIXELS) or a PDF (without
    scripts, actions or embedded files) to an inspection, a problem or a rectification
    report (with `stage`: a photo of the state before the fix or after it). Sending the
    same `client_key` again returns the first result. Beyond
    DUCHA_EVIDENCE_UPLOADS_PER_MINUTE files a minute: 429 with Retry-After."""
    user = caller(request)
    name, pk = _one_target(
        {"inspection": inspection, "problem": problem, "problem_event": problem_event}
    )
    if file is None:
        raise InvalidInput(_("This field is required."), "file")
    model = {"inspection": Inspection, "problem": Problem, "problem_event": ProblemEvent}[name]
    evidence = do_attach_evidence(
        acting_user=user,
        upload=file,
        client_key=client_key,
        stage=stage or "",
        **{name: _get(model, pk)},
    )
    evidence = Evidence.objects.select_related("uploaded_by").get(pk=evidence.pk)
    return Status(201, evidence_data(evidence))


@router.get("/evidence", response={200: EvidenceList, **READ_ERRORS})
def list_evidence(request: HttpRequest, filters: Query[EvidenceQuery]) -> dict[str, Any]:
    """The files of one inspection, problem or rectification report."""
    user = caller(request)
    name, pk = _one_target(filters.dict())
    scope = _visible_object(user, name, pk)
    items = (
        Evidence.objects.visible_to(user)
        .filter(**scope)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "pk")
    )
    data = [evidence_data(evidence) for evidence in items]
    return {"count": len(data), "items": data}


@router.get("/evidence/{evidence_id}", response={200: EvidenceOut, **READ_ERRORS})
def get_evidence(request: HttpRequest, evidence_id: int) -> dict[str, Any]:
    return evidence_data(access_evidence(caller(request), evidence_id))


@router.get("/evidence/{evidence_id}/file", response=READ_ERRORS, url_name="evidence_file")
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    """The stored file, always as a download."""
    response = file_response(access_evidence(caller(request), evidence_id))
    return recorded(response, request, Audit.DOWNLOAD, "evidence", id=evidence_id)
