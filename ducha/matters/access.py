"""Single batches and handovers come only through here: 404 for missing and out of scope
alike, 403 for a visible one the caller's roles may not act on."""

from __future__ import annotations

from typing import Any

from ducha.core.scoping import VIEW, access
from ducha.matters.choices import ACTION_ROLES, ALLOWED_FROM
from ducha.matters.models import MatterBatch, MatterHandover


def access_batch(user: Any, batch_id: Any) -> MatterBatch:
    return access(MatterBatch, user, batch_id).obj


def access_handover(user: Any, handover_id: Any, action: str = VIEW) -> MatterHandover:
    return access(MatterHandover, user, handover_id, action).obj


def allowed_actions(user: Any, handover: MatterHandover) -> list[str]:
    """The actions the user may take on this handover now (its state and their roles)."""
    allowed = []
    for action, states in ALLOWED_FROM.items():
        if handover.state not in states:
            continue
        if MatterHandover.objects.roles_on(user, handover.pk, action) & ACTION_ROLES[action]:
            allowed.append(action)
    return allowed
