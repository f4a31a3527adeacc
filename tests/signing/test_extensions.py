"""延期: the unit asks for a later deadline; the office of the problem's scope decides."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ducha.problems.choices import Action
from ducha.problems.models import Extension, ExtensionState
from tests.matrix.harness import client_for
from tests.signing.helpers import assert_rollups_true, fresh, later, page_moment, written

pytestmark = pytest.mark.django_db


def _request_page(client, problem, **data):
    body = {"version": fresh(problem).version, **data}
    return client.post(f"/problems/{problem.pk}/act/request_extension/", body)


def _decide_page(client, problem, **data):
    body = {"version": fresh(problem).version, **data}
    return client.post(f"/problems/{problem.pk}/act/decide_extension/", body)


def _requested(world, api_as, hours_after_deadline: float = 48):
    problem = world.assigned()
    wanted = (problem.deadline + timedelta(hours=hours_after_deadline)).replace(microsecond=0)
    response = api_as("county_handler").act(
        problem, "request_extension", deadline=wanted.isoformat(), reason="需采购设备"
    )
    assert response.status_code == 200, response.content
    return fresh(problem), wanted


def test_request_on_the_page_then_approve_on_the_api(world, api_as):
    problem = world.assigned()
    wanted = later(24 * 6)
    handler = client_for(world, "county_handler")
    response = _request_page(handler, problem, deadline=page_moment(wanted), reason="需采购设备")
    assert response.status_code == 302
    extension = Extension.objects.get(problem=problem)
    assert extension.state == ExtensionState.REQUESTED
    assert extension.requested_deadline == wanted
    assert extension.current_deadline == problem.deadline

    office = client_for(world, "county_office")
    queue = office.get("/problems/queue/").content.decode()
    assert str(problem.pk) in queue[queue.index('data-section="extensions"') :]

    body = api_as("county_office").act(problem, "decide_extension", decision="approve").json()

    approved = fresh(problem)
    assert approved.deadline == wanted
    # The window keeps its start: the light turns yellow at the same share of it.
    old_start = problem.deadline - (problem.deadline - problem.yellow_at) * 3
    assert abs((approved.deadline - approved.yellow_at) * 3 - (wanted - old_start)) < timedelta(
        seconds=1
    )
    extension.refresh_from_db()
    assert extension.state == ExtensionState.APPROVED
    assert extension.granted_deadline == wanted
    days = round((wanted - problem.deadline) / timedelta(days=1), 1)
    assert extension.days_granted == Decimal(str(days))
    assert body["extensions"][0]["state"] == "approved"
    event = approved.events.get(action=Action.DECIDE_EXTENSION)
    assert event.payload["approved"] is True
    assert "deadline" in event.payload and "yellow_at" in event.payload
    assert_rollups_true()


def test_the_office_may_grant_its_own_date(world, api_as):
    problem, _wanted = _requested(world, api_as, 72)
    own = (problem.deadline + timedelta(hours=24)).replace(microsecond=0)
    response = api_as("county_office").act(
        problem, "decide_extension", decision="approve", deadline=own.isoformat()
    )
    assert response.status_code == 200
    assert fresh(problem).deadline == own
    assert Extension.objects.get(problem=problem).days_granted == Decimal("1.0")


def test_refusal_needs_reasons_and_keeps_the_deadline(world, api_as):
    problem, _wanted = _requested(world, api_as)
    office_page = client_for(world, "county_office")
    before = written(problem)

    by_api = api_as("county_office").act(problem, "decide_extension", decision="refuse")
    by_page = _decide_page(office_page, problem, decision="refuse")
    assert by_api.status_code == by_page.status_code == 422
    assert by_api.json()["field"] == "comment"
    assert by_api.json()["detail"] in by_page.content.decode()
    assert written(problem) == before

    response = _decide_page(office_page, problem, decision="refuse", comment="时限内可完成")
    assert response.status_code == 302
    refused = fresh(problem)
    assert refused.deadline == problem.deadline
    assert Extension.objects.get(problem=problem).state == ExtensionState.REFUSED
    assert refused.events.get(action=Action.DECIDE_EXTENSION).payload["approved"] is False
    assert_rollups_true()


@pytest.mark.parametrize("when", ["before_current", "past"])
def test_a_deadline_not_later_than_the_current_one_is_refused_on_deadline(world, api_as, when):
    problem = world.assigned()
    if when == "past":
        deadline = timezone.now() - timedelta(hours=2)
    else:
        deadline = problem.deadline - timedelta(hours=2)
    deadline = deadline.replace(second=0, microsecond=0)
    before = written(problem)

    by_api = api_as("county_handler").act(
        problem, "request_extension", deadline=deadline.isoformat(), reason="需采购设备"
    )
    by_page = _request_page(
        client_for(world, "county_handler"),
        problem,
        deadline=page_moment(deadline),
        reason="需采购设备",
    )

    assert by_api.status_code == by_page.status_code == 422
    assert by_api.json()["field"] == "deadline"
    assert by_api.json()["detail"] in by_page.content.decode()
    assert written(problem) == before


def test_reason_and_deadline_are_required(world, api_as):
    problem = world.assigned()
    before = written(problem)
    api = api_as("county_handler")
    no_reason = api.act(
        problem, "request_extension", deadline=later(24 * 5).isoformat(), reason="  "
    )
    no_deadline = api.act(problem, "request_extension", reason="需采购设备")
    assert (no_reason.status_code, no_reason.json()["field"]) == (422, "reason")
    assert (no_deadline.status_code, no_deadline.json()["field"]) == (422, "deadline")
    too_long = api.act(
        problem, "request_extension", deadline=later(24 * 5).isoformat(), reason="长" * 4001
    )
    assert too_long.status_code == 422
    assert written(problem) == before


def test_one_pending_request_at_a_time(world, api_as):
    problem, wanted = _requested(world, api_as)
    before = written(problem)
    again = api_as("county_handler").act(
        problem,
        "request_extension",
        deadline=(wanted + timedelta(days=1)).isoformat(),
        reason="再次申请",
    )
    assert again.status_code == 409
    assert written(problem) == before
    # The database refuses it too, whatever path a second row would come by.
    pending = Extension.objects.get(problem=problem)
    with pytest.raises(IntegrityError), transaction.atomic():
        Extension.objects.create(
            problem=problem,
            requested_by=pending.requested_by,
            requested_at=timezone.now(),
            current_deadline=pending.current_deadline,
            requested_deadline=pending.requested_deadline,
            reason="绕过",
        )


def test_deciding_with_nothing_pending_is_refused(world, api_as):
    problem = world.assigned()
    response = api_as("county_office").act(problem, "decide_extension", decision="approve")
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("persona", "action", "status"),
    [
        ("county_handler", "decide_extension", 403),
        ("county_office", "request_extension", 403),
        ("sibling_office", "decide_extension", 404),
        ("market_handler", "request_extension", 404),
    ],
)
def test_who_may_ask_and_who_may_decide(world, api_as, persona, action, status):
    problem, wanted = _requested(world, api_as)
    before = written(problem)
    body = {"decision": "approve"}
    if action == "request_extension":
        body = {"deadline": (wanted + timedelta(days=1)).isoformat(), "reason": "申请"}
    assert api_as(persona).act(problem, action, **body).status_code == status
    page = client_for(world, persona).post(
        f"/problems/{problem.pk}/act/{action}/",
        {**body, "deadline": page_moment(wanted + timedelta(days=1))},
    )
    assert page.status_code == status
    assert written(problem) == before


def test_extension_with_clock_from_signing_keeps_rollups_true(world, api_as, settings):
    settings.DUCHA_CLOCK_STARTS = "signing"
    problem = world.assigned()
    api_as("county_handler").act(problem, "sign")
    problem, _wanted = _requested(world, api_as)
    api_as("county_office").act(problem, "decide_extension", decision="approve")
    assert_rollups_true()


def test_the_forms_follow_the_waiting_request(world, api_as):
    problem = world.assigned()
    office, handler = client_for(world, "county_office"), client_for(world, "county_handler")
    detail = f"/problems/{problem.pk}/"
    assert 'data-action="decide_extension"' not in office.get(detail).content.decode()
    assert 'data-action="request_extension"' in handler.get(detail).content.decode()
    _requested_on(problem, api_as)
    assert 'data-action="decide_extension"' in office.get(detail).content.decode()
    page = handler.get(detail).content.decode()
    assert 'data-action="request_extension"' not in page
    assert 'data-extension="requested"' in page
    allowed = api_as("county_office").get(f"/problems/{problem.pk}").json()["allowed_actions"]
    assert "decide_extension" in allowed


def _requested_on(problem, api_as):
    wanted = problem.deadline + timedelta(days=2)
    response = api_as("county_handler").act(
        problem, "request_extension", deadline=wanted.isoformat(), reason="需采购设备"
    )
    assert response.status_code == 200
