"""回头看 and the per-site burden of visits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.fieldwork.models import Revisit
from ducha.problems import actions as problem_actions
from ducha.problems.models import Problem
from tests.fieldwork.domain.factory import fail, inspect, item, plan
from tests.fieldwork.pages.helpers import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world):
    problem = world.problem(by="county_team_member", team=world.teams["county_team"])
    return problem_actions.do_close_on_spot(
        problem, acting_user=world.users["county_team_member"], evidence="当场整改"
    )


def test_a_closed_problem_is_due_for_a_revisit(world, login, closed):
    revisit = Revisit.objects.get(problem=closed)
    page = text(login(world, "county_office").get("/field/revisits/"))
    assert f'data-revisit="{revisit.pk}"' in page
    assert closed.title in page
    assert f'action="/field/revisits/{revisit.pk}/result/"' in page


def test_failed_revisit_reopens_the_problem_as_recurring(world, login, closed):
    revisit = Revisit.objects.get(problem=closed)
    client = login(world, "county_team_member")
    refused = client.post(f"/field/revisits/{revisit.pk}/result/", {"passed": "0", "note": ""})
    assert refused.status_code == 422
    assert Revisit.objects.get().state == "due"
    response = client.post(
        f"/field/revisits/{revisit.pk}/result/", {"passed": "0", "note": "卡口又无人值守"}
    )
    assert response.status_code == 302
    assert Revisit.objects.get().state == "failed"
    problem = Problem.objects.get()
    assert problem.state != "closed" and problem.recurring
    again = client.post(f"/field/revisits/{revisit.pk}/result/", {"passed": "1", "note": ""})
    assert again.status_code == 409


def test_passed_revisit(world, login, closed):
    revisit = Revisit.objects.get(problem=closed)
    response = login(world, "county_office").post(
        f"/field/revisits/{revisit.pk}/result/", {"passed": "1", "note": ""}
    )
    assert response.status_code == 302
    assert Revisit.objects.get().state == "passed"
    assert Problem.objects.get().state == "closed"


def test_office_draws_a_sample(world, login, closed):
    client = login(world, "county_office")
    response = client.post(
        "/field/revisits/sample/",
        {"office": world.orgs["county_office"].pk, "size": 3, "closed_within_days": 30},
    )
    assert response.status_code == 302
    assert Revisit.objects.filter(sampled=True, problem=closed).count() == 1


def test_team_member_may_not_draw(world, login, closed):
    client = login(world, "county_team_member")
    assert 'data-action="sample"' not in text(client.get("/field/revisits/"))
    response = client.post(
        "/field/revisits/sample/",
        {"office": world.orgs["county_office"].pk, "size": 3, "closed_within_days": 30},
    )
    assert response.status_code == 403
    assert not Revisit.objects.filter(sampled=True).exists()


def test_revisits_are_scoped(world, login, closed):
    revisit = Revisit.objects.get(problem=closed)
    client = login(world, "sibling_office")
    assert f'data-revisit="{revisit.pk}"' not in text(client.get("/field/revisits/"))
    response = client.post(f"/field/revisits/{revisit.pk}/result/", {"passed": "1"})
    assert response.status_code == 404
    # A leader sees it but does not record revisits.
    leader = login(world, "county_leader")
    assert f'data-revisit="{revisit.pk}"' in text(leader.get("/field/revisits/"))
    assert leader.post(f"/field/revisits/{revisit.pk}/result/", {"passed": "1"}).status_code == 403


def test_burden_counts_visits_per_site_and_week(world, login, fw_second_team):
    question = item(world)
    # Today, not tomorrow: the page covers weeks up to the end of the current one, and on a
    # Sunday tomorrow already belongs to the next week.
    plan(world, day=timezone.localdate())
    inspect(world, [fail(question)], visited_at=timezone.now() - timedelta(hours=2))
    client = login(world, "county_office")
    page = text(client.get("/field/burden/"))
    site = world.sites["checkpoint"]
    assert f'data-site="{site.pk}"' in page
    assert world.sites["sibling_market"].name not in page
    detail = client.get(f"/field/sites/{site.pk}/burden/")
    assert detail.status_code == 200
    assert "双桥区督查组" in text(detail)
    assert text(detail).count("data-visit=") == 2


def test_site_out_of_scope_is_404(world, login):
    site = world.sites["sibling_market"]
    assert login(world, "county_office").get(f"/field/sites/{site.pk}/burden/").status_code == 404


def this_week(hours_ago: int):
    """A few hours ago, but not before this week began (tests run on Monday nights too)."""
    now = timezone.localtime()
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return max(now - timedelta(hours=hours_ago), monday)


def test_two_visits_in_one_week_are_marked_and_old_ones_left_out(world, login, fw_second_team):
    question = item(world)
    inspect(world, [fail(question)], visited_at=this_week(3))
    inspect(
        world,
        [fail(question, note="仍未登记")],
        by="town_team_member",
        team="town_team",
        visited_at=this_week(1),
    )
    page = text(login(world, "county_office").get("/field/burden/"))
    row = page[page.index(f'data-site="{world.sites["checkpoint"].pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'class="text-center burden-high">2<' in row
    # A shorter period still ends with this week.
    assert "burden-high" in text(login(world, "county_office").get("/field/burden/?weeks=2"))


def test_visits_before_the_period_are_not_listed(world, login):
    question = item(world)
    inspect(world, [fail(question)], visited_at=timezone.now() - timedelta(weeks=20))
    page = text(login(world, "county_office").get("/field/burden/?weeks=4"))
    assert f'data-site="{world.sites["checkpoint"].pk}"' not in page
    wide = text(login(world, "county_office").get("/field/burden/?weeks=26"))
    assert f'data-site="{world.sites["checkpoint"].pk}"' in wide
