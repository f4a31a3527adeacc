"""Single policies come only through here: 404 for missing and out of scope alike, 403 for a
visible one the caller may not act on."""

from __future__ import annotations

from typing import Any

from ducha.core.scope import roles_of
from ducha.core.scoping import VIEW, access
from ducha.policies.choices import ACTION_ROLES, PolicyAction
from ducha.policies.models import Policy


def access_policy(user: Any, policy_id: Any, action: str = VIEW) -> Policy:
    return access(Policy, user, policy_id, action).obj


def may_adopt(user: Any) -> bool:
    return bool(ACTION_ROLES[PolicyAction.ADOPT] & roles_of(user))


def may_link(user: Any, policy: Policy) -> bool:
    return Policy.objects.visible_to(user, PolicyAction.LINK).filter(pk=policy.pk).exists()


def may_attach(user: Any, policy: Policy) -> bool:
    return Policy.objects.visible_to(user, PolicyAction.ATTACH).filter(pk=policy.pk).exists()
