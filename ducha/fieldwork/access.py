"""Single field-work objects come only through here: 404 for missing and out of scope alike,
403 when the object is visible but the caller's role may not take the action on it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils.translation import gettext as _

from ducha.core.scoping import VIEW, access, scoped
from ducha.fieldwork.choices import FIELD_ACTION_ROLES, FieldAction
from ducha.fieldwork.models import ChecklistItem, Evidence, Inspection, Meeting, Revisit, Task


def access_checklist_item(user: Any, item_id: Any, action: str = VIEW) -> ChecklistItem:
    item = access(ChecklistItem, user, item_id, action).obj
    if action == FieldAction.EDIT_CHECKLIST and not (
        ChecklistItem.objects.editable_by(user).filter(pk=item.pk).exists()
    ):
        # Shared lists and lists of offices above are read here, changed where they belong.
        raise PermissionDenied(_("Only the office that owns this checklist may change it."))
    return item


def access_meeting(user: Any, meeting_id: Any, action: str = VIEW) -> Meeting:
    return access(Meeting, user, meeting_id, action).obj


def access_task(user: Any, task_id: Any, action: str = VIEW) -> Task:
    return access(Task, user, task_id, action).obj


def access_inspection(user: Any, inspection_id: Any, action: str = VIEW) -> Inspection:
    return access(Inspection, user, inspection_id, action).obj


def access_revisit(user: Any, revisit_id: Any, action: str = VIEW) -> Revisit:
    return access(Revisit, user, revisit_id, action).obj


def access_evidence(user: Any, evidence_id: Any, action: str = VIEW) -> Evidence:
    return access(Evidence, user, evidence_id, action).obj


# What a problem's close event says about the revisit it scheduled.
REVISIT_KEYS = frozenset({"revisit", "revisit_due_on"})


def without_hidden_revisits(user: Any, events: list[Any]) -> list[Any]:
    """Problem events as the user may read them: a revisit they may not see yet (the
    inspected unit's, a sample drawn by another office) is left out of the payloads."""
    named = {
        e.payload["revisit"]
        for e in events
        if isinstance(e.payload, dict) and e.payload.get("revisit")
    }
    if not named:
        return events
    visible = set(
        Revisit.objects.visible_to(user).filter(pk__in=named).values_list("pk", flat=True)
    )
    for event in events:
        if isinstance(event.payload, dict) and event.payload.get("revisit") not in visible | {None}:
            # In memory only: the event row itself stays as recorded.
            event.payload = {k: v for k, v in event.payload.items() if k not in REVISIT_KEYS}
    return events


def allowed_field_actions(user: Any, obj: Model, roles: frozenset[str] | None = None) -> list[str]:
    """Field-work actions the caller's roles permit on this object (state not considered).

    `roles` are the caller's roles on it when they are already known (`Access.roles`)."""
    if roles is None:
        roles = scoped(type(obj)).roles_on(user, obj.pk)
    return [
        action
        for action, allowed in FIELD_ACTION_ROLES.items()
        if action != FieldAction.VIEW and roles & allowed
    ]
