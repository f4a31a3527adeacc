"""What a reader may do with an enterprise of the ledger: the actions the detail page
offers and the API lists in `allowed_actions`, from the same rule-book as `access()`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ducha.core.scope import roles_of
from ducha.resumption import choosers, status
from ducha.resumption.actions import rule_for, standing_of
from ducha.resumption.choices import ACTION_ROLES, STATUS_ACTIONS, EnterpriseAction
from ducha.resumption.models import Enterprise


def may_view(user: Any) -> bool:
    return bool(roles_of(user) & ACTION_ROLES["view"])


def may_register(user: Any) -> bool:
    return bool(roles_of(user) & ACTION_ROLES[EnterpriseAction.REGISTER]) and (
        choosers.regions(user).exists()
    )


def may_set_rule(user: Any) -> bool:
    return choosers.rule_regions(user).exists()


def _open_statuses(enterprise: Enterprise) -> set[str]:
    """The changes of status the status rules would take dated today."""
    today = timezone.localdate()
    standing = standing_of(enterprise)
    filing_first = rule_for(enterprise.region).filing_first
    return {
        action
        for action in STATUS_ACTIONS
        if status.refusal(standing, action, today, today=today, filing_first=filing_first) is None
    }


def allowed_actions(user: Any, enterprise: Enterprise) -> list[str]:
    """The actions the user may take on the enterprise as it stands now."""
    roles = Enterprise.objects.roles_on(user, enterprise.pk)
    statuses = _open_statuses(enterprise)
    allowed = []
    for action in (
        EnterpriseAction.EDIT,
        EnterpriseAction.FILE,
        EnterpriseAction.RESUME,
        EnterpriseAction.STOP,
        EnterpriseAction.EXCLUDE,
        EnterpriseAction.INCLUDE,
        EnterpriseAction.RECORD_LEDGER,
        EnterpriseAction.REPORT_NEED,
    ):
        if not roles & ACTION_ROLES[action]:
            continue
        if action in STATUS_ACTIONS and action not in statuses:
            continue
        if action == EnterpriseAction.EXCLUDE and not enterprise.supervised:
            continue
        if action == EnterpriseAction.INCLUDE and enterprise.supervised:
            continue
        allowed.append(action.value)
    return allowed
