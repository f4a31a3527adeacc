from __future__ import annotations

from typing import Any

from django import template

from ducha.core.scope import roles_of
from ducha.matters.choices import ACTION_ROLES

register = template.Library()


@register.filter
def may_see_matters(user: Any) -> bool:
    """Offices and their leaders: who hands matters down, receives and tracks them."""
    return bool(roles_of(user) & ACTION_ROLES["view"])
