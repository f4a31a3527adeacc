"""Planning a task and starting a visit pick the team, the sites and the regions by name: a
province office sees thousands of each. A visit lists its sites while they are few."""

from __future__ import annotations

import re

import pytest

from ducha.fieldwork.forms import LISTED_SITES
from ducha.fieldwork.models import Task
from ducha.orgs.models import Site, Team
from tests.fieldwork.domain.factory import screening
from tests.fieldwork.pages.test_tasks import form as task_form
from tests.pickers.conftest import village
from tests.pickers.helpers import drawn, errors, offered, page_text, picker

pytestmark = pytest.mark.django_db


def clinic(world, name: str = "第九村卫生室") -> Site:
    return Site.objects.create(name=name, kind="hospital", region=world.orgs["town"])


def test_a_task_picks_its_team_sites_and_regions(world, login):
    far = village(world.orgs["town"], "第九村")
    site = clinic(world)
    client = login(world, "county_office")
    page = client.get("/field/tasks/new/")
    assert picker(page, "team") == ("/api/v1/lookup/teams", {"active": ["true"]})
    assert picker(page, "sites") == ("/api/v1/lookup/sites", {})
    assert picker(page, "regions") == ("/api/v1/lookup/regions", {})
    assert drawn(page, "sites") == [] and drawn(page, "regions") == []
    assert far.name not in page_text(page) and site.name not in page_text(page)
    assert offered(client, page, "sites", "第九") == [site.pk]
    assert offered(client, page, "regions", "第九") == [far.pk]
    assert offered(client, page, "team") == [world.teams["county_team"].pk]

    for field, wrong in (
        ("team", world.teams["sibling_team"].pk),
        ("sites", [world.sites["sibling_market"].pk]),
        ("regions", [world.orgs["sibling"].pk]),
    ):
        refused = client.post("/field/tasks/new/", task_form(world, **{field: wrong}))
        assert refused.status_code == 422 and errors(refused, field), field
    # What is sent back is drawn as chosen, and only what the field takes.
    both = [site.pk, world.sites["sibling_market"].pk]
    refused = client.post("/field/tasks/new/", task_form(world, sites=both))
    assert drawn(refused, "sites") == [str(site.pk)]
    assert world.sites["sibling_market"].name not in page_text(refused)
    assert not Task.objects.exists()

    made = client.post("/field/tasks/new/", task_form(world, sites=[site.pk], regions=[far.pk]))
    assert made.status_code == 302
    task = Task.objects.get()
    assert (list(task.sites.all()), list(task.regions.all())) == ([site], [far])


def test_a_disbanded_team_is_neither_offered_nor_taken(world, login):
    Team.objects.filter(pk=world.teams["county_team"].pk).update(active=False)
    client = login(world, "county_office")
    page = client.get("/field/tasks/new/")
    assert offered(client, page, "team") == []
    refused = client.post("/field/tasks/new/", task_form(world))
    assert refused.status_code == 422 and errors(refused, "team")


def test_a_visit_without_a_task_starts_from_a_picked_team(world, login):
    client = login(world, "county_office")
    team = world.teams["county_team"]
    # The one team the office records for is chosen already.
    alone = client.get("/field/inspections/new/")
    assert drawn(alone, "team") == ["", str(team.pk)]
    other = Team.objects.create(
        name="水泉沟镇专项督查组", kind="special", dispatched_by=world.orgs["county_office"]
    )
    page = client.get("/field/inspections/new/")
    assert picker(page, "team") == ("/api/v1/lookup/teams", {"active": ["true"]})
    assert drawn(page, "team") == [""] and other.name not in page_text(page)
    assert offered(client, page, "team", "督查组") == [team.pk, other.pk]
    start = {"focus_areas": screening().pk}
    away = client.get("/field/inspections/new/", {**start, "team": world.teams["sibling_team"].pk})
    assert away.status_code == 422 and errors(away, "team")
    chosen = client.get("/field/inspections/new/", {**start, "team": world.teams["county_team"].pk})
    assert chosen.status_code == 200 and 'name="visited_at"' in page_text(chosen)


def test_a_visits_sites_are_ticked_while_few_and_picked_when_many(world, login):
    client = login(world, "county_team_member")
    start = {"team": world.teams["county_team"].pk, "focus_areas": screening().pk}
    few = client.get("/field/inspections/new/", start)
    assert 'type="checkbox" name="sites"' in page_text(few)
    assert 'data-picker="/api/v1/lookup/sites"' not in page_text(few)
    for n in range(LISTED_SITES):
        clinic(world, f"第{n}诊所")
    many = client.get("/field/inspections/new/", start)
    county = [str(world.orgs["county"].pk)]
    assert picker(many, "sites") == ("/api/v1/lookup/sites", {"under": county})
    assert not re.search(r"第\d+诊所", page_text(many))
    assert len(offered(client, many, "sites", "诊所")) == LISTED_SITES
