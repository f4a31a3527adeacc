"""Refused actions: wrong state (409), wrong role (403), out of scope (404), bad input (422).

Every refusal must leave the problem and its event log exactly as they were.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.problems import actions
from tests.api.conftest import field_errors, snapshot

pytestmark = pytest.mark.django_db


def _new(world):
    return world.problem()


def _assigned(world):
    return world.assigned()


def _disputed(world):
    problem = world.assigned()
    return actions.do_dispute(problem, acting_user=world.users["county_handler"], reason="异议")


def _rectified(world):
    problem = world.assigned()
    return actions.do_submit_rectification(
        problem, acting_user=world.users["county_handler"], text="已整改"
    )


def _closed(world):
    problem = world.problem()
    return actions.do_close_on_spot(
        problem, acting_user=world.users["county_office"], evidence="好"
    )


def org(key: str):
    return lambda world: world.orgs[key].pk


def _past(_world=None):
    return (timezone.now() - timedelta(hours=1)).isoformat()


def _later(_world=None):
    return (timezone.now() + timedelta(days=2)).isoformat()


def case(make, persona: str, action: str, *field: str, **body):
    """One row: a problem in some state, who acts, the body (values may be callables)."""
    ident = "-".join([make.__name__.strip("_"), persona, action, *field])
    return pytest.param(make, persona, action, body, *field, id=ident)


def resolve(world, body: dict) -> dict:
    return {key: value(world) if callable(value) else value for key, value in body.items()}


DEPT = org("county_dept")

ILLEGAL = [
    case(_assigned, "county_office", "assign", responsible_org=DEPT),
    case(_closed, "county_office", "assign", responsible_org=DEPT),
    case(_closed, "county_office", "report_up", to_org=org("city_office"), comment="呈报"),
    case(_new, "county_office", "urge"),
    case(_closed, "county_office", "urge"),
    case(_rectified, "county_handler", "submit_rectification", text="再报"),
    case(_disputed, "county_handler", "submit_rectification", text="再报"),
    case(_new, "county_office", "verify_accept"),
    case(_assigned, "county_team_member", "verify_accept"),
    case(_closed, "county_office", "verify_accept"),
    case(_assigned, "county_office", "verify_reject", comment="不合格"),
    case(_assigned, "county_office", "close_on_spot", evidence="当场"),
    case(_closed, "county_team_member", "close_on_spot", evidence="当场"),
    case(_rectified, "county_handler", "dispute", reason="异议"),
    case(_disputed, "county_handler", "dispute", reason="异议"),
    case(_assigned, "county_office", "decide_dispute", decision="uphold", comment="维持"),
    case(_assigned, "county_office", "reopen", reason="反弹"),
    case(_new, "county_office", "reopen", reason="反弹"),
]


@pytest.mark.parametrize(("make", "persona", "action", "body"), ILLEGAL)
def test_illegal_transition_is_409_and_changes_nothing(world, api_as, make, persona, action, body):
    problem = make(world)
    before = snapshot(problem)
    response = api_as(persona).act(problem, action, **resolve(world, body))
    assert response.status_code == 409, response.content
    assert response.json()["detail"]
    assert snapshot(problem) == before


def test_common_problem_cannot_close_on_the_spot_without_its_rule(world, api_as):
    problem = world.problem(nature="common")
    before = snapshot(problem)
    api = api_as("county_team_member")
    assert api.act(problem, "close_on_spot", evidence="当场整改").status_code == 409
    assert snapshot(problem) == before
    assert api_as("county_office").act(problem, "institutionalize", rule="制度").status_code == 200
    assert api.act(problem, "close_on_spot", evidence="当场整改").json()["state"] == "closed"


@pytest.mark.parametrize(
    ("persona", "action", "body"),
    [
        ("county_leader", "assign", {"responsible_org": 0}),
        ("county_team_member", "assign", {"responsible_org": 0}),
        ("county_discipline", "urge", {}),
        ("county_office", "instruct", {"text": "批示"}),
        ("county_handler", "verify_accept", {}),
        ("county_handler", "urge", {}),
        ("county_team_member", "submit_rectification", {"text": "已整改"}),
        ("county_office", "dispute", {"reason": "异议"}),
        ("county_leader", "institutionalize", {"rule": "制度"}),
    ],
)
def test_role_that_may_not_act_gets_403(world, api_as, persona, action, body):
    problem = world.assigned()
    before = snapshot(problem)
    response = api_as(persona).act(problem, action, **body)
    assert response.status_code == 403
    assert response.json()["detail"]
    assert snapshot(problem) == before


@pytest.mark.parametrize(
    "persona", ["sibling_office", "other_office", "outsider", "market_handler"]
)
def test_out_of_scope_action_is_404(world, api_as, persona):
    problem = world.assigned()
    before = snapshot(problem)
    assert api_as(persona).act(problem, "urge").status_code == 404
    assert snapshot(problem) == before


def test_unknown_action_or_problem_is_404(world, api_as):
    problem = world.problem()
    api = api_as("county_office")
    for action in ["approve", "create", "delete", "ASSIGN", "set_state"]:
        response = api.act(problem, action, responsible_org=world.orgs["county_dept"].pk)
        assert response.status_code == 404, action
        assert response.json()["detail"]
    assert api.act(999999, "urge").status_code == 404
    assert snapshot(problem)[0] == "new"


BAD_INPUT = [
    case(_new, "county_office", "assign", "responsible_org"),
    case(_new, "county_office", "assign", "responsible_org", responsible_org="卫健局"),
    case(_new, "county_office", "assign", "responsible_org", responsible_org=org("sibling_dept")),
    case(_new, "county_office", "assign", "responsible_org", responsible_org=999999),
    case(_new, "county_office", "assign", "responsible_org", responsible_org=org("county_office")),
    case(_new, "county_office", "assign", "deadline", responsible_org=DEPT, deadline=_past),
    case(_new, "county_office", "assign", "deadline", responsible_org=DEPT, deadline="明天"),
    case(_new, "county_office", "assign", "state", responsible_org=DEPT, state="closed"),
    case(_new, "county_office", "report_up", "comment", to_org=org("city_office")),
    case(_new, "county_office", "report_up", "comment", to_org=org("city_office"), comment=" "),
    case(_new, "county_office", "report_up", "to_org", to_org=org("sibling_office"), comment="呈"),
    case(_new, "county_office", "report_up", "to_org", to_org=org("other_office"), comment="呈"),
    case(_new, "county_office", "report_up", "to_org", to_org=org("county_dept"), comment="呈"),
    case(_new, "county_office", "report_up", "to_org", to_org=999999, comment="呈"),
    case(_assigned, "county_leader", "instruct", "text"),
    case(_assigned, "county_leader", "instruct", "text", text=""),
    case(_assigned, "county_leader", "instruct", "text", text=12),
    case(_assigned, "county_handler", "submit_rectification", "text", text=" "),
    case(_rectified, "county_office", "verify_reject", "comment"),
    case(_rectified, "county_office", "verify_reject", "comment", comment=""),
    case(_rectified, "county_office", "verify_accept", "comment", comment=["ok"]),
    case(_assigned, "county_handler", "institutionalize", "rule", rule=""),
    case(_new, "county_office", "close_on_spot", "evidence"),
    case(_assigned, "county_handler", "dispute", "reason", reason=""),
    case(_disputed, "county_office", "decide_dispute", "decision", decision="maybe", comment="c"),
    case(_disputed, "county_office", "decide_dispute", "comment", decision="uphold"),
    case(
        _disputed,
        "county_office",
        "decide_dispute",
        "responsible_org",
        decision="reassign",
        comment="c",
    ),
    case(
        _disputed,
        "county_office",
        "decide_dispute",
        "responsible_org",
        decision="reassign",
        comment="c",
        responsible_org=DEPT,
    ),
    case(
        _disputed,
        "county_office",
        "decide_dispute",
        "responsible_org",
        decision="reassign",
        comment="c",
        responsible_org=org("sibling_dept"),
    ),
    case(
        _disputed,
        "county_office",
        "decide_dispute",
        "deadline",
        decision="uphold",
        comment="c",
        deadline=_past,
    ),
    case(_closed, "county_office", "reopen", "reason", reason=""),
    case(_closed, "county_office", "reopen", "deadline", reason="r", deadline=_past),
    case(_closed, "county_office", "reopen", "deadline", reason="r", deadline=5.5),
]


@pytest.mark.parametrize(("make", "persona", "action", "body", "field"), BAD_INPUT)
def test_bad_action_input_is_422_naming_the_field(
    world, api_as, make, persona, action, body, field
):
    problem = make(world)
    before = snapshot(problem)
    response = api_as(persona).act(problem, action, **resolve(world, body))
    assert response.status_code == 422, response.content
    assert field_errors(response) == {field}
    assert snapshot(problem) == before


@pytest.mark.parametrize("raw", ["{", "[", "not json"])
def test_malformed_action_body_is_400(world, api_as, raw):
    problem = world.problem()
    before = snapshot(problem)
    response = api_as("county_office").post(f"/problems/{problem.pk}/actions/assign", raw=raw)
    assert response.status_code == 400
    assert snapshot(problem) == before


def test_later_deadline_is_accepted_where_a_past_one_was_not(world, api_as):
    problem = world.problem()
    response = api_as("county_office").act(
        problem, "assign", responsible_org=world.orgs["county_dept"].pk, deadline=_later()
    )
    assert response.status_code == 200
