"""签收: the unit signs for what it receives, once per assignment; where the clock starts."""

from __future__ import annotations

import pytest

from ducha.problems import actions
from ducha.problems.choices import Action
from ducha.problems.models import Problem, ProblemEvent
from tests.ledger.conftest import api_upload, row, workbook
from tests.matrix.harness import client_for
from tests.signing.helpers import assert_rollups_true, assigned_hours_ago, fresh, written

pytestmark = pytest.mark.django_db


def _sign_page(client, problem):
    return client.post(f"/problems/{problem.pk}/act/sign/", {"version": problem.version})


def test_the_unit_handler_signs_on_the_page_and_the_button_goes(world, login):
    problem = world.assigned()
    client = login(world, "county_handler")
    assert 'data-action="sign"' in client.get(f"/problems/{problem.pk}/").content.decode()

    response = _sign_page(client, problem)

    assert response.status_code == 302
    signed = fresh(problem)
    assert signed.signed_at is not None
    assert ProblemEvent.objects.filter(problem=problem, action=Action.SIGN).count() == 1
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert 'data-action="sign"' not in page
    assert 'data-testid="signed-at"' in page


def test_signing_twice_is_refused_the_same_on_page_and_api(world, login, api_as):
    problem = world.assigned()
    api = api_as("county_handler")
    assert api.act(problem, "sign").status_code == 200
    before = written(problem)

    again = api.act(problem, "sign")
    page = _sign_page(login(world, "county_handler"), fresh(problem))

    assert again.status_code == page.status_code == 409
    message = again.json()["detail"]
    assert "签收该问题" in message or "already signed for this problem" in message
    assert message in page.content.decode()
    assert written(problem) == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("market_handler", 404), ("sibling_handler", 404), ("outsider", 404), ("county_office", 403)],
)
def test_only_the_responsible_units_handler_may_sign(world, login, api_as, persona, status):
    problem = world.assigned()
    before = written(problem)
    assert api_as(persona).act(problem, "sign").status_code == status
    assert _sign_page(login(world, persona), problem).status_code == status
    assert written(problem) == before


def test_clock_from_assignment_signing_leaves_the_deadline(world, api_as, settings):
    settings.DUCHA_CLOCK_STARTS = "assignment"
    problem = assigned_hours_ago(world.assigned(), 5)

    body = api_as("county_handler").act(problem, "sign").json()

    signed = fresh(problem)
    assert (signed.deadline, signed.yellow_at) == (problem.deadline, problem.yellow_at)
    event = signed.events.get(action=Action.SIGN)
    assert "deadline" not in event.payload
    assert event.payload["waited_seconds"] >= 5 * 3600
    assert body["signed_at"] is not None
    assert_rollups_true()


def test_clock_from_signing_moves_deadline_and_yellow_by_the_wait(world, api_as, settings):
    settings.DUCHA_CLOCK_STARTS = "signing"
    problem = assigned_hours_ago(world.assigned(), 5)

    api_as("county_handler").act(problem, "sign")

    signed = fresh(problem)
    waited = signed.signed_at - problem.assigned_at
    assert signed.deadline == problem.deadline + waited
    assert signed.yellow_at == problem.yellow_at + waited
    payload = signed.events.get(action=Action.SIGN).payload
    assert payload["deadline"] == actions.moment(signed.deadline)
    assert payload["yellow_at"] == actions.moment(signed.yellow_at)
    assert_rollups_true()


def test_going_to_a_unit_anew_asks_for_a_new_signature(world, api_as):
    office, handler = api_as("county_office"), api_as("county_handler")
    problem = world.assigned()
    assert fresh(problem).assigned_at is not None
    handler.act(problem, "sign")
    handler.act(problem, "dispute", reason="不属本单位职责")
    office.act(
        problem,
        "decide_dispute",
        decision="uphold",
        comment="仍由卫健局负责",
    )
    assert fresh(problem).signed_at is not None  # upheld: the same assignment

    handler.act(problem, "dispute", reason="确不属本单位")
    office.act(
        problem,
        "decide_dispute",
        decision="reassign",
        comment="改由市场监管局办理",
        responsible_org=world.orgs["county_market_dept"].pk,
    )
    reassigned = fresh(problem)
    assert reassigned.signed_at is None
    assert reassigned.assigned_at > problem.assigned_at

    market = api_as("market_handler")
    assert market.act(problem, "sign").status_code == 200
    market.act(problem, "submit_rectification", text="已整改")
    api_as("county_team_member").act(problem, "verify_accept", comment="核实")
    office.act(problem, "reopen", reason="回头看反弹")
    assert fresh(problem).signed_at is None
    assert market.act(problem, "sign").status_code == 200
    assert_rollups_true()


def test_queues_show_what_waits_to_be_signed(world):
    problem = assigned_hours_ago(world.assigned(title="卡口未登记待签收"), 3)
    handler = client_for(world, "county_handler")

    handler_queue = handler.get("/problems/queue/").content.decode()
    first = handler_queue.index('data-section="')
    assert handler_queue[first:].startswith('data-section="sign"')
    assert "卡口未登记待签收" in handler_queue

    client = client_for(world, "county_office")
    office_queue = client.get("/problems/queue/").content.decode()
    section = office_queue[office_queue.index('data-section="unsigned"') :]
    assert "卡口未登记待签收" in section
    assert 'data-testid="unsigned"' in section  # the time waiting is shown on the row

    assert _sign_page(handler, problem).status_code == 302
    office_queue = client.get("/problems/queue/").content.decode()
    section = office_queue[office_queue.index('data-section="unsigned"') :]
    section = section[: section.index("</section>")]
    assert "卡口未登记待签收" not in section


def test_problems_assigned_by_a_ledger_import_wait_to_be_signed_for(world, api_as):
    api = api_as("county_office")
    batch = api_upload(api, workbook([row(问题="导入即交办", 承办单位="双桥区卫健局")])).json()
    assert api.post(f"/ledger/imports/{batch['id']}/confirm").status_code == 200
    imported = Problem.objects.get(title="导入即交办")
    assert imported.state == "assigned"
    assert imported.assigned_at is not None and imported.signed_at is None
    handler = api_as("county_handler")
    assert handler.act(imported, "sign").status_code == 200
    assert fresh(imported).signed_at is not None
