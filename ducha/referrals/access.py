"""Single referrals come only through here: 404 for missing and out of scope alike, 403 for
a visible one the caller may not act on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ducha.core.scoping import VIEW, access
from ducha.referrals.choices import ALLOWED_FROM
from ducha.referrals.models import Referral


def access_referral(user: Any, referral_id: Any, action: str = VIEW) -> Referral:
    return access(Referral, user, referral_id, action).obj


def allowed_actions(user: Any, referrals: Sequence[Referral]) -> dict[int, list[str]]:
    """The actions the user may take on each referral now (its state and their roles): one
    query per action, however many referrals."""
    allowed: dict[int, list[str]] = {referral.pk: [] for referral in referrals}
    for action, states in ALLOWED_FROM.items():
        ids = [referral.pk for referral in referrals if referral.state in states]
        if not ids:
            continue
        reached = Referral.objects.visible_to(user, action).filter(pk__in=ids)
        for pk in reached.values_list("pk", flat=True):
            allowed[pk].append(action)
    return allowed
