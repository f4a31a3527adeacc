"""The register's tab in the navigation: for the offices, leaders and command HQs that read
a jurisdiction's register."""

from __future__ import annotations

from typing import Any

from django import template

from ducha.accounts.choices import OFFICE_ROLES, Role
from ducha.core.scope import roles_of

register = template.Library()

READERS = OFFICE_ROLES | {Role.LEADER, Role.COMMAND}


@register.filter
def may_see_report_forms(user: Any) -> bool:
    return bool(roles_of(user) & READERS)
