from typing import Any

from django import template

from ducha.audit.scope import is_auditor

register = template.Library()


@register.filter
def may_read_audit(user: Any) -> bool:
    """Whether the user menu offers the security audit trail."""
    return is_auditor(user)
