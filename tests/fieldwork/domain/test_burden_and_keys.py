from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.fieldwork import actions
from ducha.fieldwork.models import Inspection
from ducha.fieldwork.overlap import site_burden
from ducha.orgs.models import Site
from ducha.problems.models import Problem
from tests.fieldwork.domain.factory import fail, inspect, item, plan

pytestmark = pytest.mark.django_db


def test_burden_counts_each_visit_once_per_week_and_names_the_visitor(world):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    inspect(world, [], visited_at=timezone.now())
    inspect(
        world,
        [],
        by="province_team_member",
        team="province_team",
        visited_at=timezone.now() - timedelta(days=7),
    )
    sites = Site.objects.filter(pk=world.sites["checkpoint"].pk)
    [burden] = site_burden(sites, 3)
    assert [week.monday for week in burden.weeks] == [
        monday - timedelta(weeks=2),
        monday - timedelta(weeks=1),
        monday,
    ]
    assert [week.count for week in burden.weeks] == [0, 1, 1]
    assert burden.weeks[1].visits[0].office == "河北省大督查办"
    assert burden.weeks[2].visits[0].team == "双桥区督查组"
    assert burden.total == 2
    assert burden.weeks[2].label == f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"


def test_burden_leaves_out_secret_visits_unless_the_viewer_may_see_them(world):
    today = timezone.localdate()
    plan(world, by="province_office", team="province_team", method="unannounced", day=today)
    sites = Site.objects.filter(pk=world.sites["checkpoint"].pk)
    assert site_burden(sites, 1)[0].total == 0
    assert site_burden(sites, 1, viewer=world.users["county_office"])[0].total == 0
    assert site_burden(sites, 1, viewer=world.users["province_office"])[0].total == 1


def test_two_submissions_with_one_key_racing_leave_one_inspection(world, monkeypatch):
    question = item(world)
    key = uuid.uuid4()
    first = inspect(world, [fail(question)], client_key=key)
    # The second request passed the early check before the first one committed.
    real = actions.existing_inspection
    calls = []

    def late(client_key, acting_user):
        calls.append(client_key)
        return None if len(calls) == 1 else real(client_key, acting_user)

    monkeypatch.setattr(actions, "existing_inspection", late)
    again = inspect(world, [fail(question)], client_key=key)
    assert again.pk == first.pk
    assert Inspection.objects.count() == 1
    assert Problem.objects.count() == 1


def test_an_inspection_close_to_another_teams_visit_keeps_it_in_its_event(world):
    from ducha.fieldwork.models import FieldEvent

    other = inspect(world, [], by="province_team_member", team="province_team")
    mine = inspect(world, [])
    event = FieldEvent.objects.get(action="record_inspection", inspection=mine)
    assert [(o["kind"], o["id"]) for o in event.payload["overlaps"]] == [("inspection", other.pk)]
