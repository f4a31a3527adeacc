"""A user's jurisdiction, computed once per request from their memberships.

A grant says: this role may act within this part of the tree. Querysets turn grants into
filters (`ducha.core.scoping`), and nothing is visible without a grant: fail-closed.

Core only holds the grants; it does not know memberships or teams. The accounts app computes
them and hands its function over in `AccountsConfig.ready()` (docs/decisions/0002).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Grant:
    role: str
    # The org the membership is held at (for team members: the team's dispatching org).
    org_id: int
    org_path: str
    # The root region of the jurisdiction and its level; None for unit handlers.
    region_id: int | None = None
    region_level: int | None = None
    region_path: str = ""
    team_id: int | None = None
    # The column that carries the region at that level on located rows ("county" …).
    level_field: str = ""


GrantSource = Callable[[Any], tuple[Grant, ...]]

_source: GrantSource | None = None
_CACHE_ATTR = "_ducha_grants"


def use_grant_source(source: GrantSource) -> None:
    """Name the function that computes an active user's grants (the accounts app's)."""
    global _source  # set once, from AppConfig.ready()
    _source = source


def is_active_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def grants_for(user: Any) -> tuple[Grant, ...]:
    if not is_active_user(user):
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        if _source is None:
            raise ImproperlyConfigured("No grant source: is ducha.accounts installed?")
        cached = _source(user)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_grants(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: Any) -> set[str]:
    return {grant.role for grant in grants_for(user)}
