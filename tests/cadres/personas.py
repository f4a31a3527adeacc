"""Organisation departments (组织部) beside the shared world's personas, and records of cadres
made through the actions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from ducha.accounts.models import Membership, User
from ducha.cadres import actions
from ducha.cadres.models import CadreCandidate, CadreObservation
from ducha.orgs.models import Org
from tests.world import PASSWORD, World

# key: (the department's name, the region it belongs to)
DEPARTMENTS = {
    "county_organisation": ("双桥区委组织部", "county"),
    "city_organisation": ("承德市委组织部", "city"),
    "sibling_organisation": ("双滦区委组织部", "sibling"),
}


def add_organisation(world: World) -> World:
    """Each department and a persona holding its organisation role, under the same key."""
    for key, (name, region) in DEPARTMENTS.items():
        if key in world.users:
            continue
        org = Org.objects.create(kind="organisation", name=name, parent=world.orgs[region])
        world.orgs[key] = org
        user = User.objects.create_user(key, password=PASSWORD, name=f"{name}干部")
        Membership.objects.create(user=user, org=org, role="organisation")
        world.users[key] = user
    return world


def observe(world: World, by: str = "county_team_member", **kwargs: Any) -> CadreObservation:
    """An observation of a cadre of the county's health bureau (default: by its team)."""
    user = world.users[by]
    if by.endswith("_team_member"):
        kwargs.setdefault("team", world.teams[by.removesuffix("_member")])
    kwargs.setdefault("person_name", "周明远")
    kwargs.setdefault("person_post", "卫健局副局长")
    kwargs.setdefault("org", world.orgs["county_dept"])
    kwargs.setdefault("verdict", "outstanding")
    kwargs.setdefault("facts", "连续值守卡口七昼夜，排查登记无一遗漏。")
    kwargs.setdefault("observed_on", timezone.localdate() - timedelta(days=1))
    return actions.do_observe(acting_user=user, **kwargs)


def listed(
    world: World, observation: CadreObservation, by: str = "county_organisation", **kwargs: Any
) -> CadreCandidate:
    kwargs.setdefault("list_kind", "use")
    return actions.do_list_candidate(
        acting_user=world.users[by],
        person_name=observation.person_name,
        person_post=observation.person_post,
        org=observation.org,
        observations=[observation],
        reasons=kwargs.pop("reasons", "一线表现突出，群众认可。"),
        **kwargs,
    )
