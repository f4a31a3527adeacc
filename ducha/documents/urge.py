"""The escalation ladder's 催办通知书, issued in the assigning office's name (registered in
`problems.hooks.URGE_NOTICE_ISSUERS` by `DocumentsConfig.ready`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ducha.documents.actions import do_create_draft, do_issue_document
from ducha.documents.choices import Kind
from ducha.orgs.models import Org
from ducha.problems.models import Problem


def issue_urge_notice(
    problem: Problem, *, office: Org, acting_user: Any, now: datetime
) -> dict[str, Any]:
    """Draft and issue the notice at once: numbered from the office's own series."""
    params = {"problem": problem.pk}
    draft = do_create_draft(
        acting_user=acting_user, kind=Kind.URGE_NOTICE, issuer=office, params=params
    )
    document = do_issue_document(draft, acting_user=acting_user)
    return {"document": document.pk, "document_reference": document.reference}
