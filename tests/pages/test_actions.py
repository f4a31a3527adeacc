"""POST /problems/<id>/act/<action>/: one happy path per action, and 409/422/403/404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.problems import actions
from ducha.problems.models import Problem, ProblemEvent
from tests.pages.helpers import rectified, text

pytestmark = pytest.mark.django_db


def later(**delta) -> str:
    return timezone.localtime(timezone.now() + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


def act(client, problem, action, data):
    return client.post(
        f"/problems/{problem.pk}/act/{action}/",
        data,
    )


def last_event(problem) -> ProblemEvent:
    return ProblemEvent.objects.filter(problem=problem).order_by("-pk").first()


def disputed(world):
    return actions.do_dispute(
        world.assigned(), acting_user=world.users["county_handler"], reason="不属于本单位职责"
    )


def closed(world):
    return actions.do_close_on_spot(
        world.problem(), acting_user=world.users["county_office"], evidence="现场整改"
    )


# (persona, how to make the problem, action, form data, state after, check on the problem)
HAPPY = [
    (
        "county_office",
        lambda w: w.problem(),
        "assign",
        lambda w: {
            "responsible_org": w.orgs["county_dept"].pk,
            "deadline": later(days=2),
            "comment": "请按期整改",
        },
        "assigned",
        lambda w, p: p.responsible_org == w.orgs["county_dept"],
    ),
    (
        "county_office",
        lambda w: w.problem(),
        "report_up",
        lambda w: {"to_org": w.orgs["city_office"].pk, "comment": "请市督查办统筹"},
        "new",
        lambda w, p: p.reported_to == w.orgs["city_office"],
    ),
    (
        "county_leader",
        lambda w: w.assigned(),
        "instruct",
        lambda w: {"text": "立即整改，举一反三"},
        "assigned",
        lambda w, p: p.events.filter(action="instruct", comment="立即整改，举一反三").exists(),
    ),
    (
        "county_office",
        lambda w: w.assigned(),
        "urge",
        lambda w: {"comment": "请加快进度"},
        "assigned",
        lambda w, p: p.events.filter(action="urge").exists(),
    ),
    (
        "county_handler",
        lambda w: w.assigned(),
        "submit_rectification",
        lambda w: {"text": "已安排专人值守并登记"},
        "rectified",
        lambda w, p: True,
    ),
    (
        "county_team_member",
        rectified,
        "verify_accept",
        lambda w: {"comment": "现场核实到位"},
        "closed",
        lambda w, p: p.closed_at is not None,
    ),
    (
        "county_office",
        rectified,
        "verify_reject",
        lambda w: {"comment": "登记簿仍有漏项"},
        "assigned",
        lambda w, p: True,
    ),
    (
        "county_office",
        lambda w: w.problem(nature="common"),
        "institutionalize",
        lambda w: {"rule": "建立卡口值守交接班制度"},
        "new",
        lambda w, p: p.rule == "建立卡口值守交接班制度",
    ),
    (
        "county_team_member",
        lambda w: w.problem(),
        "close_on_spot",
        lambda w: {"evidence": "现场督促补登，照片已存档"},
        "closed",
        lambda w, p: p.on_the_spot,
    ),
    (
        "county_handler",
        lambda w: w.assigned(),
        "dispute",
        lambda w: {"reason": "卡口由交通部门负责"},
        "disputed",
        lambda w, p: True,
    ),
    (
        "county_office",
        disputed,
        "decide_dispute",
        lambda w: {"decision": "uphold", "comment": "仍由卫健局牵头"},
        "assigned",
        lambda w, p: p.responsible_org == w.orgs["county_dept"],
    ),
    (
        "county_office",
        disputed,
        "decide_dispute",
        lambda w: {
            "decision": "reassign",
            "responsible_org": w.orgs["county_market_dept"].pk,
            "comment": "改由市场监管局办理",
        },
        "assigned",
        lambda w, p: p.responsible_org == w.orgs["county_market_dept"],
    ),
    (
        "county_team_member",
        closed,
        "reopen",
        lambda w: {"reason": "回头看发现问题反弹", "deadline": later(days=1)},
        "new",
        lambda w, p: p.recurring,
    ),
]


@pytest.mark.parametrize(
    ("persona", "make", "action", "data", "state", "check"),
    HAPPY,
    ids=[f"{case[2]}-{index}" for index, case in enumerate(HAPPY)],
)
def test_every_action_form_happy_path(world, login, persona, make, action, data, state, check):
    problem = make(world)
    client = login(world, persona)

    response = act(client, problem, action, data(world))

    assert response.status_code == 302
    assert response["Location"] == f"/problems/{problem.pk}/"
    problem = Problem.objects.get(pk=problem.pk)
    assert problem.state == state
    assert check(world, problem)
    event = last_event(problem)
    assert event.action == action and event.actor == world.users[persona]
    page = client.get(response["Location"])
    assert "已办理：" in text(page)


def test_invalid_input_from_the_action_is_shown_on_its_field_with_the_input_kept(world, login):
    problem = world.problem()
    client = login(world, "county_office")
    past = timezone.localtime(timezone.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")

    response = act(
        client,
        problem,
        "assign",
        {"responsible_org": world.orgs["county_dept"].pk, "deadline": past, "comment": "保留我"},
    )

    assert response.status_code == 422
    html = text(response)
    field = html[html.index('data-field="deadline"') :]
    assert "整改时限必须晚于当前时间" in field[: field.index("</div>\n</div>") + 20]
    assert "保留我" in html
    assert f'value="{past}"' in html
    assert '<details class="action card mb-2" data-action="assign" open>' in html
    assert Problem.objects.get(pk=problem.pk).state == "new"


def test_missing_required_input_is_a_422_form_error(world, login):
    problem = world.assigned()
    response = act(login(world, "county_handler"), problem, "dispute", {"reason": "   "})
    assert response.status_code == 422
    assert 'data-testid="field-error"' in text(response)
    assert Problem.objects.get(pk=problem.pk).state == "assigned"


def test_reassigning_without_a_unit_names_the_unit_field(world, login):
    problem = disputed(world)
    response = act(
        login(world, "county_office"),
        problem,
        "decide_dispute",
        {"decision": "reassign", "comment": "改派"},
    )
    assert response.status_code == 422
    html = text(response)
    field = html[html.index('data-field="responsible_org"') :]
    assert "请选择接手问题的承办单位" in field[:2000]


def test_a_unit_outside_the_choices_is_refused(world, login):
    problem = world.problem()
    response = act(
        login(world, "county_office"),
        problem,
        "assign",
        {"responsible_org": world.orgs["sibling_dept"].pk},
    )
    assert response.status_code == 422
    assert Problem.objects.get(pk=problem.pk).state == "new"


def test_an_action_the_state_does_not_allow_is_409(world, login):
    problem = world.problem()
    response = act(login(world, "county_office"), problem, "verify_accept", {})
    assert response.status_code == 409
    assert "不能“核实通过（销号）”" in text(response)
    assert Problem.objects.get(pk=problem.pk).state == "new"


def test_a_transition_refused_by_the_action_is_409_with_its_message(world, login):
    problem = rectified(world, nature="common")  # common: needs its rule before closing
    response = act(login(world, "county_team_member"), problem, "verify_accept", {})
    assert response.status_code == 409
    assert "共性问题须先建章立制" in text(response)
    assert Problem.objects.get(pk=problem.pk).state == "rectified"


@pytest.mark.parametrize(
    ("persona", "action"),
    [
        ("county_leader", "assign"),
        ("county_handler", "verify_accept"),
        ("county_discipline", "urge"),
        ("county_office", "instruct"),
    ],
)
def test_a_role_that_may_not_act_gets_403(world, login, persona, action):
    problem = world.assigned()
    response = act(login(world, persona), problem, action, {"text": "x", "comment": "x"})
    assert response.status_code == 403
    assert "您的角色不能对该问题进行此操作" in text(response)
    assert last_event(problem).action == "assign"


@pytest.mark.parametrize("persona", ["sibling_office", "outsider", "market_handler"])
def test_acting_outside_the_jurisdiction_is_404(world, login, persona):
    problem = world.assigned()
    response = act(login(world, persona), problem, "urge", {"comment": "x"})
    assert response.status_code == 404
    assert last_event(problem).action == "assign"


def test_unknown_actions_and_missing_problems_are_404(world, login):
    problem = world.problem()
    client = login(world, "county_office")
    assert client.post(f"/problems/{problem.pk}/act/create/").status_code == 404
    assert client.post(f"/problems/{problem.pk}/act/delete/").status_code == 404
    assert act(client, Problem(pk=999999), "urge", {}).status_code == 404


def test_actions_only_accept_post(world, login):
    problem = world.problem()
    response = login(world, "county_office").get(f"/problems/{problem.pk}/act/assign/")
    assert response.status_code == 405


def test_actions_need_a_csrf_token(world, client):
    from django.test import Client

    from tests.world import PASSWORD

    problem = world.assigned()
    strict = Client(enforce_csrf_checks=True)
    assert strict.login(username="county_office", password=PASSWORD)
    response = strict.post(f"/problems/{problem.pk}/act/urge/", {"comment": "x"})
    assert response.status_code == 403
    assert last_event(problem).action == "assign"
