"""The resumption dashboard: /reports/resumption/ and /api/v1/reports/resumption agree, count
as of the day asked, and count only the caller's jurisdiction."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.resumption.choices import Category
from ducha.resumption.models import Enterprise
from tests.api.conftest import field_errors
from tests.resumption_figures.scene import county_ledger

pytestmark = pytest.mark.django_db

ABOVE = Category.INDUSTRY_ABOVE_SCALE


def _figures(row):
    return (row["total"], row["filed"], row["resumed"], row["excluded"])


def _by_key(rows):
    return {row["key"]: row for row in rows}


def test_the_county_counts_by_category_area_and_street(world, api_as):
    ledger = county_ledger(world)
    response = api_as("county_office").get(
        "/reports/resumption", {"as_of": ledger.day(10).isoformat()}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["region"] == {"id": world.orgs["county"].pk, "name": "双桥区"}
    categories = _by_key(body["categories"])
    # The stopped factory stopped that very day; the new one was registered after it.
    assert _figures(categories[ABOVE]) == (3, 2, 1, 0)
    assert (categories[ABOVE]["filing_rate"], categories[ABOVE]["resumption_rate"]) == (
        "66.67",
        "33.33",
    )
    assert _figures(categories[Category.INDUSTRY_OTHER]) == (1, 1, 1, 0)
    assert _figures(categories[Category.CONSTRUCTION]) == (1, 1, 1, 1)
    assert _figures(body["industry"]) == (4, 3, 2, 0)
    assert (body["industry"]["filing_rate"], body["industry"]["resumption_rate"]) == (
        "75.00",
        "50.00",
    )
    assert _figures(body["whole"]) == (5, 4, 3, 1)
    areas = _by_key(body["areas"])
    assert _figures(areas["南区"]) == (2, 2, 1, 0)
    assert _figures(areas["东区"]) == (2, 1, 1, 0)
    assert _figures(areas[""]) == (1, 1, 1, 1)
    streets = _by_key(body["regions"])
    assert _figures(streets[str(world.orgs["town"].pk)]) == (1, 1, 0, 0)
    assert streets[str(world.orgs["town"].pk)]["label"] == "水泉沟镇"
    assert _figures(streets[""]) == (4, 3, 3, 1)  # in the county itself, not in a street
    # The sibling county's steelworks is nowhere.
    assert "双滦区钢铁厂" not in response.content.decode()


def test_as_of_before_and_after_a_resumption_and_a_stop(world, api_as):
    ledger = county_ledger(world)
    api = api_as("county_office")

    def above_scale(days):
        body = api.get("/reports/resumption", {"as_of": ledger.day(days).isoformat()}).json()
        return _figures(_by_key(body["categories"])[ABOVE])

    # The town's factory works from day 3; the south's from day 5; the town's stops on 10.
    assert above_scale(0) == (3, 0, 0, 0)
    assert above_scale(1) == (3, 1, 0, 0)
    assert above_scale(4) == (3, 2, 1, 0)
    assert above_scale(5) == (3, 2, 2, 0)
    assert above_scale(9) == (3, 2, 2, 0)
    assert above_scale(10) == (3, 2, 1, 0)
    assert above_scale(20) == (4, 2, 1, 0)
    # The small workshop stopped on day 4 and worked again from day 8.
    other = Category.INDUSTRY_OTHER
    resumed = [
        _by_key(api.get("/reports/resumption", {"as_of": ledger.day(d).isoformat()}).json()[
            "categories"
        ])[other]["resumed"]
        for d in (3, 4, 7, 8)
    ]  # fmt: skip
    assert resumed == [1, 0, 0, 1]
    # Before the ledger began there is nothing, and the page says so.
    before = api.get("/reports/resumption", {"as_of": ledger.day(-1).isoformat()}).json()
    assert before["categories"] == [] and _figures(before["whole"]) == (0, 0, 0, 0)


def test_the_page_shows_the_api_figures_and_sentences(world, api_as, login):
    ledger = county_ledger(world)
    day = ledger.day(10).isoformat()
    body = api_as("county_office").get("/reports/resumption", {"as_of": day}).json()
    page = login(world, "county_office").get("/reports/resumption/", {"as_of": day})
    assert page.status_code == 200
    html = page.content.decode()
    for sentence in body["sentences"]:
        assert sentence in html
    assert len(body["sentences"]) == 4  # industry, above-scale, other industry, construction
    assert f'value="{day}"' in html
    row = re.search(rf'<tr data-key="{ABOVE}">(.*?)</tr>', html, re.S)
    assert row is not None
    assert '<td class="text-end" data-figure="filing-rate">66.67%</td>' in row.group(1)
    assert '<td class="text-end" data-figure="resumption-rate">33.33%</td>' in row.group(1)
    town = world.orgs["town"].pk
    assert f'href="?region={town}&amp;as_of={day}"' in html
    # Today by default.
    today = login(world, "county_office").get("/reports/resumption/")
    assert f'value="{timezone.localdate().isoformat()}"' in today.content.decode()


def test_excluded_are_listed_apart_and_not_in_the_rates(world, api_as, login):
    ledger = county_ledger(world)
    day = ledger.day(10).isoformat()
    body = api_as("county_office").get("/reports/resumption", {"as_of": day}).json()
    assert body["excluded"] == 1
    assert body["excluded_listed"] == [
        {
            "id": ledger.airport.pk,
            "name": "机场改扩建工程",
            "kind": "project",
            "category": "construction",
            "area": "",
            "reason": "由省级部门监管",
        }
    ]
    construction = _by_key(body["categories"])[Category.CONSTRUCTION]
    assert (construction["total"], construction["resumption_rate"]) == (1, "100.00")
    html = login(world, "county_office").get("/reports/resumption/", {"as_of": day})
    excluded = re.search(r'data-testid="excluded">(.*?)</section>', html.content.decode(), re.S)
    assert excluded is not None and "机场改扩建工程" in excluded.group(1)
    assert "由省级部门监管" in excluded.group(1)


def test_each_jurisdiction_counts_its_own(world, api_as, login):
    ledger = county_ledger(world)
    day = ledger.day(10).isoformat()
    sibling = api_as("sibling_office").get("/reports/resumption", {"as_of": day}).json()
    assert _figures(sibling["whole"]) == (1, 1, 1, 0)
    assert sibling["region"]["name"] == "双滦区"
    town = api_as("town_office").get("/reports/resumption", {"as_of": day}).json()
    assert _figures(town["whole"]) == (1, 1, 0, 0)
    city = api_as("city_office").get("/reports/resumption", {"as_of": day}).json()
    assert _figures(city["whole"]) == (6, 5, 4, 1)
    assert {row["label"] for row in city["regions"]} == {"双桥区", "双滦区"}
    # The city office opens a county of its own; nobody opens one outside theirs.
    county = world.orgs["county"].pk
    opened = api_as("city_office").get("/reports/resumption", {"region": county, "as_of": day})
    assert _figures(opened.json()["whole"]) == (5, 4, 3, 1)
    for persona, region in [
        ("sibling_office", county),
        ("town_office", county),
        ("other_office", county),
        ("county_office", world.orgs["sibling"].pk),
        ("county_office", world.orgs["county_office"].pk),  # an office, not a region
        ("county_office", 10**9),
    ]:
        api = api_as(persona).get("/reports/resumption", {"region": region})
        assert api.status_code == 404, (persona, region)
        page = login(world, persona).get("/reports/resumption/", {"region": region})
        assert page.status_code == 404, (persona, region)
    for persona in ("outsider", "county_admin"):
        assert api_as(persona).get("/reports/resumption").status_code == 404
    page = login(world, "sibling_office").get("/reports/resumption/", {"as_of": day})
    assert "双滦区钢铁厂" not in page.content.decode()  # counted, never listed
    assert "南区电子厂" not in page.content.decode()


def test_a_unit_counts_the_enterprises_it_supervises(world, api_as):
    ledger = county_ledger(world)
    Enterprise.objects.filter(pk=ledger.filed_late.pk).update(supervisor=world.orgs["county_dept"])
    body = api_as("county_handler").get(
        "/reports/resumption", {"as_of": ledger.day(10).isoformat()}
    )
    assert body.status_code == 200
    assert body.json()["region"] is None
    assert _figures(body.json()["whole"]) == (1, 1, 1, 0)
    assert _figures(api_as("market_handler").get("/reports/resumption").json()["whole"]) == (
        0,
        0,
        0,
        0,
    )


def test_a_bad_day_is_refused_alike_on_the_page_and_the_api(world, api_as, login):
    county_ledger(world)
    api = api_as("county_office")
    client = login(world, "county_office")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    for bad in ("2020-02-30", "yesterday", "20200218", "1999-12-31", tomorrow):
        answer = api.get("/reports/resumption", {"as_of": bad})
        assert answer.status_code == 422, bad
        assert field_errors(answer) == {"as_of"}
        page = client.get("/reports/resumption/", {"as_of": bad})
        assert page.status_code == 400, bad
        assert answer.json()["detail"] in page.content.decode()
        assert 'data-testid="sentence"' not in page.content.decode()
    too_long = api.get("/reports/resumption", {"as_of": "2020-02-18" * 10})
    assert too_long.status_code == 422 and field_errors(too_long) == {"as_of"}


def test_rates_are_rounded_as_the_rectification_rate(world, api_as):
    start = timezone.localdate() - timedelta(days=5)
    base = {
        "kind": "enterprise",
        "region": world.orgs["county"],
        "registered_on": start,
        "created_by": world.users["county_office"],
    }

    def rows(category, count, filed):
        made = []
        for number in range(count):
            row = Enterprise(
                name=f"企业{number}",
                category=category,
                filed_on=start if number < filed else None,
                **base,
            )
            row.copy_levels_from(world.orgs["county"])
            made.append(row)
        Enterprise.objects.bulk_create(made)

    rows(ABOVE, 354, 303)  # the seed's 303 of 354: 85.5932… → 85.59
    rows(Category.SERVICES, 800, 1)  # 0.125 rounds half up → 0.13, never 0.12
    rows(Category.KEY_SUPPLIES, 3, 2)  # 66.666… → 66.67
    body = api_as("county_office").get("/reports/resumption").json()
    rates = {row["key"]: row["filing_rate"] for row in body["categories"]}
    assert rates == {ABOVE: "85.59", Category.SERVICES: "0.13", Category.KEY_SUPPLIES: "66.67"}
    assert body["whole"]["resumption_rate"] == "0.00"


def test_the_main_dashboard_leads_here_when_there_are_enterprises(world, login):
    county_ledger(world)
    county = login(world, "county_office").get("/reports/").content.decode()
    assert f'href="/reports/resumption/?region={world.orgs["county"].pk}"' in county
    town = world.orgs["town"].pk
    drill = login(world, "county_office").get(f"/reports/regions/{town}/").content.decode()
    assert f'href="/reports/resumption/?region={town}"' in drill
    other = login(world, "other_office").get("/reports/").content.decode()
    assert 'data-testid="resumption-link"' not in other
