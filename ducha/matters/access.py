"""Single batches and handovers come only through here: 404 for missing and out of scope
alike, 403 for a visible one the caller's roles may not act on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ducha.core.scoping import VIEW, access
from ducha.matters.choices import ALLOWED_FROM
from ducha.matters.models import MatterBatch, MatterHandover


def access_batch(user: Any, batch_id: Any) -> MatterBatch:
    return access(MatterBatch, user, batch_id).obj


def access_handover(user: Any, handover_id: Any, action: str = VIEW) -> MatterHandover:
    return access(MatterHandover, user, handover_id, action).obj


def allowed_actions(user: Any, handovers: Sequence[MatterHandover]) -> dict[int, list[str]]:
    """The actions the user may take on each handover now (its state and their roles): one
    query per action, however many handovers a batch has."""
    by_state: dict[str, list[int]] = {}
    for handover in handovers:
        by_state.setdefault(handover.state, []).append(handover.pk)
    allowed: dict[int, list[str]] = {handover.pk: [] for handover in handovers}
    for action, states in ALLOWED_FROM.items():
        ids = [pk for state in states for pk in by_state.get(state, [])]
        if not ids:
            continue
        reached = MatterHandover.objects.visible_to(user, action).filter(pk__in=ids)
        for pk in reached.values_list("pk", flat=True):
            allowed[pk].append(action)
    return allowed
