"""Policies (政策措施) over JSON: the kinds waiting for a policy, a kind's problems, the list,
one policy, adopting one for chosen problems, linking more, and the issued document's file
(sent as multipart, fetched as a download). Refusals match the pages' (decision 0015).

Runtime annotations (no `from __future__ import annotations`): ninja reads each endpoint's
body schema from its signature.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile

from ducha.accounts.auth import caller
from ducha.accounts.choices import SecurityEventKind as Audit
from ducha.accounts.trail import recorded
from ducha.core.multipart import refuse_unknown_fields
from ducha.core.schemas import READ_ERRORS, WRITE_ERRORS, Body, ErrorOut, PageOut, PageQuery, Ref
from ducha.core.search import FullTextSearch, parse_query
from ducha.core.text import Line, LongText, Title
from ducha.policies import actions as do
from ducha.policies import choosers
from ducha.policies.access import access_policy, may_adopt, may_attach, may_link
from ducha.policies.choices import PolicyAction
from ducha.policies.files import file_response
from ducha.policies.kinds import waiting_kinds, waiting_problems
from ducha.policies.models import Policy, PolicyDocument
from ducha.problems.models import Problem

router = Router(tags=["policies"])


class PolicyKindOut(Schema):
    focus_area: int
    name: str
    count: int
    oldest: datetime


class KindQuery(PageQuery):
    q: FullTextSearch = ""


class WaitingProblemOut(Schema):
    id: int
    title: str
    region: Ref
    found_at: datetime
    version: int


class WaitingPage(PageOut):
    items: list[WaitingProblemOut]


class PolicyAdoptIn(Body):
    title: Title = ""
    text: LongText = ""
    issuing_body: int
    issued_on: date | None = None
    reference: Line = ""
    problems: list[int] = []
    # The version of each problem as the caller read it (`version` of the kind's list): a
    # problem changed since is refused with 412 and nothing is recorded.
    expected_versions: dict[int, int] = {}


class PolicyLinkIn(Body):
    problems: list[int] = []
    expected_versions: dict[int, int] = {}


class PolicyEventOut(Schema):
    action: str
    actor: str
    created_at: datetime
    problems: list[int]
    # The file's name, when the event attached the issued document.
    document: str | None


class PolicyItem(Schema):
    id: int
    title: str
    issuing_body: Ref
    issued_on: date
    reference: str
    focus_area: Ref
    problem_count: int


class PolicyDocumentUrls(Schema):
    file: str
    download: str


class PolicyDocumentOut(Schema):
    name: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime
    urls: PolicyDocumentUrls


class PolicyDetail(PolicyItem):
    text: str
    etag: str
    # The issued document's file as last attached, or null.
    document: PolicyDocumentOut | None
    # The linked problems the caller may see (a unit sees its own among them).
    problems: list[int]
    events: list[PolicyEventOut]
    allowed_actions: list[str]


class PolicyPage(PageOut):
    items: list[PolicyItem]


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": obj.name}


def _item(policy: Policy) -> dict[str, Any]:
    return {
        "id": policy.pk,
        "title": policy.title,
        "issuing_body": _ref(policy.issuing_body),
        "issued_on": policy.issued_on,
        "reference": policy.reference,
        "focus_area": _ref(policy.focus_area),
        "problem_count": policy.links.count(),
    }


def etag(policy: Policy) -> str:
    return f'"{policy.pk}-{policy.version}"'


def _document(policy: Policy, row: PolicyDocument | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "name": row.original_name,
        "content_type": row.content_type,
        "size": row.size,
        "sha256": row.sha256,
        "created_at": row.created_at,
        "urls": {
            "file": reverse("api:policy_document", args=[policy.pk]),
            "download": reverse("policies:document", args=[policy.pk]),
        },
    }


def _allowed(user: Any, policy: Policy) -> list[str]:
    allowed: list[str] = [PolicyAction.LINK] if may_link(user, policy) else []
    return allowed + ([PolicyAction.ATTACH] if may_attach(user, policy) else [])


def _detail(user: Any, policy_id: int) -> dict[str, Any]:
    policy = Policy.objects.select_related("issuing_body", "focus_area").get(pk=policy_id)
    problems = Problem.objects.visible_to(user).filter(pk__in=policy.links.values("problem"))
    return {
        **_item(policy),
        "text": policy.text,
        "etag": etag(policy),
        "document": _document(policy, policy.document),
        "problems": list(problems.order_by("pk").values_list("pk", flat=True)),
        "events": [
            {
                "action": event.action,
                "actor": str(event.actor),
                "created_at": event.created_at,
                "problems": event.payload.get("problems", []),
                "document": event.payload.get("document_name"),
            }
            for event in policy.events.select_related("actor").order_by("created_at", "pk")
        ],
        "allowed_actions": _allowed(user, policy),
    }


@router.get("/policies/kinds", response={200: list[PolicyKindOut], **READ_ERRORS})
def list_kinds(request: HttpRequest, filters: Query[KindQuery]) -> list[dict[str, Any]]:
    """Kinds of common problems waiting for a policy (no rule, no policy), by focus area, the
    longest waiting first; `q` narrows them to problems holding the words."""
    user = caller(request)
    return [
        {"focus_area": k.focus_area_id, "name": k.name, "count": k.count, "oldest": k.oldest}
        for k in waiting_kinds(user, parse_query(filters.q))
    ]


@router.get("/policies/kinds/{focus_area_id}", response={200: WaitingPage, **READ_ERRORS})
def list_kind(
    request: HttpRequest, focus_area_id: int, filters: Query[KindQuery]
) -> dict[str, Any]:
    """One kind's problems waiting for a policy, oldest first."""
    user = caller(request)
    rows = waiting_problems(user, parse_query(filters.q)).filter(focus_area_id=focus_area_id)
    page = rows.select_related("region").order_by("found_at", "pk")
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [
            {
                "id": p.pk,
                "title": p.title,
                "region": _ref(p.region),
                "found_at": p.found_at,
                "version": p.version,
            }
            for p in page[filters.offset : filters.offset + filters.page_size]
        ],
    }


@router.get("/policies", response={200: PolicyPage, **READ_ERRORS})
def list_policies(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    """Policies the caller may see, the latest issued first."""
    user = caller(request)
    rows = Policy.objects.visible_to(user)
    page = rows.select_related("issuing_body", "focus_area").order_by("-issued_on", "-pk")
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_item(p) for p in page[filters.offset : filters.offset + filters.page_size]],
    }


@router.post("/policies", response={201: PolicyDetail, **WRITE_ERRORS, 412: ErrorOut})
def adopt_policy(request: HttpRequest, payload: PolicyAdoptIn) -> Status[dict[str, Any]]:
    """研究出台政策措施: a command HQ records a measure for chosen common problems of one kind;
    each takes it as its lasting rule (建). Problems not common, out of scope, of another
    kind, already ruled or already answered, none or too many: 422 naming `problems`."""
    user = caller(request)
    if not may_adopt(user):
        raise PermissionDenied(_("Only a command HQ adopts a policy."))
    policy = do.do_adopt_policy(
        acting_user=user,
        title=payload.title,
        text=payload.text,
        issuing_body=choosers.ISSUING_BODY.pick(payload.issuing_body, user),
        issued_on=payload.issued_on,
        reference=payload.reference,
        problem_ids=payload.problems,
        expected_versions=payload.expected_versions,
    )
    return Status(201, _detail(user, policy.pk))


@router.get("/policies/{policy_id}", response={200: PolicyDetail, **READ_ERRORS})
def get_policy(request: HttpRequest, policy_id: int) -> dict[str, Any]:
    """One policy: its text, the problems it answers that the caller sees, its log."""
    user = caller(request)
    return _detail(user, access_policy(user, policy_id).pk)


@router.post(
    "/policies/{policy_id}/actions/link",
    response={200: PolicyDetail, **WRITE_ERRORS, 412: ErrorOut},
    operation_id="policy_link",
)
def link_problems(
    request: HttpRequest,
    policy_id: int,
    payload: PolicyLinkIn,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000),
) -> dict[str, Any]:
    """More problems of the policy's kind take its rule (建), each with its own event."""
    user = caller(request)
    policy = access_policy(user, policy_id, PolicyAction.LINK)
    version = _matched_version(policy, if_match)
    do.do_link_problems(
        policy,
        acting_user=user,
        problem_ids=payload.problems,
        expected_versions=payload.expected_versions,
        expected_version=version,
    )
    return _detail(user, policy.pk)


def _matched_version(policy: Policy, if_match: str | None) -> int | None:
    """The version the caller's If-Match names (412 when it names another), or None."""
    if if_match is None or if_match.strip() == "*":
        return None
    if etag(policy) not in {tag.strip() for tag in if_match.split(",")}:
        raise do.stale_version()
    return policy.version


@router.post(
    "/policies/{policy_id}/actions/attach",
    response={200: PolicyDetail, **WRITE_ERRORS, 412: ErrorOut},
    operation_id="policy_attach",
)
def attach_document(
    request: HttpRequest,
    policy_id: int,
    document: File[UploadedFile | None] = None,
    if_match: str | None = Header(None, alias="If-Match", max_length=1000),
) -> dict[str, Any]:
    """Attach the issued document's file (multipart field `document`: a PDF without scripts,
    actions or embedded files, or a Word .docx without macros, controls or embedded objects;
    at most DUCHA_POLICY_DOCUMENT_MAX_BYTES), or replace the one attached. A refused file:
    422 naming `document`, nothing stored."""
    user = caller(request)
    policy = access_policy(user, policy_id, PolicyAction.ATTACH)
    refuse_unknown_fields(request, {"document"})
    do.do_attach_policy_document(
        policy,
        acting_user=user,
        document=document,
        expected_version=_matched_version(policy, if_match),
    )
    return _detail(user, policy.pk)


@router.get("/policies/{policy_id}/document", response=READ_ERRORS, url_name="policy_document")
def get_document(request: HttpRequest, policy_id: int) -> FileResponse:
    """The issued document's file, always as a download; 404 when none is attached."""
    policy = access_policy(caller(request), policy_id)
    row = policy.document
    if row is None:
        raise Http404
    response = file_response(row)
    return recorded(response, request, Audit.DOWNLOAD, "policy_document", id=policy.pk, file=row.pk)


__all__ = ["router"]
