from __future__ import annotations

from typing import Any

from django import template

from ducha.cadres.access import may_keep_lists, may_observe

register = template.Library()


@register.filter
def may_see_cadres(user: Any) -> bool:
    """Team members and organisation departments: nobody else sees the tab."""
    return may_observe(user)


@register.filter
def keeps_cadre_lists(user: Any) -> bool:
    """The organisation department: its work is the observations and the lists."""
    return may_keep_lists(user)
