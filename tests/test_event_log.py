"""The event log is append-only through every path the application offers."""

import pytest

from ducha.problems import actions
from ducha.problems.models import ImmutableEventError, ProblemEvent

pytestmark = pytest.mark.django_db


def test_every_action_writes_exactly_one_event_with_actor_and_states(world):
    problem = world.problem()
    office, handler = world.users["county_office"], world.users["county_handler"]
    problem = actions.do_assign(
        problem, acting_user=office, responsible_org=world.orgs["county_dept"]
    )
    problem = actions.do_submit_rectification(problem, acting_user=handler, text="已整改")
    problem = actions.do_verify(problem, acting_user=office, accept=True, comment="属实")
    rows = list(problem.events.values_list("action", "actor__username", "from_state", "to_state"))
    assert rows == [
        ("create", "county_office", "", "new"),
        ("assign", "county_office", "new", "assigned"),
        ("submit_rectification", "county_handler", "assigned", "rectified"),
        ("verify_accept", "county_office", "rectified", "closed"),
    ]


def test_an_event_cannot_be_changed_or_deleted(world):
    event = world.problem().events.get()
    event.comment = "改写历史"
    with pytest.raises(ImmutableEventError):
        event.save()
    with pytest.raises(ImmutableEventError):
        event.delete()
    with pytest.raises(ImmutableEventError):
        ProblemEvent.objects.filter(pk=event.pk).update(comment="改写历史")
    with pytest.raises(ImmutableEventError):
        ProblemEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.comment == ""


def test_a_refused_action_leaves_no_trace(world):
    problem = world.problem()
    with pytest.raises(actions.TransitionRefused):
        actions.do_verify(problem, acting_user=world.users["county_office"], accept=True)
    problem.refresh_from_db()
    assert problem.state == "new"
    assert problem.events.count() == 1


def test_the_database_itself_refuses_to_rewrite_events(world):
    from django.db import DatabaseError, connection, transaction

    event = world.problem().events.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE problems_problemevent SET comment = %s WHERE id = %s", ["改写", event.pk]
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM problems_problemevent WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.comment == ""
