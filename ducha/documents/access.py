"""Single documents come only through here: 404 for missing and out of scope alike, 403 when
the document is visible but the caller's role may not take the action on it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from ducha.core.scope import grants_for
from ducha.documents.choices import DOC_ACTION_ROLES, DocAction, DocState
from ducha.documents.models import Document
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org
from ducha.orgs.querysets import NOTHING


def access_document(user: Any, document_id: Any, action: str = DocAction.VIEW) -> Document:
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        raise Http404 from None
    roles = Document.objects.roles_on(user, pk)
    if not roles:
        raise Http404
    acting = roles if action == DocAction.VIEW else Document.objects.roles_on(user, pk, action)
    if not acting & DOC_ACTION_ROLES.get(action, frozenset()):
        # Visible, so its existence is no secret; the role simply may not do this.
        raise PermissionDenied(_("Your role may not do this with this document."))
    document = Document.objects.select_related("issuer", "recipient", "issued_by", "created_by")
    found = document.get(pk=pk)
    found.viewer_roles = roles  # type: ignore[attr-defined]
    return found


def allowed_document_actions(user: Any, document: Document) -> list[str]:
    """What the caller may do with the document now (its state considered)."""
    if document.state != DocState.DRAFT:
        return []
    roles = Document.objects.roles_on(user, document.pk, DocAction.EDIT)
    return [
        action for action in (DocAction.EDIT, DocAction.ISSUE) if roles & DOC_ACTION_ROLES[action]
    ]


def draftable_issuers(user: Any) -> Any:
    """Offices in whose name the user may draft: inside the jurisdiction of an office role."""
    condition = NOTHING
    for grant in grants_for(user):
        if grant.role in DOC_ACTION_ROLES[DocAction.DRAFT] and grant.region_path:
            condition |= Q(path__startswith=grant.region_path)
    return Org.objects.filter(kind=OrgKind.OFFICE).filter(condition).order_by("depth", "path")


def default_issuer(user: Any) -> Org | None:
    """The user's own office when they may draft for it, else the first one they may."""
    issuers = draftable_issuers(user)
    own = [grant.org_id for grant in grants_for(user) if grant.role in DOC_ACTION_ROLES["draft"]]
    return issuers.filter(pk__in=own).first() or issuers.first()


def may_draft(user: Any) -> bool:
    return draftable_issuers(user).exists()
