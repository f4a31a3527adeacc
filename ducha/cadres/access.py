"""Single observations and candidates come only through here: 404 for missing and out of
scope alike, and every opening of a named cadre's record written to the audit trail."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ducha.accounts.audit import record
from ducha.accounts.choices import SecurityEventKind
from ducha.cadres.choices import CANDIDATE_ROLES, OBSERVER_ROLES
from ducha.cadres.models import CadreCandidate, CadreObservation
from ducha.core.scope import roles_of
from ducha.core.scoping import VIEW, access


def _read(request: HttpRequest, user: Any, kind: str, obj: Any) -> None:
    # Who opened whose record, and when: the person named is not a user, so the record's
    # kind and id stand in for the account concerned.
    record(
        SecurityEventKind.PERSONAL_RECORD_READ,
        request=request,
        actor=user,
        record=kind,
        record_id=obj.pk,
    )


def open_observation(request: HttpRequest, user: Any, pk: Any) -> CadreObservation:
    observation = access(CadreObservation, user, pk).obj
    _read(request, user, "cadre_observation", observation)
    return observation


def open_candidate(request: HttpRequest, user: Any, pk: Any, action: str = VIEW) -> CadreCandidate:
    candidate = access(CadreCandidate, user, pk, action).obj
    if action == VIEW:
        _read(request, user, "cadre_candidate", candidate)
    return candidate


def may_observe(user: Any) -> bool:
    """Team members and organisation departments record observations."""
    return bool(roles_of(user) & OBSERVER_ROLES)


def may_keep_lists(user: Any) -> bool:
    return bool(roles_of(user) & CANDIDATE_ROLES[VIEW])
