"""The world of the referral tests: the county's police and the city's discipline body join
the shared world (tests/world.py), each with one persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from ducha.accounts.models import Membership, User
from ducha.fieldwork.models import Evidence
from ducha.orgs.models import Org
from ducha.problems.models import Problem
from ducha.referrals import actions
from ducha.referrals.models import Referral
from tests.api.conftest import api_as, field_errors  # noqa: F401
from tests.world import PASSWORD, World

# Org key, kind, name, parent region, persona, role.
BODIES = [
    ("county_police", "police", "双桥区公安分局", "county", "county_police", "police"),
    ("city_discipline", "discipline", "承德市纪委监委", "city", "city_discipline", "discipline"),
    (
        "sibling_discipline",
        "discipline",
        "双滦区纪委监委",
        "sibling",
        "sibling_discipline",
        "discipline",
    ),
    ("town_police", "police", "水泉沟派出所", "town", "town_police", "police"),
]


def add_receiving_bodies(world: World) -> World:
    for key, kind, name, parent, persona, role in BODIES:
        world.orgs[key] = Org.objects.create(kind=kind, name=name, parent=world.orgs[parent])
        user = User.objects.create_user(persona, password=PASSWORD, name=f"{name}干部")
        Membership.objects.create(user=user, org=world.orgs[key], role=role)
        world.users[persona] = user
    return world


@pytest.fixture
def bodies(world: World) -> World:
    return add_receiving_bodies(world)


def evidence_of(world: World, problem: Problem, name: str = "现场照片.pdf") -> Evidence:
    return Evidence.objects.create(
        kind="document",
        file=ContentFile(b"%PDF-1.4 referral test", name="referral.pdf"),
        content_type="application/pdf",
        extension=".pdf",
        size=22,
        sha256="0" * 64,
        original_name=name,
        uploaded_by=world.users["county_office"],
        problem=problem,
    )


def refer(
    world: World,
    *,
    by: str = "county_office",
    to: str = "county_discipline",
    problem: Problem | None = None,
    **kwargs: Any,
) -> Referral:
    return actions.do_refer(
        acting_user=world.users[by],
        problem=problem or world.problem(),
        receiver=world.orgs[to],
        facts=kwargs.pop("facts", "卡口值守人员连续三天脱岗，登记本系事后补填。"),
        **kwargs,
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
