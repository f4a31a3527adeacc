"""The demo accounts worth trying first: one per role at every level that matters.

docs/demo.md carries the same table; a test keeps the two in step.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ducha.accounts.choices import Role
from ducha.accounts.models import Membership, User
from ducha.orgs.models import Team

LOGINS = [
    "admin",
    # Hebei: province, city, county
    "hebei.office",
    "hebei.leader",
    "hebei.xingtai",
    "chengde.office",
    "neiqiu.office",
    "neiqiu.handler",
    "tangshan.organisation",
    # Chengdu Hi-tech Zone
    "chengdu.office",
    "chengdu.leader",
    "chengdu.command",
    "chengdu.discipline",
    "chengdu.police",
    "chengdu.handler",
    "chengdu.team7",
    "chengdu.admin",
    "chengdu.security",
    "chengdu.audit",
    # Hui'an County
    "huian.office",
    "huian.leader",
    "huian.command",
    "huian.discipline",
    "huian.joint3",
    "huian.handler",
    # Tianjin Hebei District
    "tianjin.hebei.office",
    "tianjin.hebei.team1",
    "tianjin.hebei.handler",
    # Luohe
    "luohe.office",
    "luohe.command",
    "luohe.handler",
]


def describe(user: User) -> tuple[str, str]:
    """The user's roles and where they hold them, as the login table shows them."""
    if user.is_superuser:
        return _("Superuser"), _("Django admin site")
    roles: list[str] = []
    places: list[str] = []
    memberships = Membership.objects.filter(user=user).select_related("org").order_by("pk")
    for membership in memberships:
        label = str(Role(membership.role).label)
        if membership.role == Role.TEAM_MEMBER:
            teams = Team.objects.filter(members=user, dispatched_by=membership.org)
            place = "、".join(team.name for team in teams)
        else:
            place = membership.org.name
        if label not in roles:
            roles.append(label)
        if place not in places:
            places.append(place)
    return " / ".join(roles), " / ".join(places)


def login_rows() -> list[tuple[str, str, str]]:
    users = {user.username: user for user in User.objects.filter(username__in=LOGINS)}
    return [(name, *describe(users[name])) for name in LOGINS if name in users]
