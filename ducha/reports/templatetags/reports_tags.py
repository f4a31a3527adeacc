"""Presentation helpers of the reporting pages: the tabs a role needs."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import Role
from ducha.core.scope import roles_of

register = template.Library()

OFFICE = {Role.OFFICE_STAFF, Role.ADMIN}
# (url name, label, roles that use the page); the order is the order of the tabs.
REPORT_NAV = [
    ("reports:dashboard", _("Dashboard"), set(Role)),
    ("daily:home", _("Daily cycle"), OFFICE | {Role.TEAM_MEMBER, Role.LEADER}),
    ("documents:list", _("Documents"), set(Role)),
]


@register.simple_tag
def report_nav(user: Any) -> list[tuple[str, Any]]:
    """The reporting tabs the user's roles use."""
    roles = roles_of(user)
    tabs = []
    for name, label, wanted in REPORT_NAV:
        if not roles & wanted:
            continue
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        tabs.append((name, label))
    return tabs
