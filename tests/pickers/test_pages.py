"""Pages draw the chosen option only, and still take a valid id and refuse a forged one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.orgs.models import Org
from ducha.problems.models import FocusArea, Problem
from tests.pickers.conftest import village

pytestmark = pytest.mark.django_db


def options(response, name: str) -> list[str]:
    html = response.content.decode()
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"', match.group(1))


def record(world, region: Org, **overrides):
    return {
        "title": "村口卡点无人值守",
        "region": region.pk,
        "focus_area": FocusArea.objects.get(code="screening").pk,
        "found_at": timezone.localtime(timezone.now() - timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "urgency": "normal",
        "nature": "individual",
        **overrides,
    }


def test_the_create_form_names_the_chosen_region_only(villages, login):
    many = [village(villages.orgs["town"], f"第{n}村") for n in range(40)]
    response = login(villages, "county_office").get("/problems/new/")
    # "Choose…" and the user's own county: no other region.
    assert options(response, "region") == ["", str(villages.orgs["county"].pk)]
    html = response.content.decode()
    assert not [v for v in many if v.name in html]
    assert "东关村" not in html and "桥东街道" not in html
    # Site and team start empty: the empty choice alone.
    assert options(response, "site") == [""]
    assert 'data-picker="/api/v1/lookup/regions"' in html
    assert f"under={villages.orgs['county'].pk}" in html


def test_the_create_form_takes_a_picked_village_and_refuses_one_out_of_scope(villages, login):
    client = login(villages, "county_office")
    east = villages.orgs["east_village"]
    response = client.post("/problems/new/", record(villages, east))
    assert response.status_code == 302
    assert Problem.objects.get().region == east

    forged = client.post("/problems/new/", record(villages, villages.orgs["sibling_village"]))
    assert forged.status_code == 422
    assert Problem.objects.count() == 1
    html = forged.content.decode()
    region_field = html.split('data-field="region"')[1].split('data-field="site"')[0]
    assert 'data-testid="field-error"' in region_field
    # The forged id is not named back, nor is the neighbour's village.
    assert options(forged, "region") == [""]
    assert "双塔山镇" not in html


def test_a_bad_region_comes_back_with_the_chosen_site_still_drawn(villages, login):
    client = login(villages, "county_office")
    data = record(villages, villages.orgs["sibling_village"], site=villages.sites["clinic"].pk)
    response = client.post("/problems/new/", data)
    assert response.status_code == 422
    assert options(response, "site") == ["", str(villages.sites["clinic"].pk)]
    assert "东关村卫生室" in response.content.decode()


def test_the_list_filter_draws_the_chosen_village_and_ignores_a_forged_one(villages, login):
    client = login(villages, "county_office")
    mine = villages.problem(region="village")
    other = villages.problem(region="east_village")
    response = client.get("/problems/", {"region": villages.orgs["village"].pk})
    assert options(response, "region") == ["", str(villages.orgs["village"].pk)]
    html = response.content.decode()
    assert f'data-problem="{mine.pk}"' in html and f'data-problem="{other.pk}"' not in html
    assert "桥东街道" not in html.split('data-field="region"')[1].split("</select>")[0]

    forged = client.get("/problems/", {"region": villages.orgs["sibling_village"].pk})
    assert options(forged, "region") == [""]
    assert "双塔山镇" not in forged.content.decode()


def test_assigning_draws_no_unit_list_and_refuses_a_unit_out_of_scope(villages, login):
    client = login(villages, "county_office")
    problem = villages.problem(region="village")
    page = client.get(f"/problems/{problem.pk}/")
    assert options(page, "responsible_org") == [""]
    assert "双桥区市场监管局" not in page.content.decode()
    assert f"near={villages.orgs['village'].pk}" in page.content.decode()

    act = f"/problems/{problem.pk}/act/assign/"
    refused = client.post(act, {"responsible_org": villages.orgs["sibling_dept"].pk})
    assert refused.status_code == 422
    problem.refresh_from_db()
    assert problem.responsible_org_id is None
    taken = client.post(act, {"responsible_org": villages.orgs["county_market_dept"].pk})
    assert taken.status_code == 302
    problem.refresh_from_db()
    assert problem.responsible_org == villages.orgs["county_market_dept"]
