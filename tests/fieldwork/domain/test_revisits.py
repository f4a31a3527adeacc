from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.core.errors import InvalidInput, TransitionRefused
from ducha.fieldwork import actions
from ducha.fieldwork.models import Revisit
from ducha.problems import actions as problem_actions
from ducha.problems.models import Problem

pytestmark = pytest.mark.django_db


def _closed(world, **kwargs) -> Problem:
    problem = world.assigned(**kwargs)
    problem = problem_actions.do_submit_rectification(
        problem, acting_user=world.users["county_handler"], text="已整改"
    )
    return problem_actions.do_verify(problem, acting_user=world.users["county_office"], accept=True)


def test_verified_close_schedules_a_revisit_after_the_focus_areas_days(world):
    problem = _closed(world)
    problem.focus_area.revisit_after_days = 5
    problem.focus_area.save()
    other = _closed(world)
    assert Revisit.objects.get(problem=other).due_on == timezone.localdate() + timedelta(days=5)
    event = other.events.get(action="verify_accept")
    assert event.payload["revisit_due_on"] == (timezone.localdate() + timedelta(days=5)).isoformat()


def test_failed_revisit_reopens_as_recurring_and_cancels_the_others(world):
    problem = _closed(world)
    [scheduled] = Revisit.objects.filter(problem=problem)
    [sampled] = actions.do_draw_revisit_sample(
        acting_user=world.users["county_office"], office=world.orgs["county_office"], size=3, seed=1
    )
    assert sampled.sampled and sampled.due_on == timezone.localdate()
    with pytest.raises(InvalidInput) as refused:
        actions.do_record_revisit(
            sampled, acting_user=world.users["county_team_member"], passed=False, note=""
        )
    assert refused.value.field == "note"
    actions.do_record_revisit(
        sampled, acting_user=world.users["county_team_member"], passed=False, note="又未登记"
    )
    problem.refresh_from_db()
    assert (problem.state, problem.recurring) == ("assigned", True)
    assert Revisit.objects.get(pk=scheduled.pk).state == "cancelled"
    with pytest.raises(TransitionRefused):
        actions.do_record_revisit(
            sampled, acting_user=world.users["county_team_member"], passed=True, note=""
        )


def test_passed_revisit_leaves_the_problem_closed(world):
    problem = _closed(world)
    revisit = Revisit.objects.get(problem=problem)
    actions.do_record_revisit(
        revisit, acting_user=world.users["county_office"], passed=True, note="保持良好"
    )
    problem.refresh_from_db()
    assert problem.state == "closed"
    assert Revisit.objects.get(pk=revisit.pk).state == "passed"


def test_sample_is_of_the_offices_jurisdiction_only_and_bounded(world):
    _closed(world)
    sibling = _closed(world, region="sibling", by="sibling_office", unit="sibling_dept")
    drawn = actions.do_draw_revisit_sample(
        acting_user=world.users["county_office"], office=world.orgs["county_office"], size=10
    )
    assert len(drawn) == 1 and drawn[0].problem_id != sibling.pk
    # Drawn problems are not drawn again while their sampled revisit is due.
    assert not actions.do_draw_revisit_sample(
        acting_user=world.users["county_office"], office=world.orgs["county_office"], size=10
    )
    with pytest.raises(InvalidInput) as refused:
        actions.do_draw_revisit_sample(
            acting_user=world.users["county_office"], office=world.orgs["county_office"], size=0
        )
    assert refused.value.field == "size"


def test_revisits_visible_with_their_problem(world):
    revisit = Revisit.objects.get(problem=_closed(world))
    for key in ("county_office", "city_office", "county_team_member"):
        assert revisit in Revisit.objects.visible_to(world.users[key]), key
    # The inspected unit learns of a revisit once it has happened.
    for key in ("county_handler", "sibling_office", "market_handler", "outsider"):
        assert revisit not in Revisit.objects.visible_to(world.users[key]), key
    actions.do_record_revisit(
        revisit, acting_user=world.users["county_office"], passed=True, note=""
    )
    assert revisit in Revisit.objects.visible_to(world.users["county_handler"])


def test_a_problem_whose_last_sample_is_done_can_be_drawn_again(world):
    problem = _closed(world)
    office = {"acting_user": world.users["county_office"], "office": world.orgs["county_office"]}
    [first] = actions.do_draw_revisit_sample(size=1, **office)
    actions.do_record_revisit(first, acting_user=world.users["county_office"], passed=True, note="")
    # The scheduled revisit is still due; the finished sample does not shield the problem.
    [second] = actions.do_draw_revisit_sample(size=1, **office)
    assert second.problem_id == problem.pk and second.pk != first.pk
