"""Deadlines, traffic lights, overdue and time to close."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.problems import actions
from ducha.problems.models import FocusArea, Problem

pytestmark = pytest.mark.django_db


def test_default_deadline_is_three_days_and_urgent_is_one(world):
    normal = world.problem()
    urgent = world.problem(urgency="urgent")
    assert normal.deadline - normal.found_at == timedelta(hours=72)
    assert urgent.deadline - urgent.found_at == timedelta(hours=24)


def test_focus_area_overrides_the_deadlines(world):
    area = FocusArea.objects.get(code="supplies")
    area.deadline_hours, area.urgent_deadline_hours = 48, 6
    area.save()
    normal = world.problem(focus_area=area)
    assert normal.deadline - normal.found_at == timedelta(hours=48)
    urgent = world.problem(focus_area=area, urgency="urgent")
    assert urgent.deadline - urgent.found_at == timedelta(hours=6)


def test_light_turns_yellow_at_the_last_third_and_red_at_the_deadline(world):
    found = timezone.now() - timedelta(hours=1)
    problem = world.problem(found_at=found)
    assert problem.light_at(found + timedelta(hours=47)) == "green"
    assert problem.light_at(found + timedelta(hours=49)) == "yellow"
    assert problem.light_at(found + timedelta(hours=72)) == "red"


def test_lights_and_overdue_are_queryable(world):
    now = timezone.now()
    green = world.problem(title="green", found_at=now - timedelta(hours=1))
    yellow = world.problem(title="yellow", found_at=now - timedelta(hours=60))
    red = world.problem(title="red", found_at=now - timedelta(hours=80))
    problems = Problem.objects.all()
    assert list(problems.with_light("green")) == [green]
    assert list(problems.with_light("yellow")) == [yellow]
    assert list(problems.with_light("red")) == [red]
    assert list(problems.overdue()) == [red]
    assert red.is_overdue and not yellow.is_overdue


def test_a_closed_problem_has_no_light_and_keeps_its_time_to_close(world):
    problem = world.problem(found_at=timezone.now() - timedelta(hours=80), nature="individual")
    problem = actions.do_close_on_spot(
        problem, acting_user=world.users["county_team_member"], evidence="当场整改"
    )
    assert problem.light is None and not problem.is_overdue
    assert problem.closed_late
    assert timedelta(hours=80) <= problem.time_to_close < timedelta(hours=81)
    assert Problem.objects.filter(time_to_close__gte=timedelta(hours=72)).get() == problem


def test_reopen_gives_a_fresh_deadline_measured_from_now(world):
    problem = world.problem(found_at=timezone.now() - timedelta(days=10))
    problem = actions.do_close_on_spot(
        problem, acting_user=world.users["county_office"], evidence="当场整改"
    )
    problem = actions.do_reopen(
        problem, acting_user=world.users["county_office"], reason="回头看发现反弹"
    )
    assert problem.state == "new" and problem.recurring
    assert problem.light == "green"
