"""Who reads the security audit trail, and which of its events each reader sees.

Only an audit administrator (审计管理员) or a superuser reads it: not the system or security
administrator (三员分立). An audit administrator sees the events whose actor or account
concerned is an account they administer (`administered_users`: wholly inside their
jurisdiction, never themselves), and an audit administrator at the top of the tree (a
province: Ducha has no national org) also the events of no account at all, such as failed
logins of names that are no account. A superuser sees every event.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ducha.accounts.administration import administered_users
from ducha.accounts.choices import Role
from ducha.accounts.models import SecurityEvent
from ducha.core.audit_hooks import refused
from ducha.core.scope import grants_for, is_active_user
from ducha.orgs.choices import RegionLevel


def is_auditor(user: Any) -> bool:
    if not is_active_user(user):
        return False
    return user.is_superuser or any(g.role == Role.AUDIT_ADMIN for g in grants_for(user))


def require_auditor(user: Any) -> None:
    """Refuse anyone else the way other role pages do (403 with the reason)."""
    if not is_auditor(user):
        raise PermissionDenied(_("Only the audit administrator may read the audit trail."))


def require_chain_auditor(user: Any) -> None:
    """The chains cover every jurisdiction's rows, so their verification (row counts, the
    first broken row) is for a superuser or an audit administrator at the top of the tree."""
    require_auditor(user)
    if not (user.is_superuser or sees_accountless(user)):
        raise PermissionDenied(
            _(
                "The chains cover every jurisdiction: only a province's audit administrator "
                "verifies them."
            )
        )


def sees_accountless(user: Any) -> bool:
    """Whether the user sees events with no account (a root-level audit administrator)."""
    return any(
        g.role == Role.AUDIT_ADMIN and g.region_level == RegionLevel.PROVINCE
        for g in grants_for(user)
    )


def events_for(user: Any) -> QuerySet[SecurityEvent]:
    events = SecurityEvent.objects.all()
    if not is_auditor(user):
        return events.none()
    if user.is_superuser:
        return events
    accounts = administered_users(user, Role.AUDIT_ADMIN).values("pk")
    reach = Q(actor__in=accounts) | Q(subject__in=accounts)
    if sees_accountless(user):
        reach |= Q(actor__isnull=True, subject__isnull=True)
    return events.filter(reach)


def access_event(user: Any, pk: int) -> SecurityEvent:
    """One event the user may read; 404 for missing and out of scope alike (for anyone who
    is no audit administrator too: an id says nothing to them). An existing event refused
    is itself recorded, as the access helper's refusals are."""
    event = events_for(user).select_related("actor", "subject").filter(pk=pk).first()
    if event is None:
        refused(SecurityEvent, user, pk)
        raise Http404
    return event
