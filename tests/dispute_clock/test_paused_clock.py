"""While a dispute awaits the office the problem's clock stands still: no light, not overdue,
counted as "in dispute" everywhere the overdue problems are counted."""

from __future__ import annotations

import re

import pytest

from ducha.problems.models import Problem
from tests.dispute_clock.helpers import (
    assert_rollups_match_rows_and_events,
    overdue,
    overdue_and_disputed,
)
from tests.documents.helpers import issue, open_docx, paragraphs

pytestmark = pytest.mark.django_db


def test_the_detail_page_shows_the_paused_clock_not_red(world, login):
    problem = overdue_and_disputed(world)
    late = overdue(world)
    client = login(world, "county_office")
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert 'data-light="paused"' in page
    assert 'data-light="red"' not in page
    assert "overdue" not in page.split('data-testid="deadline"')[1].split("</dd>")[0]
    # The problem whose clock runs is red as before.
    assert 'data-light="red"' in client.get(f"/problems/{late.pk}/").content.decode()


def test_the_api_gives_no_light_and_says_the_clock_is_paused(world, api_as):
    problem = overdue_and_disputed(world)
    body = api_as("county_office").get(f"/problems/{problem.pk}").json()
    assert (body["state"], body["light"], body["overdue"], body["clock_paused"]) == (
        "disputed",
        None,
        False,
        True,
    )


def test_overdue_and_light_filters_leave_it_out(world, api_as, login):
    problem = overdue_and_disputed(world)
    late = overdue(world)
    api = api_as("county_office")
    for filters in ({"overdue": True}, {"light": "red"}, {"light": "yellow"}, {"light": "green"}):
        ids = {row["id"] for row in api.get("/problems", filters).json()["items"]}
        assert problem.pk not in ids, filters
    assert {row["id"] for row in api.get("/problems", {"overdue": True}).json()["items"]} == {
        late.pk
    }
    not_overdue = {row["id"] for row in api.get("/problems", {"overdue": False}).json()["items"]}
    assert problem.pk in not_overdue
    page = login(world, "county_office").get("/problems/", {"overdue": "1"}).content.decode()
    assert late.title in page and problem.title not in page


def test_the_stats_line_counts_the_problems_in_dispute(world, api_as, login):
    overdue_and_disputed(world)
    overdue_and_disputed(world, title="药店未登记购药人员")
    overdue(world)
    stats = api_as("county_office").get("/problems").json()["stats"]
    assert (stats["found"], stats["disputed"]) == (3, 2)
    page = login(world, "county_office").get("/problems/").content.decode()
    line = re.search(r'data-testid="stats-disputed">(.*?)</span>', page).group(1)
    assert re.findall(r"\d+", line) == ["2"]


def test_dashboards_count_it_in_dispute_and_not_red(world, api_as, login):
    overdue_and_disputed(world)  # the county: its dashboard reads the rollups
    overdue_and_disputed(world, region="town", title="镇卡口无人值守")  # a town: counted live
    overdue(world)
    api = api_as("county_office")
    expected_disputed = Problem.objects.filter(state="disputed").count()
    county = api.get("/dashboard", {"region": world.orgs["county"].pk}).json()["totals"]
    assert (county["red"], county["overdue"], county["disputed"]) == (1, 1, expected_disputed)
    assert county["green"] + county["yellow"] + county["red"] + county["disputed"] == county["open"]
    town = api.get("/dashboard", {"region": world.orgs["town"].pk}).json()["totals"]
    assert (town["red"], town["yellow"], town["disputed"]) == (0, 0, 1)
    assert town["green"] == 0
    page = login(world, "county_office").get("/reports/").content.decode()
    figure = re.search(r'data-figure="disputed".*?figure-value">(\d+)<', page).group(1)
    assert int(figure) == expected_disputed
    assert_rollups_match_rows_and_events()


def test_a_drafted_bulletin_does_not_criticise_the_unit_for_the_wait(world, api_as):
    disputed = overdue_and_disputed(world, title="药店未登记购药人员")
    late = overdue(world)
    api = api_as("county_office")
    bulletin = issue(api, "bulletin")
    data = bulletin["data"]
    overdue_ids = {row["id"] for row in data["overdue_rows"]}
    assert overdue_ids == {late.pk}
    assert data["overdue"] == api.get("/problems", {"overdue": True}).json()["count"] == 1
    assert data["disputed"] == api.get("/problems").json()["stats"]["disputed"] == 1
    text = "\n".join(paragraphs(open_docx(api, bulletin)))
    assert disputed.title not in text
    assert late.title in text
    assert "1个问题有异议，待督查办裁定" in text


def test_a_rectification_letter_does_not_count_the_wait_as_overdue(world, api_as):
    overdue_and_disputed(world)
    overdue(world)
    api = api_as("county_office")
    letter = issue(api, "rectification_letter", recipient=world.orgs["county_dept"].pk)
    assert (letter["data"]["open"], letter["data"]["overdue"]) == (2, 1)


def test_the_agenda_lists_it_as_a_dispute_and_not_as_overdue(world, api_as):
    problem = overdue_and_disputed(world)
    late = overdue(world)
    body = (
        api_as("county_office")
        .get("/daily/agenda", {"office": world.orgs["county_office"].pk})
        .json()
    )
    sections = {s["reason"]: s for s in body["sections"]}
    disputes = [item["problem"]["id"] for item in sections["dispute"]["items"]]
    overdue_ids = [item["problem"]["id"] for item in sections["overdue"]["items"]]
    assert disputes == [problem.pk]
    assert overdue_ids == [late.pk] and sections["overdue"]["total"] == 1
    (item,) = sections["dispute"]["items"]
    assert item["also"] == []


def test_the_leader_is_not_asked_to_instruct_on_the_wait(world, login):
    problem = overdue_and_disputed(world)
    late = overdue(world)
    page = login(world, "county_leader").get("/problems/queue/").content.decode()
    assert late.title in page
    assert problem.title not in page
