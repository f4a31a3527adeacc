"""Recording a problem: who may, which choices, and how bad input comes back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.problems.models import FocusArea, Problem
from tests.pages.helpers import select_values, text

pytestmark = pytest.mark.django_db


def form_data(world, **overrides):
    data = {
        "title": "核酸采样点排队未保持间距",
        "description": "上午九时许约四十人聚集",
        "region": world.orgs["town"].pk,
        "site": world.sites["checkpoint"].pk,
        "focus_area": FocusArea.objects.get(code="screening").pk,
        "team": "",
        "found_at": timezone.localtime(timezone.now() - timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "urgency": "urgent",
        "nature": "individual",
    }
    data.update(overrides)
    return data


def test_office_records_a_problem_and_lands_on_its_page(world, login):
    client = login(world, "county_office")
    response = client.post("/problems/new/", form_data(world))
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/problems/{problem.pk}/"
    assert problem.found_by == world.users["county_office"]
    assert problem.region == world.orgs["town"] and problem.urgency == "urgent"
    assert problem.state == "new"
    assert problem.events.get().action == "create"
    assert "问题已记录" in text(client.get(response["Location"]))


def test_team_member_gets_its_region_and_team_preselected_and_records(world, login):
    client = login(world, "county_team_member")
    page = text(client.get("/problems/new/"))
    team = world.teams["county_team"].pk
    assert f'<option value="{team}" selected>' in page
    assert f'<option value="{world.orgs["county"].pk}" selected>' in page
    response = client.post("/problems/new/", form_data(world, team=team))
    assert response.status_code == 302
    assert Problem.objects.get().team_id == team


def test_choices_come_from_the_jurisdiction(world, login):
    # The pickers draw the chosen row only; what may be chosen is looked up (tests/pickers).
    response = login(world, "county_office").get("/problems/new/")
    assert select_values(response, "region") == {str(world.orgs["county"].pk)}
    assert select_values(response, "site") == set()


@pytest.mark.parametrize(
    "persona",
    ["county_handler", "county_leader", "city_command", "county_discipline", "outsider"],
)
def test_roles_that_cannot_record_get_403(world, login, persona):
    client = login(world, persona)
    refused = client.get("/problems/new/")
    assert refused.status_code == 403
    assert "您的角色不能记录问题" in text(refused)
    assert client.post("/problems/new/", form_data(world)).status_code == 403
    assert not Problem.objects.exists()
    assert 'href="/problems/new/"' not in text(client.get("/problems/queue/"))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "此项为必填项"),
        ({"region": "sibling"}, "region", "请选择您可以登记问题的地区"),
        ({"found_at": "future"}, "found_at", "发现时间不能晚于当前时间"),
        ({"region": "county", "site": "sibling_market"}, "site", "在您的辖区内未找到"),
        ({"found_at": "not a date"}, "found_at", "请输入有效的日期和时间"),
    ],
)
def test_bad_input_comes_back_as_422_with_the_input_kept(world, login, overrides, field, message):
    values = dict(overrides)
    if values.get("region") in world.orgs:
        values["region"] = world.orgs[values["region"]].pk
    if values.get("site") in world.sites:
        values["site"] = world.sites[values["site"]].pk
    if values.get("found_at") == "future":
        values["found_at"] = timezone.localtime(timezone.now() + timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M"
        )
    response = login(world, "county_office").post("/problems/new/", form_data(world, **values))
    assert response.status_code == 422
    html = text(response)
    block = html[html.index(f'data-field="{field}"') :]
    assert message in block[: block.index("</ul>")]
    assert "上午九时许约四十人聚集" in html
    assert not Problem.objects.exists()


def test_a_site_outside_the_chosen_region_is_named_by_the_action(world, login):
    # The checkpoint lies in the town; the town's sibling county is not its region.
    response = login(world, "city_office").post(
        "/problems/new/", form_data(world, region=world.orgs["sibling"].pk)
    )
    assert response.status_code == 422
    html = text(response)
    block = html[html.index('data-field="site"') :]
    assert "该点位不在所选地区内" in block[: block.index("</ul>")]
