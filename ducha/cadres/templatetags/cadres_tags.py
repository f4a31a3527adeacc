from __future__ import annotations

from typing import Any

from django import template

from ducha.cadres.access import may_observe

register = template.Library()


@register.filter
def may_see_cadres(user: Any) -> bool:
    """Team members and organisation departments: nobody else sees the tab."""
    return may_observe(user)
