from __future__ import annotations

from typing import Any

from django import template

from ducha.accountability.choices import NAME_ROLES
from ducha.core.scope import roles_of

register = template.Library()


@register.filter
def may_read_names(user: Any) -> bool:
    """The discipline bodies, leaders and offices: the only roles that read the records."""
    return bool(roles_of(user) & NAME_ROLES)
