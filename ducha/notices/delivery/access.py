"""Who sets up an org's group robots and reads its delivery log: its office staff and its
system administrators, for the orgs their grants of those roles reach (a county office: the
county's orgs). Anything else answers 404, as missing (docs/decisions/0002)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ducha.accounts.choices import Role
from ducha.accounts.models import Membership
from ducha.core.scope import grants_for, is_active_user
from ducha.core.scoping import NOTHING, any_of, within
from ducha.notices.delivery.models import Delivery, OrgChannel
from ducha.orgs.models import Org

CHANNEL_ROLES = frozenset({Role.OFFICE_STAFF, Role.SYSTEM_ADMIN})


def _paths(user: Any) -> list[str]:
    return [g.region_path or g.org_path for g in grants_for(user) if g.role in CHANNEL_ROLES]


def may_administer_channels(user: Any) -> bool:
    return is_active_user(user) and (user.is_superuser or bool(_paths(user)))


def require_administrator(user: Any) -> Any:
    """The lists (robots, log) and adding a robot: 403 for a role that sets up none."""
    if not may_administer_channels(user):
        raise PermissionDenied(
            _("Only an office's staff or system administrators may set up group robots.")
        )
    return user


def _reach(user: Any, prefix: str = "") -> Q:
    if not is_active_user(user):
        return NOTHING
    if user.is_superuser:
        return Q()
    return any_of(within(path, prefix) for path in _paths(user))


def administered_orgs(user: Any) -> QuerySet[Org]:
    return Org.objects.filter(_reach(user))


def channels_of(user: Any) -> QuerySet[OrgChannel]:
    return OrgChannel.objects.filter(_reach(user, "org__")).select_related("org")


def access_channel(user: Any, pk: Any) -> OrgChannel:
    channel = channels_of(user).filter(pk=pk).first() if pk else None
    if channel is None:
        raise Http404
    return channel


def log_of(user: Any) -> QuerySet[Delivery]:
    """Deliveries through the administered orgs' robots, or to their members."""
    members = Membership.objects.filter(_reach(user, "org__")).values("user_id")
    reach = _reach(user, "robot__org__") | Q(notification__recipient_id__in=members)
    if not may_administer_channels(user):
        return Delivery.objects.none()
    return Delivery.objects.filter(reach)
