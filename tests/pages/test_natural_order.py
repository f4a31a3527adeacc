"""Natural order: teams by the number in their name, regions by their administrative code."""

from __future__ import annotations

import re

import pytest

from ducha.fieldwork.models import Task
from ducha.orgs.models import Org, Team
from ducha.orgs.natural import chinese_number, natural_key
from tests.fieldwork.domain.factory import plan, tomorrow
from tests.fieldwork.pages.helpers import task_ids
from tests.pages.helpers import text

pytestmark = pytest.mark.django_db


def _numbered_teams(world) -> dict[str, Team]:
    """第十组, 第二组 and 第一组 of the county office, made in that order."""
    teams = {}
    for name in ("第十组", "第二组", "第一组"):
        team = Team.objects.create(
            name=name, kind="joint", dispatched_by=world.orgs["county_office"]
        )
        team.regions.add(world.orgs["county"])
        teams[name] = world.teams[name] = team
    return teams


def _options(html: str, name: str) -> list[str]:
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select {name}"
    return [value for value in re.findall(r'<option value="(\d+)"', match.group(1))]


def _offered_teams(client) -> list[str]:
    """The teams the plan form's team picker offers, in the lookup's order."""
    form = text(client.get("/field/tasks/new/"))
    assert 'data-lookup="/api/v1/lookup/teams"' in form or "/api/v1/lookup/teams" in form
    response = client.get("/api/v1/lookup/teams", {"q": "组", "active": "true"})
    assert response.status_code == 200, response.content
    return [str(item["id"]) for item in response.json()["items"]]


def _offered_regions(client, q: str) -> list[int]:
    response = client.get("/api/v1/lookup/regions", {"q": q})
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def _checkboxes(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="checkbox" name="{name}" value="(\d+)"', html)


def test_numbers_in_names_sort_as_numbers():
    assert [chinese_number(t) for t in ("十", "十一", "二十", "二十三", "一百零五")] == [
        10,
        11,
        20,
        23,
        105,
    ]
    names = ["第十组", "第二组", "第十一组", "第一组", "12组", "3组", "第二十组"]
    assert sorted(names, key=natural_key) == [
        "3组",
        "12组",
        "第一组",
        "第二组",
        "第十组",
        "第十一组",
        "第二十组",
    ]


def test_the_plan_form_and_the_day_sheet_list_teams_by_number(world, login):
    teams = _numbered_teams(world)
    for name in ("第十组", "第一组", "第二组"):
        plan(world, team=name, confirm_overlap=True)
    client = login(world, "county_office")

    order = [str(teams[name].pk) for name in ("第一组", "第二组", "第十组")]
    listed = [pk for pk in _offered_teams(client) if pk in order]
    assert listed == order

    sheet = client.get(f"/field/day/{tomorrow():%Y-%m-%d}/")
    named = {task.pk: task.team.name for task in Task.objects.select_related("team")}
    assert [named[pk] for pk in task_ids(sheet)] == ["第一组", "第二组", "第十组"]


def test_a_renamed_team_moves_to_its_new_place(world, login):
    teams = _numbered_teams(world)
    teams["第十组"].name = "第一点五组"
    teams["第十组"].save(update_fields=["name"])
    teams["第一组"].name = "第三组"
    teams["第一组"].save()
    offered = _offered_teams(login(world, "county_office"))
    # Now 第一点五组, 第二组 and 第三组.
    wanted = [str(teams[name].pk) for name in ("第十组", "第二组", "第一组")]
    assert [pk for pk in offered if pk in wanted] == wanted
    assert Team.objects.get(pk=teams["第十组"].pk).sort_key == natural_key("第一点五组")


def test_regions_are_listed_by_their_code(world, login):
    county = world.orgs["county"]
    # Made out of code order, and with names whose character order is not the code's.
    later = Org.objects.create(
        kind="region", name="牛圈子沟镇", level=4, parent=county, code="130802103"
    )
    earlier = Org.objects.create(
        kind="region", name="狮子沟镇", level=4, parent=county, code="130802101"
    )
    town = world.orgs["town"]  # 水泉沟镇, 130802100

    client = login(world, "city_office")
    # The plan form picks its regions through the regions lookup, which lists them level by
    # level, each level in the order of the codes.
    assert "/api/v1/lookup/regions" in text(client.get("/field/tasks/new/"))
    listed = _offered_regions(client, "沟镇")
    ours = [pk for pk in listed if pk in {town.pk, earlier.pk, later.pk}]
    assert ours == [town.pk, earlier.pk, later.pk]
    # The county itself comes before its towns (a level up), its sibling after it.
    listed = _offered_regions(client, "双")
    assert listed.index(county.pk) < listed.index(world.orgs["sibling"].pk)


def test_a_region_whose_code_changes_takes_its_subtree_along(world, login):
    county, sibling = world.orgs["county"], world.orgs["sibling"]
    county.code = "130899"  # now after 双滦区 (130803)
    county.save()
    listed = _offered_regions(login(world, "city_office"), "双")
    assert listed.index(sibling.pk) < listed.index(county.pk)
    # Its town follows it in the stored administrative order, after the sibling's subtree.
    in_order = Org.objects.filter(pk__in=[sibling.pk, county.pk, world.orgs["town"].pk])
    assert list(in_order.order_by("tree_order").values_list("pk", flat=True)) == [
        sibling.pk,
        county.pk,
        world.orgs["town"].pk,
    ]
