"""Time to close and lateness are filterable on the list page and in the API alike."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.problems import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_problems(world):
    now, member = timezone.now(), world.users["county_team_member"]

    def closed(title, hours_ago):
        problem = world.problem(title=title, found_at=now - timedelta(hours=hours_ago))
        return actions.do_close_on_spot(problem, acting_user=member, evidence="当场整改")

    return {
        "quick": closed("两小时内整改", 2),
        "slow": closed("两天内整改", 50),
        "late": closed("超期后才整改", 80),
        "open": world.problem(title="仍在整改"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("closed_late=1", {"late"}),
        ("closed_late=0", {"quick", "slow"}),
        ("max_hours_to_close=3", {"quick"}),
        ("max_hours_to_close=60", {"quick", "slow"}),
    ],
)
def test_api_filters_by_lateness_and_time_to_close(world, login, closed_problems, query, expected):
    client = login(world, "county_office")
    items = client.get(f"/api/v1/problems?{query}").json()["items"]
    titles = {closed_problems[key].title for key in expected}
    assert {item["title"] for item in items} == titles


@pytest.mark.parametrize(
    ("query", "expected"),
    [("closed_late=1", {"late"}), ("max_hours_to_close=3", {"quick"})],
)
def test_list_page_filters_the_same(world, login, closed_problems, query, expected):
    html = login(world, "county_office").get(f"/problems/?{query}").content.decode()
    shown = {key for key, problem in closed_problems.items() if problem.title in html}
    assert shown == expected


def test_bad_hours_are_a_field_error_not_a_crash(world, login):
    client = login(world, "county_office")
    response = client.get("/api/v1/problems?max_hours_to_close=0")
    assert response.status_code == 422
    assert "max_hours_to_close" in response.content.decode()
    page = client.get("/problems/?max_hours_to_close=abc")
    assert page.status_code == 400
