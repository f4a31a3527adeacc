from __future__ import annotations

from typing import Any

import pytest

from ducha.accountability import actions
from ducha.accountability.models import Accountability, AccountabilityKind, Commendation
from ducha.accounts.models import Membership, User
from ducha.orgs.models import Org
from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401
from tests.world import PASSWORD, World

# The roles that must never read a name, whatever their jurisdiction holds.
BLIND = (
    "county_team_member",
    "county_handler",
    "city_command",
    "county_organisation",
    "county_police",
    "county_admin",
    "county_audit_admin",
    "outsider",
)
# Of the readers, those whose jurisdiction does not hold the county.
ELSEWHERE = ("town_office", "sibling_office", "other_office")


def add_blind_roles(world: World) -> World:
    """The county's organisation department and police, which the world lacks."""
    county = world.orgs["county"]
    for key, kind, name in (
        ("county_organisation", "organisation", "双桥区委组织部"),
        ("county_police", "police", "双桥区公安分局"),
    ):
        world.orgs[key] = Org.objects.create(kind=kind, name=name, parent=county)
        user = User.objects.create_user(key, password=PASSWORD, name=name + "干部")
        Membership.objects.create(user=user, org=world.orgs[key], role=kind)
        world.users[key] = user
    return world


@pytest.fixture
def people(world: World) -> World:
    return add_blind_roles(world)


def kind(code: str) -> AccountabilityKind:
    return AccountabilityKind.objects.get(code=code)


def proposed(world: World, by: str = "county_discipline", **kwargs: Any) -> Accountability:
    """An accountability record about a person of the county's 卫健局."""
    kwargs.setdefault("kind", kind("public_criticism"))
    kwargs.setdefault("subject_kind", "person")
    kwargs.setdefault("org", world.orgs["county_dept"])
    kwargs.setdefault("person_name", "周海明")
    kwargs.setdefault("person_post", "卫健局副局长")
    kwargs.setdefault("reason", "卡口登记长期流于形式，整改不力")
    return actions.do_propose_accountability(acting_user=world.users[by], **kwargs)


def commended(world: World, by: str = "county_office", **kwargs: Any) -> Commendation:
    kwargs.setdefault("kind", "advanced")
    kwargs.setdefault("subject_kind", "person")
    kwargs.setdefault("org", world.orgs["county_dept"])
    kwargs.setdefault("person_name", "韩晓琳")
    kwargs.setdefault("reason", "连续值守卡口，登记无遗漏")
    return actions.do_propose_commendation(acting_user=world.users[by], **kwargs)


def client_for(world: World, persona: str) -> Any:
    from django.test import Client

    client = Client()
    assert client.login(username=world.users[persona].username, password=PASSWORD)
    return client
