"""Single field-work objects come only through here: 404 for missing and out of scope alike,
403 when the object is visible but the caller's role may not take the action on it."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext as _

from ducha.fieldwork.choices import FIELD_ACTION_ROLES, FieldAction
from ducha.fieldwork.models import ChecklistItem, Evidence, Inspection, Meeting, Revisit, Task
from ducha.fieldwork.querysets import ScopedQuerySet

M = TypeVar("M", bound=Model)


def _scoped(model: type[Model]) -> ScopedQuerySet:
    # Every field-work model's default manager is built from a ScopedQuerySet.
    return cast(ScopedQuerySet, model._default_manager.all())


def _access(model: type[M], user: Any, object_id: Any, action: str, related: tuple[str, ...]) -> M:
    try:
        pk = int(object_id)
    except (TypeError, ValueError):
        raise Http404 from None
    roles = _scoped(model).roles_on(user, pk)
    if not roles:
        raise Http404
    allowed = FIELD_ACTION_ROLES.get(action, frozenset())
    if action != FieldAction.VIEW and roles & allowed:
        roles_acting = _scoped(model).roles_on(user, pk, action)
    else:
        roles_acting = roles
    if not roles_acting & allowed:
        # Visible, so its existence is no secret; the role simply may not do this.
        raise PermissionDenied(_("Your role may not take this action here."))
    obj = model._default_manager.select_related(*related).get(pk=pk)
    obj.viewer_roles = roles  # type: ignore[attr-defined]
    return obj


def access_checklist_item(user: Any, item_id: Any, action: str = "view") -> ChecklistItem:
    item = _access(ChecklistItem, user, item_id, action, ("focus_area", "office"))
    if action == FieldAction.EDIT_CHECKLIST and not (
        ChecklistItem.objects.editable_by(user).filter(pk=item.pk).exists()
    ):
        # Shared lists and lists of offices above are read here, changed where they belong.
        raise PermissionDenied(_("Only the office that owns this checklist may change it."))
    return item


def access_meeting(user: Any, meeting_id: Any, action: str = "view") -> Meeting:
    return _access(Meeting, user, meeting_id, action, ("office", "created_by"))


def access_task(user: Any, task_id: Any, action: str = "view") -> Task:
    return _access(Task, user, task_id, action, ("office", "team", "meeting", "created_by"))


def access_inspection(user: Any, inspection_id: Any, action: str = "view") -> Inspection:
    return _access(
        Inspection, user, inspection_id, action, ("team", "task", "region", "recorded_by")
    )


def access_revisit(user: Any, revisit_id: Any, action: str = "view") -> Revisit:
    return _access(Revisit, user, revisit_id, action, ("problem", "inspection"))


def access_evidence(user: Any, evidence_id: Any, action: str = "view") -> Evidence:
    return _access(Evidence, user, evidence_id, action, ("inspection", "problem", "uploaded_by"))


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


def allowed_field_actions(user: Any, obj: Model) -> list[str]:
    """Field-work actions the caller's roles permit on this object (state not considered)."""
    roles = getattr(obj, "viewer_roles", None)
    if roles is None:
        roles = _scoped(type(obj)).roles_on(user, obj.pk)
    return [
        action
        for action, allowed in FIELD_ACTION_ROLES.items()
        if action != FieldAction.VIEW and roles & allowed
    ]
