"""GET /problems: scoped, filtered, paged, with the stats line, at a fixed query cost."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ducha.problems import actions
from ducha.problems.models import FocusArea
from tests.api.conftest import field_errors

pytestmark = pytest.mark.django_db

ITEM_KEYS = {
    "id", "title", "state", "state_label", "region", "site", "focus_area", "team",
    "responsible_org", "urgency", "nature", "found_at", "deadline", "light", "overdue",
    "clock_paused", "closed_at", "time_to_close", "on_the_spot", "recurring",
}  # fmt: skip


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_list_is_scoped_to_the_jurisdiction(world, api_as):
    county = world.problem()
    town = world.problem(region="town")
    sibling = world.problem(by="sibling_office", region="sibling")
    assert ids(api_as("county_office").get("/problems")) == {county.pk, town.pk}
    assert ids(api_as("town_office").get("/problems")) == {town.pk}
    assert ids(api_as("city_office").get("/problems")) == {county.pk, town.pk, sibling.pk}
    assert ids(api_as("other_office").get("/problems")) == set()
    assert ids(api_as("outsider").get("/problems")) == set()


def test_item_shape(world, api_as):
    problem = world.assigned(site=world.sites["checkpoint"], team=world.teams["county_team"])
    body = api_as("county_office").get("/problems").json()
    assert set(body) == {"count", "page", "page_size", "stats", "items"}
    [item] = body["items"]
    assert set(item) == ITEM_KEYS
    assert item["id"] == problem.pk
    assert item["state"] == "assigned"
    assert item["state_label"]
    assert item["region"] == {"id": world.orgs["county"].pk, "name": "双桥区"}
    assert item["site"] == {"id": world.sites["checkpoint"].pk, "name": "双桥区高速卡口"}
    assert item["team"]["id"] == world.teams["county_team"].pk
    assert item["responsible_org"] == {"id": world.orgs["county_dept"].pk, "name": "双桥区卫健局"}
    assert item["focus_area"]["name"]
    assert item["light"] == "green"
    assert item["overdue"] is False
    assert item["clock_paused"] is False
    assert item["closed_at"] is None and item["time_to_close"] is None


def whole_milliseconds(text: str):
    # Django's encoder cuts times to milliseconds, so a time 1-999 µs past a second reads
    # ".000Z"; parsed back it is on the second and reads "Z". Both name the same instant.
    return json.loads(re.sub(r'\.000(Z|[+-]\d\d:\d\d)"', r'\1"', text))


def test_items_match_the_schema_and_the_detail(world, api_as):
    # The page is rendered without ninja checking it against its schema (json_answer): the
    # schema and the detail's fields are checked here instead, on every kind of item.
    from ninja.responses import NinjaJSONEncoder

    from ducha.problems.schemas import ProblemItem, ProblemPage

    api = api_as("county_office")
    world.assigned(site=world.sites["checkpoint"], team=world.teams["county_team"])
    world.problem(region="town")
    closed = world.problem(found_at=timezone.now() - timedelta(hours=2))
    actions.do_close_on_spot(closed, acting_user=world.users["county_office"], evidence="已整改")
    body = api.get("/problems").json()
    # What ninja would have answered after validating the page against its schema.
    validated = ProblemPage.model_validate(body).model_dump()
    assert whole_milliseconds(json.dumps(validated, cls=NinjaJSONEncoder)) == whole_milliseconds(
        json.dumps(body)
    )
    assert len(body["items"]) == 3
    for item in body["items"]:
        detail = api.get(f"/problems/{item['id']}").json()
        assert item == {key: detail[key] for key in ProblemItem.model_fields}


def test_closed_item_carries_time_to_close_in_seconds(world, api_as):
    problem = world.problem(found_at=timezone.now() - timedelta(hours=2))
    actions.do_close_on_spot(problem, acting_user=world.users["county_office"], evidence="已整改")
    [item] = api_as("county_office").get("/problems").json()["items"]
    assert item["light"] is None
    assert item["on_the_spot"] is True
    assert 2 * 3600 <= item["time_to_close"] < 2 * 3600 + 60


def test_stats_follow_the_filters(world, api_as):
    office = world.users["county_office"]
    for _ in range(2):
        actions.do_close_on_spot(world.problem(), acting_user=office, evidence="已整改")
    world.problem()
    common = world.problem(region="town", nature="common")
    api = api_as("county_office")
    whole = {"found": 4, "more": False, "rectified": 2, "rate": "50.00", "disputed": 0}
    assert api.get("/problems").json()["stats"] == whole
    body = api.get("/problems", {"nature": "individual"}).json()
    assert body["stats"] == {
        "found": 3, "more": False, "rectified": 2, "rate": "66.67", "disputed": 0
    }  # fmt: skip
    assert body["count"] == 3
    actions.do_assign(common, acting_user=office, responsible_org=world.orgs["county_dept"])
    actions.do_dispute(common, acting_user=world.users["county_handler"], reason="不属本单位")
    assert api.get("/problems").json()["stats"] == whole | {"disputed": 1}
    assert api.get("/problems", {"nature": "individual"}).json()["stats"]["disputed"] == 0


def test_filters(world, api_as):
    office = world.users["county_office"]
    new = world.problem(title="核酸采样点排队过长")
    assigned = world.assigned(team=world.teams["county_team"], urgency="urgent")
    town = world.problem(region="town", nature="common")
    late = world.problem(found_at=timezone.now() - timedelta(days=5))
    closed = world.problem()
    actions.do_close_on_spot(closed, acting_user=office, evidence="已整改")
    other_area = FocusArea.objects.exclude(code="screening").first()
    elsewhere = world.problem(focus_area=other_area)
    api = api_as("county_office")
    everything = {new.pk, assigned.pk, town.pk, late.pk, closed.pk, elsewhere.pk}
    assert ids(api.get("/problems")) == everything
    assert ids(api.get("/problems", {"state": "assigned"})) == {assigned.pk}
    assert ids(api.get("/problems", {"state": "closed"})) == {closed.pk}
    assert ids(api.get("/problems", {"region": world.orgs["town"].pk})) == {town.pk}
    assert ids(api.get("/problems", {"nature": "common"})) == {town.pk}
    assert ids(api.get("/problems", {"urgency": "urgent"})) == {assigned.pk}
    assert ids(api.get("/problems", {"team": world.teams["county_team"].pk})) == {assigned.pk}
    dept = world.orgs["county_dept"].pk
    assert ids(api.get("/problems", {"responsible_org": dept})) == {assigned.pk}
    assert ids(api.get("/problems", {"focus_area": other_area.pk})) == {elsewhere.pk}
    assert ids(api.get("/problems", {"light": "red"})) == {late.pk}
    assert ids(api.get("/problems", {"overdue": "true"})) == {late.pk}
    assert ids(api.get("/problems", {"overdue": "false"})) == everything - {late.pk}
    assert ids(api.get("/problems", {"q": "排队"})) == {new.pk}
    assert ids(api.get("/problems", {"state": "new", "region": world.orgs["town"].pk})) == {town.pk}


def test_pagination(world, api_as):
    made = [world.problem(found_at=timezone.now() - timedelta(minutes=n)) for n in range(1, 6)]
    api = api_as("county_office")
    first = api.get("/problems", {"page_size": 2}).json()
    assert (first["count"], first["page"], first["page_size"]) == (5, 1, 2)
    assert [i["id"] for i in first["items"]] == [made[0].pk, made[1].pk]
    last = api.get("/problems", {"page_size": 2, "page": 3}).json()
    assert [i["id"] for i in last["items"]] == [made[4].pk]
    beyond = api.get("/problems", {"page_size": 2, "page": 4}).json()
    assert beyond["items"] == [] and beyond["count"] == 5
    assert api.get("/problems", {"page_size": 200}).status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "finished"}, "state"),
        ({"light": "purple"}, "light"),
        ({"nature": "both"}, "nature"),
        ({"urgency": "soon"}, "urgency"),
        ({"overdue": "maybe"}, "overdue"),
        ({"region": "双桥区"}, "region"),
        ({"team": "1.5"}, "team"),
        ({"focus_area": "x"}, "focus_area"),
        ({"responsible_org": "x"}, "responsible_org"),
        ({"page": 0}, "page"),
        ({"page": "x"}, "page"),
        ({"page_size": 201}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_query_params_are_422_naming_the_field(world, api_as, params, field):
    response = api_as("county_office").get("/problems", params)
    assert response.status_code == 422
    assert field_errors(response) == {field}


@pytest.mark.parametrize("region", ["sibling", "city", "other_province", "county_dept", None])
def test_region_outside_the_jurisdiction_is_422(world, api_as, region):
    pk = world.orgs[region].pk if region else 999999
    response = api_as("county_office").get("/problems", {"region": pk})
    assert response.status_code == 422
    assert response.json()["field"] == "region"


def test_query_count_does_not_grow_with_the_page(world, api_as, django_assert_max_num_queries):
    api = api_as("county_office")

    def make(n: int) -> None:
        for _ in range(n):
            world.assigned(site=world.sites["checkpoint"], team=world.teams["county_team"])

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/problems", {"page_size": 200}).status_code == 200
        return len(queries)

    make(2)
    few = cost()
    make(30)
    with django_assert_max_num_queries(few):
        body = api.get("/problems", {"page_size": 200}).json()
    assert len(body["items"]) == 32
    assert cost() == few


def test_text_search_stays_inside_the_scope_and_its_region_filter(world, api_as):
    """The search narrows what the caller sees: the same words elsewhere stay out, in either
    script, and with a region filter only that region's problems match."""
    words = {"title": "隔离点物资台账与库存不一致"}
    county = world.problem(**words)
    town = world.problem(region="town", **words)
    sibling = world.problem(by="sibling_office", region="sibling", **words)
    world.problem(title="卡口未登记过往车辆")
    api = api_as("county_office")
    assert ids(api.get("/problems", {"q": "隔離點 台賬"})) == {county.pk, town.pk}
    town_only = {"q": "隔离点", "region": world.orgs["town"].pk}
    assert ids(api.get("/problems", town_only)) == {town.pk}
    assert ids(api_as("city_office").get("/problems", {"q": "物资"})) == {
        county.pk,
        town.pk,
        sibling.pk,
    }
    assert ids(api_as("other_office").get("/problems", {"q": "物资"})) == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
def test_search_within_a_scope_can_use_the_region_led_index(world, api_as):
    """The index leads with the region levels and the scope's ids are compared as bigint:
    with a bare integer PostgreSQL cannot use those columns (docs/performance.md)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'problems_problem_search'"
        )
        (definition,) = cursor.fetchone()
    assert "gin (province_id, city_id, county_id, town_id, village_id, search_vector)" in (
        definition
    )
    problem = world.problem(title="隔离点物资台账与库存不一致")
    with CaptureQueriesContext(connection) as queries:
        found = ids(api_as("county_office").get("/problems", {"q": "台账"}))
    assert found == {problem.pk}
    searches = [q["sql"] for q in queries.captured_queries if "search_vector" in q["sql"]]
    county = world.orgs["county"].pk
    assert searches
    assert all(f'"county_id" = ({county})::bigint' in sql for sql in searches)


def test_a_search_matching_more_than_the_cap_says_so_instead_of_counting(world, api_as, settings):
    """Past the cap a search answers its page and "more than N", never figures it did not
    count; narrowed under the cap it gives the exact line again."""
    settings.DUCHA_SEARCH_COUNT_CAP = 2
    for _ in range(3):
        world.problem(title="隔离点物资台账与库存不一致")
    api = api_as("county_office")
    body = api.get("/problems", {"q": "隔离点"}).json()
    assert body["stats"] == {
        "found": 2, "more": True, "rectified": None, "rate": None, "disputed": None
    }  # fmt: skip
    assert body["count"] == 2
    # The newest two are listed, as the page lists them; the page after the cap is empty.
    listed = [item["id"] for item in body["items"]]
    assert len(listed) == 2
    assert api.get("/problems", {"q": "隔离点", "page": 2, "page_size": 1}).json()["items"]
    assert api.get("/problems", {"q": "隔离点", "page": 3, "page_size": 1}).json()["items"] == []
    settings.DUCHA_SEARCH_COUNT_CAP = 3
    exact = api.get("/problems", {"q": "隔离点"}).json()["stats"]
    assert exact == {"found": 3, "more": False, "rectified": 0, "rate": "0.00", "disputed": 0}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_past_the_cap_the_page_walks_the_scope_instead_of_the_index(world, api_as, settings):
    """Words known to match many problems are kept off the GIN index for the page, so that
    a misjudged pair of words is not read and sorted in full (docs/performance.md)."""
    settings.DUCHA_SEARCH_COUNT_CAP = 1
    older = world.problem(title="隔离点物资台账与库存不一致")
    newer = world.problem(title="隔离点物资发放未登记")
    with CaptureQueriesContext(connection) as queries:
        body = api_as("county_office").get("/problems", {"q": "隔离点 物资"}).json()
    assert [item["id"] for item in body["items"]] == [newer.pk]
    assert older.pk != newer.pk
    pages = [
        q["sql"]
        for q in queries.captured_queries
        if "LIMIT 1" in q["sql"] and "ORDER BY" in q["sql"]
    ]
    assert pages and all("COALESCE(" in sql for sql in pages)
