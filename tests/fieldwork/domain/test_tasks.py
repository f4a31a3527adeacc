from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.core.errors import InvalidInput, TransitionRefused
from ducha.fieldwork import actions
from ducha.fieldwork.models import FieldEvent, Meeting, Task
from ducha.fieldwork.overlap import VisitOverlap, find_overlaps
from tests.fieldwork.domain.factory import plan, screening, tomorrow

pytestmark = pytest.mark.django_db


def test_meeting_decision_becomes_tomorrows_task_for_the_team(world):
    meeting = actions.do_record_meeting(
        acting_user=world.users["county_office"],
        office=world.orgs["county_office"],
        held_on=timezone.localdate(),
        title="每日会商",
        decisions="明日暗访高速卡口",
    )
    task = plan(world, meeting=meeting)
    member = world.users["county_team_member"]
    assert list(Task.objects.for_member(member, tomorrow())) == [task]
    assert not Task.objects.for_member(member, timezone.localdate()).exists()
    assert list(Task.objects.of_day(world.users["county_office"], tomorrow())) == [task]
    assert list(Meeting.objects.visible_to(member)) == [meeting]
    assert FieldEvent.objects.filter(action="plan_task", task=task, meeting=meeting).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"site": "sibling_market"}, "sites"),
        ({"day": timezone.localdate() - timedelta(days=1)}, "day"),
        ({"team": "sibling_team"}, "team"),
        ({"method": "sneaky"}, "method"),
        ({"by": "county_office", "office": "county_dept"}, "office"),
    ],
)
def test_bad_plans_name_the_field_and_save_nothing(world, change, field):
    with pytest.raises(InvalidInput) as refused:
        plan(world, **change)
    assert refused.value.field == field
    assert not Task.objects.exists()
    assert not FieldEvent.objects.exists()


def test_meeting_in_the_future_is_refused(world):
    with pytest.raises(InvalidInput) as refused:
        actions.do_record_meeting(
            acting_user=world.users["county_office"],
            office=world.orgs["county_office"],
            held_on=timezone.localdate() + timedelta(days=1),
            title="会商",
        )
    assert refused.value.field == "held_on"


def test_second_team_within_window_is_warned_then_may_confirm(world, settings):
    settings.DUCHA_VISIT_WINDOW_DAYS = 3
    first = plan(world)
    day = tomorrow() + timedelta(days=2)
    with pytest.raises(VisitOverlap) as refused:
        plan(world, by="province_office", team="province_team", day=day)
    assert refused.value.status == 409
    [visit] = refused.value.visits
    assert (visit.kind, visit.id, visit.team) == ("task", first.pk, world.teams["county_team"].name)
    confirmed = plan(
        world, by="province_office", team="province_team", day=day, confirm_overlap=True
    )
    event = FieldEvent.objects.get(action="plan_task", task=confirmed)
    assert event.payload["overlaps_confirmed"][0]["id"] == first.pk
    # Outside the window: no warning. The same team: no warning.
    assert not find_overlaps([world.sites["checkpoint"]], tomorrow() + timedelta(days=6))
    seen_by_county = find_overlaps(
        [world.sites["checkpoint"]], tomorrow(), exclude_team=world.teams["county_team"]
    )
    assert [v.id for v in seen_by_county] == [confirmed.pk]


def test_joining_instead_of_a_second_visit(world):
    task = plan(world)
    actions.do_join_task(
        task,
        acting_user=world.users["county_handler"],
        org=world.orgs["county_dept"],
        focus_areas=[screening()],
    )
    assert list(task.participants.all()) == [world.orgs["county_dept"]]
    with pytest.raises(TransitionRefused):
        actions.do_join_task(
            task,
            acting_user=world.users["county_handler"],
            org=world.orgs["county_dept"],
            focus_areas=[screening()],
        )


def test_cancel_needs_a_reason_and_a_planned_task(world):
    task = plan(world)
    with pytest.raises(InvalidInput):
        actions.do_cancel_task(task, acting_user=world.users["county_office"], reason=" ")
    actions.do_cancel_task(task, acting_user=world.users["county_office"], reason="天气")
    assert Task.objects.get(pk=task.pk).state == "cancelled"
    with pytest.raises(TransitionRefused):
        actions.do_cancel_task(task, acting_user=world.users["county_office"], reason="again")


def test_open_visit_from_above_is_seen_by_the_inspected_county(world):
    task = plan(world, by="province_office", team="province_team")
    for key in ("county_office", "county_handler", "city_office", "province_team_member"):
        assert task in Task.objects.visible_to(world.users[key]), key
    for key in ("sibling_office", "sibling_handler", "county_team_member", "other_office"):
        assert task not in Task.objects.visible_to(world.users[key]), key


def test_secret_visit_hidden_from_inspected_and_above_until_done(world):
    task = plan(world, by="province_office", team="province_team", method="unannounced")
    for key in ("province_office", "province_team_member"):
        assert task in Task.objects.visible_to(world.users[key]), key
    for key in ("county_office", "county_handler", "city_office", "county_leader", "town_office"):
        assert task not in Task.objects.visible_to(world.users[key]), key
    # Nor does the inspected county learn of it through an overlap warning.
    assert not find_overlaps(
        [world.sites["checkpoint"]], tomorrow(), viewer=world.users["county_office"]
    )
    Task.objects.filter(pk=task.pk).update(state="done")
    assert task in Task.objects.visible_to(world.users["county_office"])
    assert task in Task.objects.visible_to(world.users["city_office"])
