from __future__ import annotations

from typing import Any

from django import template

from ducha.core.scope import roles_of
from ducha.orgs.offices import nearest_office
from ducha.referrals.choices import ACTION_ROLES, RECEIVER_ROLES
from ducha.referrals.models import Referral

register = template.Library()

# A problem is referred once or twice; the page lists at most this many.
MAX_SHOWN = 20


@register.filter
def may_see_referrals(user: Any) -> bool:
    """Offices, their leaders and the receiving bodies: who refers, tracks and decides."""
    return bool(roles_of(user) & ACTION_ROLES["view"])


@register.filter
def receives_referrals(user: Any) -> bool:
    """Discipline bodies and the police: their work is the referral queue."""
    return bool(roles_of(user) & RECEIVER_ROLES)


@register.inclusion_tag("referrals/_refer_link.html", takes_context=True)
def refer_link(context: Any, problem: Any = None, inspection: Any = None) -> dict[str, Any]:
    """The "refer" button on a problem's or a visit's page, for an office's staff whose
    jurisdiction holds it (the page already proved the reader sees it)."""
    source = problem or inspection
    user = context["request"].user
    office = None if source is None else nearest_office(user, source.region)
    # The referrals already made of it, as far as the reader may open them.
    made = Referral.objects.visible_to(user).select_related("receiver").order_by("referred_at")
    if source is None:
        made = made.none()
    elif problem is not None:
        made = made.filter(problem=problem)
    else:
        made = made.filter(inspection=inspection)
    return {
        "referrals": list(made[:MAX_SHOWN]),
        "show": office is not None,
        "query": f"problem={problem.pk}"
        if problem is not None
        else f"inspection={source.pk}"
        if source is not None
        else "",
    }
