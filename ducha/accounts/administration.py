"""Whom an administrator administers: the accounts wholly inside their jurisdiction.

A system, security or audit administrator acts on accounts through their role's grants. An
account that also holds a role outside that jurisdiction is shared with another one, and a
superuser is nobody's to administer, so neither is included; nor is the administrator
themself (nobody unlocks, resets or audits their own account). Superusers administer every
other account.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from ducha.accounts.models import Membership
from ducha.core.scope import grants_for, is_active_user


def jurisdiction_paths(user: Any, role: str) -> list[str]:
    """The tree paths the user's grants of `role` cover."""
    return [g.region_path or g.org_path for g in grants_for(user) if g.role == role]


def administered_users(user: Any, role: str) -> QuerySet:
    users = get_user_model().objects.all()
    if not is_active_user(user):
        return users.none()
    if user.is_superuser:
        return users.exclude(pk=user.pk)
    paths = jurisdiction_paths(user, role)
    if not paths:
        return users.none()
    inside = Q()
    for path in paths:
        inside |= Q(org__path__startswith=path)
    return (
        users.filter(pk__in=Membership.objects.filter(inside).values("user_id"))
        .exclude(pk__in=Membership.objects.exclude(inside).values("user_id"))
        .exclude(is_superuser=True)
        .exclude(pk=user.pk)
    )


def administers(user: Any, role: str, subject: Any) -> bool:
    return administered_users(user, role).filter(pk=subject.pk).exists()
