"""Single documents come only through here: 404 for missing and out of scope alike, 403 when
the document is visible but the caller's role may not take the action on it."""

from __future__ import annotations

from typing import Any

from ducha.core.scope import grants_for
from ducha.core.scoping import VIEW, access
from ducha.documents.choices import DOC_ACTION_ROLES, DocAction, DocState
from ducha.documents.models import Document
from ducha.documents.querysets import IssuingOffices
from ducha.orgs.models import Org


def access_document(user: Any, document_id: Any, action: str = VIEW) -> Document:
    return access(Document, user, document_id, action).obj


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
    return IssuingOffices(model=Org).visible_to(user).order_by("depth", "tree_order")


def default_issuer(user: Any) -> Org | None:
    """The user's own office when they may draft for it, else the first one they may."""
    issuers = draftable_issuers(user)
    own = [grant.org_id for grant in grants_for(user) if grant.role in DOC_ACTION_ROLES["draft"]]
    return issuers.filter(pk__in=own).first() or issuers.first()


def may_draft(user: Any) -> bool:
    return draftable_issuers(user).exists()
