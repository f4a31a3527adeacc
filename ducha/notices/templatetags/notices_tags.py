from __future__ import annotations

from typing import Any

from django import template

from ducha.notices.inbox import BADGE_CAP, unread_count

register = template.Library()


@register.simple_tag
def unread_badge(user: Any) -> str:
    """The header's unread count: "" for none, "99+" past the cap (one query a request)."""
    count = unread_count(user, cap=BADGE_CAP)
    if not count:
        return ""
    return f"{BADGE_CAP}+" if count > BADGE_CAP else str(count)
