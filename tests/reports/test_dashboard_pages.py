"""The dashboard pages: figures equal the problem lists behind them, drill-down, languages."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ducha.accounts.models import Membership
from ducha.problems import actions
from tests.reports.walk import random_walk

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def figure(page: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}".*?figure-value">([^<]*)<', page, re.S)
    assert match, name
    return match.group(1).strip()


def link_of(page: str, name: str) -> str:
    match = re.search(rf'href="([^"]+)" data-figure="{name}"', page)
    assert match, name
    return match.group(1).replace("&amp;", "&")


def stats_line(page: str) -> tuple[int, int]:
    """(found, rectified) from the problem list's stats line."""
    match = re.search(r'data-testid="stats">\D*(\d+)\D+(\d+)', page)
    assert match
    return int(match.group(1)), int(match.group(2))


def row(page: str, kind: str, key: int) -> dict[str, str]:
    match = re.search(rf'<tr data-{kind}="{key}">(.*?)</tr>', page, re.S)
    assert match, (kind, key)
    cells = re.findall(r'data-figure="([\w-]+)">(?:<a [^>]*>)?([^<]*)', match.group(1))
    return {name: value.strip() for name, value in cells}


def test_every_figure_equals_the_list_behind_it(world, login):
    random_walk(world, 11, problems=14, steps=60)
    client = login(world, "county_office")
    page = html(client.get("/reports/"))
    assert 'data-testid="scope-title">双桥区<' in page
    for name in ("found", "rectified", "overdue"):
        found, _ = stats_line(html(client.get(link_of(page, name))))
        assert int(figure(page, name)) == found, name
    everything = html(client.get(link_of(page, "found")))
    assert figure(page, "rate") == re.search(r"(\d+\.\d\d)%", everything).group(1) + "%"
    # The lights and the disputes (their clock paused) add up to the open problems, and each
    # links to its own list.
    lights = re.findall(r'data-light="(\w+)">[^<]*?(\d+)</a>', page)
    assert sum(int(count) for _, count in lights) == int(figure(page, "open"))
    for light, count in lights:
        which = "state=disputed" if light == "paused" else f"light={light}"
        listed = html(client.get(f"/problems/?region={world.orgs['county'].pk}&{which}"))
        assert stats_line(listed)[0] == int(count)


def test_the_city_drills_down_to_its_counties_and_towns(world, login):
    random_walk(world, 12, problems=14, steps=60)
    client = login(world, "city_office")
    page = html(client.get("/reports/"))
    county, sibling, town = world.orgs["county"], world.orgs["sibling"], world.orgs["town"]
    for region in (county, sibling):
        line = row(page, "region", region.pk)
        listed = html(client.get(f"/problems/?region={region.pk}"))
        assert int(line["found"]) == stats_line(listed)[0]
        assert f'href="/reports/regions/{region.pk}/"' in page
    county_page = html(client.get(f"/reports/regions/{county.pk}/"))
    assert f'<a href="/reports/regions/{world.orgs["city"].pk}/?days=30">承德市</a>' in county_page
    town_line = row(county_page, "region", town.pk)
    town_page = html(client.get(f"/reports/regions/{town.pk}/"))
    assert figure(town_page, "found") == town_line["found"]
    # Recorded against the county itself, not a town: its own line closes the sum.
    own = re.search(r'<tr data-region="0">(.*?)</tr>', county_page, re.S)
    county_found = int(figure(county_page, "found"))
    own_found = int(row(county_page, "region", 0)["found"]) if own else 0
    assert county_found == int(town_line["found"]) + own_found


def test_regions_without_problems_are_listed_with_zeros(world, login):
    world.problem()
    page = html(login(world, "city_office").get("/reports/"))
    assert row(page, "region", world.orgs["sibling"].pk)["found"] == "0"
    assert row(page, "region", world.orgs["county"].pk)["found"] == "1"


def test_a_jurisdiction_over_every_top_region_is_the_whole_country(world, login):
    world.problem()
    world.problem(by="other_office", region="other_province", title="四川的问题")
    user = world.users["province_office"]
    Membership.objects.create(user=user, org=world.orgs["other_office"], role="office_staff")
    page = html(login(world, "province_office").get("/reports/"))
    assert 'data-testid="scope-title">全国<' in page
    assert figure(page, "found") == "2"
    assert row(page, "region", world.orgs["other_province"].pk)["found"] == "1"


def test_a_unit_counts_the_problems_in_its_care(world, login):
    world.assigned()
    world.assigned(unit="county_market_dept")
    world.problem()
    page = html(login(world, "county_handler").get("/reports/"))
    assert figure(page, "found") == "1"
    assert row(page, "unit", world.orgs["county_dept"].pk)["found"] == "1"


def test_the_trend_counts_found_and_closed_per_day(world, login):
    # Five minutes ago, but never before today's local midnight.
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = world.problem(found_at=max(timezone.now() - timedelta(minutes=5), midnight))
    world.problem(found_at=timezone.now() - timedelta(days=3))
    actions.do_close_on_spot(today, acting_user=world.users["county_office"], evidence="当场")
    client = login(world, "county_office")
    page = html(client.get("/reports/?days=7"))
    day = timezone.localdate().isoformat()
    line = re.search(rf'<tr data-day="{day}"><td>[^<]*</td><td[^>]*>(\d+)</td><td[^>]*>(\d+)', page)
    assert line and line.groups() == ("1", "1")
    assert len(re.findall(r"<tr data-day=", page)) == 7
    assert len(re.findall(r"<tr data-day=", html(client.get("/reports/?days=90")))) == 90
    charts = json.loads(re.search(r'id="dashboard-charts"[^>]*>(.*?)</script>', page).group(1))
    assert charts["trend"]["series"][0]["values"][-1] == 1
    assert len(charts["trend"]["categories"]) == 7


def test_a_repeat_at_a_site_is_listed_with_its_site(world, login):
    office = world.users["county_office"]
    first = world.problem(site=world.sites["checkpoint"])
    actions.do_close_on_spot(first, acting_user=office, evidence="当场")
    world.problem(site=world.sites["checkpoint"], found_at=timezone.now())
    page = html(login(world, "county_office").get("/reports/"))
    assert row(page, "site", world.sites["checkpoint"].pk)["recurrences"] == "1"
    assert figure(page, "recurrences") == "1"


def test_traditional_chinese_and_english(world, login):
    world.problem()
    client = login(world, "county_office")
    hant = html(client.get("/reports/", headers={"accept-language": "zh-hant"}))
    assert "累計發現問題1個，已完成整改0個，整改率0.00%。" in hant
    english = html(client.get("/reports/", headers={"accept-language": "en"}))
    assert "1 problems found in all, 0 rectified, a rectification rate of 0.00%." in english


def test_the_page_costs_the_same_queries_however_many_problems(world, login):
    client = login(world, "city_office")
    random_walk(world, 13, problems=12, steps=50)
    client.get("/reports/")
    with CaptureQueriesContext(connection) as few:
        html(client.get("/reports/"))
    random_walk(world, 14, problems=24, steps=100)
    with CaptureQueriesContext(connection) as many:
        html(client.get("/reports/"))
    # Session, user and grants, the rollup reads (on PostgreSQL with the two statements that
    # set up their snapshot), the names of what the lines show.
    assert len(many) == len(few) <= 27


def test_the_office_goes_on_from_the_dashboard_to_its_day(world, login):
    world.problem()
    office = html(login(world, "county_office").get("/reports/"))
    assert 'data-testid="office-work"' in office
    county = world.orgs["county"].pk
    assert f'href="/documents/new/?kind=bulletin&amp;region={county}"' in office
    assert f'href="/ledger/export/?region={world.orgs["county"].pk}"' in office
    leader = html(login(world, "county_leader").get("/reports/"))
    assert 'data-testid="office-work"' not in leader
