"""Forms drawn on an older version of a problem, and a recording form submitted twice."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.problems import actions
from ducha.problems.models import FocusArea, Problem, ProblemEvent
from tests.pages.helpers import text

pytestmark = pytest.mark.django_db

STALE = "问题在您打开之后已有变动，本次操作未执行"


def hidden(response, action: str, name: str) -> str:
    """The value of a hidden input in one action's form on the detail page."""
    form = re.search(rf'data-action="{action}".*?</form>', text(response), re.S)
    assert form, f"no form for {action}"
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', form.group(0))
    assert match, f"no hidden {name} in {action}"
    return match.group(1)


def test_every_action_form_carries_the_version_it_was_drawn_with(world, login):
    problem = world.assigned()
    response = login(world, "county_office").get(f"/problems/{problem.pk}/")
    forms = re.findall(r'data-action="([a-z_]+)"', text(response))
    assert {"urge", "report_up", "institutionalize"} <= set(forms)
    for action in forms:
        assert hidden(response, action, "version") == str(problem.version)
    assert problem.version == 2  # created, then assigned


def test_a_stale_form_is_not_acted_on_and_says_why(world, login):
    problem = world.problem()
    client = login(world, "county_office")
    page = client.get(f"/problems/{problem.pk}/")
    drawn = hidden(page, "assign", "version")
    # A leader instructs while the office is still filling in the form.
    actions.do_instruct(problem, acting_user=world.users["county_leader"], text="尽快交办")
    events = ProblemEvent.objects.filter(problem=problem).count()
    data = {"responsible_org": world.orgs["county_dept"].pk, "comment": "请整改", "version": drawn}
    response = client.post(f"/problems/{problem.pk}/act/assign/", data)
    assert response.status_code == 412
    assert STALE in text(response)
    fresh = Problem.objects.get(pk=problem.pk)
    assert (fresh.state, fresh.responsible_org_id) == ("new", None)
    assert ProblemEvent.objects.filter(problem=problem).count() == events
    # The page shows the instruction now, and keeps what was typed, on the new version.
    assert "尽快交办" in text(response)
    assert "请整改" in text(response)
    assert hidden(response, "assign", "version") == str(fresh.version)
    again = client.post(
        f"/problems/{problem.pk}/act/assign/", {**data, "version": str(fresh.version)}
    )
    assert again.status_code == 302
    assert Problem.objects.get(pk=problem.pk).state == "assigned"


def test_two_rules_from_pages_opened_together_make_one(world, login):
    problem = world.problem(nature="common")
    office = login(world, "county_office")
    drawn = hidden(office.get(f"/problems/{problem.pk}/"), "institutionalize", "version")
    actions.do_institutionalize(
        problem,
        acting_user=world.users["city_command"],
        rule="统一管控措施",
        expected_version=int(drawn),
    )
    response = office.post(
        f"/problems/{problem.pk}/act/institutionalize/", {"rule": "卡口登记制度", "version": drawn}
    )
    assert response.status_code == 412
    assert STALE in text(response)
    assert Problem.objects.get(pk=problem.pk).rule == "统一管控措施"
    assert ProblemEvent.objects.filter(problem=problem, action="institutionalize").count() == 1


def test_a_stale_form_for_an_action_no_longer_possible_says_the_problem_changed(world, login):
    problem = world.problem()
    client = login(world, "county_office")
    drawn = hidden(client.get(f"/problems/{problem.pk}/"), "close_on_spot", "version")
    actions.do_assign(
        problem, acting_user=world.users["county_office"], responsible_org=world.orgs["county_dept"]
    )
    response = client.post(
        f"/problems/{problem.pk}/act/close_on_spot/", {"evidence": "当场整改", "version": drawn}
    )
    assert response.status_code == 412
    assert STALE in text(response)
    assert Problem.objects.get(pk=problem.pk).state == "assigned"
    # Without a version the state is the reason given, as before.
    response = client.post(f"/problems/{problem.pk}/act/close_on_spot/", {"evidence": "当场整改"})
    assert response.status_code == 409
    assert STALE not in text(response)


def test_a_form_without_a_version_still_acts(world, login):
    # A page drawn before forms carried a version.
    problem = world.assigned()
    response = login(world, "county_office").post(
        f"/problems/{problem.pk}/act/urge/", {"comment": "请加快进度"}
    )
    assert response.status_code == 302
    assert ProblemEvent.objects.filter(problem=problem, action="urge").count() == 1


@pytest.mark.parametrize("version", ["abc", "0", "99999999999"])
def test_a_tampered_version_is_refused_as_input(world, login, version):
    problem = world.assigned()
    response = login(world, "county_office").post(
        f"/problems/{problem.pk}/act/urge/", {"comment": "请加快进度", "version": version}
    )
    assert response.status_code == 422
    assert 'data-testid="form-error"' in text(response)
    assert not ProblemEvent.objects.filter(problem=problem, action="urge").exists()


def create_data(world, key: str) -> dict[str, object]:
    return {
        "title": "核酸采样点排队未保持间距",
        "region": world.orgs["town"].pk,
        "focus_area": FocusArea.objects.get(code="screening").pk,
        "found_at": timezone.localtime(timezone.now() - timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "urgency": "normal",
        "nature": "individual",
        "client_key": key,
    }


def client_key(response) -> str:
    match = re.search(r'<input type="hidden" name="client_key" value="([^"]+)"', text(response))
    assert match, "no client key in the form"
    return match.group(1)


def test_a_recording_form_submitted_twice_records_one_problem(world, login):
    client = login(world, "county_office")
    key = client_key(client.get("/problems/new/"))
    first = client.post("/problems/new/", create_data(world, key))
    second = client.post("/problems/new/", create_data(world, key))
    problem = Problem.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/problems/{problem.pk}/"
    assert ProblemEvent.objects.filter(action="create").count() == 1


def test_each_drawn_form_has_its_own_key_and_keeps_it_through_errors(world, login):
    client = login(world, "county_office")
    keys = {client_key(client.get("/problems/new/")) for _ in range(3)}
    assert len(keys) == 3
    key = keys.pop()
    refused = client.post("/problems/new/", {**create_data(world, key), "title": ""})
    assert refused.status_code == 422
    assert client_key(refused) == key
    assert client.post("/problems/new/", create_data(world, key)).status_code == 302
    assert Problem.objects.count() == 1
