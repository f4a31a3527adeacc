from __future__ import annotations

from typing import Any

from django import template

from ducha.core.scope import roles_of
from ducha.policies.choices import ACTION_ROLES

register = template.Library()


@register.filter
def may_see_policies(user: Any) -> bool:
    return bool(roles_of(user) & ACTION_ROLES["view"])
