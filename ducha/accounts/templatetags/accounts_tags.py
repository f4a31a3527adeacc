"""Template helpers of the accounts app (the user menu's link to the security console)."""

from __future__ import annotations

from typing import Any

from django import template

from ducha.accounts.security import is_security_admin

register = template.Library()


@register.filter
def may_use_security_console(user: Any) -> bool:
    return is_security_admin(user)
