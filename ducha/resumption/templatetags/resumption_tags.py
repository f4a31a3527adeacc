"""The tab of the 复工复产 ledger, for the roles that read it."""

from __future__ import annotations

from typing import Any

from django import template

from ducha.resumption.access import may_view

register = template.Library()


@register.filter
def may_see_resumption(user: Any) -> bool:
    return may_view(user)
