"""GET /api/v1/field/bundle: what the offline field app keeps on a phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ducha.accounts.models import Membership, User
from ducha.fieldwork import actions, bundle
from ducha.fieldwork.models import Task
from ducha.orgs.models import Team
from tests.fieldwork.domain.factory import item, plan, screening, tomorrow
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def _ids(data) -> set[int]:
    return {task["id"] for task in data["tasks"]}


def test_a_member_gets_the_teams_tasks_of_today_and_tomorrow_with_their_checklist(world, api_as):
    question = item(world, "卡口是否逐车登记")
    named = actions.do_add_checklist_item(
        acting_user=world.users["county_office"],
        focus_area=screening(),
        office=world.orgs["county_office"],
        text="是否配备测温设备",
        proposed_title="卡口无测温设备",
    )
    today = plan(world, day=timezone.localdate(), notes="夜间")
    later = plan(world)
    secret_of_the_team = plan(world, method="unannounced")
    after = plan(world, day=tomorrow() + timedelta(days=1))
    cancelled = plan(world)
    actions.do_cancel_task(cancelled, acting_user=world.users["county_office"], reason="雨")
    others = plan(world, by="sibling_office", team="sibling_team", site="sibling_market")

    response = api_as("county_team_member").get("/field/bundle")

    assert response.status_code == 200, response.content
    data = response.json()
    assert _ids(data) == {today.pk, later.pk, secret_of_the_team.pk}
    assert after.pk not in _ids(data) and cancelled.pk not in _ids(data)
    assert others.pk not in _ids(data)
    assert data["user"]["id"] == world.users["county_team_member"].pk
    assert data["days"] == [timezone.localdate().isoformat(), tomorrow().isoformat()]
    first = next(task for task in data["tasks"] if task["id"] == today.pk)
    assert first["notes"] == "夜间" and first["named_sites"] is True
    assert first["sites"] == [world.sites["checkpoint"].pk]
    assert set(first["items"]) == {question.pk, named.pk}
    assert first["members"] == [
        {"id": world.users["county_team_member"].pk, "name": "区督查组组员"}
    ]
    titles = {row["id"]: row["problem_title"] for row in data["checklist"]}
    assert titles == {question.pk: "卡口未逐车登记", named.pk: "卡口无测温设备"}
    assert [site["name"] for site in data["sites"]] == ["双桥区高速卡口"]
    assert [area["id"] for area in data["focus_areas"]] == [screening().pk]
    assert data["truncated"] is False


def test_a_secret_visit_never_reaches_a_phone_that_may_not_see_it(world, api_as):
    secret = plan(world, method="unannounced")
    open_task = plan(world)
    # Another team of the same office, with a member of its own.
    other = Team.objects.create(
        name="双桥区第二督查组", kind="joint", dispatched_by=world.orgs["county_office"]
    )
    other.regions.add(world.orgs["county"])
    member = User.objects.create_user("second_member", password=PASSWORD, name="第二组组员")
    Membership.objects.create(user=member, org=world.orgs["county_office"], role="team_member")
    other.members.add(member)
    theirs = plan(world, team="county_team", site="checkpoint")
    world.teams["second"] = other
    own = plan(world, team="second", confirm_overlap=True)

    client = Client()
    assert client.login(username="second_member", password=PASSWORD)
    second = client.get("/api/v1/field/bundle").json()
    assert _ids(second) == {own.pk}
    # The office above sees the open visits into its area, never the county's secret one.
    city = api_as("city_office").get("/field/bundle").json()
    assert secret.pk not in _ids(city)
    assert {open_task.pk, theirs.pk} <= _ids(city)
    # The planning office itself does see it.
    assert secret.pk in _ids(api_as("county_office").get("/field/bundle").json())


def test_the_bundle_is_bounded_and_says_so(world, api_as, monkeypatch):
    monkeypatch.setattr(bundle, "MAX_TASKS", 2)
    tasks = [plan(world) for _ in range(3)]
    data = api_as("county_team_member").get("/field/bundle").json()
    assert _ids(data) == {tasks[0].pk, tasks[1].pk}
    assert data["truncated"] is True


def test_the_bundle_needs_a_caller(world, anonymous, api_as):
    plan(world)
    assert anonymous.get("/field/bundle").status_code == 401
    assert api_as("outsider").get("/field/bundle").json()["tasks"] == []
    assert api_as("county_handler").get("/field/bundle").json()["tasks"] == []
    assert Task.objects.count() == 1
