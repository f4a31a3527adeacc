"""The problem list: filters validated by a form, the stats line, pages, a fixed query budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.problems import actions
from ducha.problems.models import FocusArea
from tests.pages.helpers import listed_ids, overdue_problem, rectified, select_values, text

pytestmark = pytest.mark.django_db


def close_on_spot(world, problem):
    return actions.do_close_on_spot(
        problem, acting_user=world.users["county_office"], evidence="现场已整改，附照片"
    )


def test_list_shows_the_visible_problems_with_the_stats_line(world, login):
    problems = [world.problem() for _ in range(3)]
    close_on_spot(world, problems[0])
    world.problem(by="sibling_office", region="sibling")

    response = login(world, "county_office").get("/problems/")

    assert response.status_code == 200
    assert sorted(listed_ids(response)) == sorted(p.pk for p in problems)
    assert "发现问题 3 个，已完成整改 1 个，整改率 33.33%" in text(response)


def test_stats_follow_the_same_filters_as_the_rows(world, login):
    town = [world.problem(region="town") for _ in range(2)]
    close_on_spot(world, town[0])
    world.problem()  # in the county, outside the town

    response = login(world, "county_office").get(f"/problems/?region={world.orgs['town'].pk}")

    assert sorted(listed_ids(response)) == sorted(p.pk for p in town)
    assert "发现问题 2 个，已完成整改 1 个，整改率 50.00%" in text(response)


def test_region_filter_takes_the_whole_subtree(world, login):
    in_town = world.problem(region="town")
    in_county = world.problem()
    response = login(world, "city_office").get(f"/problems/?region={world.orgs['county'].pk}")
    assert sorted(listed_ids(response)) == sorted([in_town.pk, in_county.pk])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=assigned", {"assigned"}),
        ("state=new", {"new", "late", "common", "urgent", "market"}),
        ("nature=common", {"common"}),
        ("urgency=urgent", {"urgent"}),
        ("light=red", {"late"}),
        ("overdue=1", {"late"}),
        ("overdue=0", {"new", "assigned", "rectified", "common", "urgent", "market"}),
        ("q=农贸", {"market"}),
        ("state=rectified", {"rectified"}),
    ],
)
def test_each_filter_narrows_the_list(world, login, query, expected):
    made = {
        "new": world.problem(),
        "assigned": world.assigned(),
        "rectified": rectified(world),
        "late": overdue_problem(world),
        "common": world.problem(nature="common"),
        "urgent": world.problem(urgency="urgent"),
        "market": world.problem(title="农贸市场未查验健康码"),
    }
    response = login(world, "county_office").get(f"/problems/?{query}")
    assert response.status_code == 200
    assert set(listed_ids(response)) == {made[key].pk for key in expected}


def test_filters_by_focus_area_team_and_unit(world, login):
    focus = FocusArea.objects.get(code="supplies")
    by_focus = world.problem(focus_area=focus)
    by_team = world.problem(by="county_team_member", team=world.teams["county_team"])
    by_unit = world.assigned("county_market_dept")
    client = login(world, "county_office")

    assert listed_ids(client.get(f"/problems/?focus_area={focus.pk}")) == [by_focus.pk]
    team = world.teams["county_team"].pk
    assert listed_ids(client.get(f"/problems/?team={team}")) == [by_team.pk]
    unit = world.orgs["county_market_dept"].pk
    assert listed_ids(client.get(f"/problems/?responsible_org={unit}")) == [by_unit.pk]


def test_region_choices_are_only_visible_regions(world, login):
    # The pickers draw the chosen row only (tests/pickers); a forged choice names nothing.
    client = login(world, "county_office")
    response = client.get("/problems/", {"region": world.orgs["town"].pk})
    assert select_values(response, "region") == {str(world.orgs["town"].pk)}
    assert select_values(response, "team") == set()
    forged = client.get(
        "/problems/",
        {"team": world.teams["sibling_team"].pk, "responsible_org": world.orgs["sibling_dept"].pk},
    )
    assert select_values(forged, "team") == select_values(forged, "responsible_org") == set()
    assert "双滦区" not in forged.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "state=bogus",
        "region=abc",
        "region=999999",
        "light=purple",
        "overdue=maybe",
        "team=-1",
        "focus_area=x",
        "nature=both",
        "urgency=%00",
        "q=" + "长" * 201,
    ],
)
def test_bad_filter_values_show_a_form_error_not_a_crash(world, login, query):
    world.problem()
    response = login(world, "county_office").get(f"/problems/?{query}")
    assert response.status_code == 400
    html = text(response)
    assert 'data-testid="field-error"' in html
    assert 'data-testid="filter-errors"' in html
    assert listed_ids(response) == []


def test_a_region_outside_the_jurisdiction_is_refused_by_the_form(world, login):
    world.problem(by="sibling_office", region="sibling")
    response = login(world, "county_office").get(f"/problems/?region={world.orgs['sibling'].pk}")
    assert response.status_code == 400
    assert listed_ids(response) == []


def test_bad_page_numbers_fall_back_to_a_real_page(world, login):
    world.problem()
    client = login(world, "county_office")
    for page in ["abc", "0", "999"]:
        response = client.get(f"/problems/?page={page}")
        assert response.status_code == 200
        assert len(listed_ids(response)) == 1


def test_pages_and_query_count_stay_constant(world, login, settings, django_assert_max_num_queries):
    settings.DUCHA_PAGE_SIZE = 3
    client = login(world, "county_office")
    for _ in range(2):
        world.assigned(site=world.sites["checkpoint"], team=world.teams["county_team"])
    client.get("/problems/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get("/problems/?state=assigned")
    for _ in range(5):
        world.assigned(site=world.sites["checkpoint"], team=world.teams["county_team"])
    with CaptureQueriesContext(connection) as many:
        first = client.get("/problems/?state=assigned")
    assert len(many) == len(few)
    with django_assert_max_num_queries(len(few)):
        last = client.get("/problems/?state=assigned&page=3")

    assert len(listed_ids(first)) == 3 and len(listed_ids(last)) == 1
    assert "第 1 页，共 3 页" in text(first)
    assert "第 3 页，共 3 页" in text(last)
    assert "发现问题 7 个" in text(last)
    # Page links keep the filters.
    assert 'href="?state=assigned&amp;page=2"' in text(first)


def test_handler_lists_only_its_units_problems(world, login):
    mine = world.assigned("county_dept")
    world.assigned("county_market_dept")
    world.problem()
    response = login(world, "county_handler").get("/problems/")
    assert listed_ids(response) == [mine.pk]


def test_filters_fold_away_until_used(world, login):
    client = login(world, "county_office")
    assert '<details class="filters card mb-3">' in text(client.get("/problems/"))
    assert '<details class="filters card mb-3" open>' in text(client.get("/problems/?state=new"))


def test_an_htmx_request_gets_the_same_page(world, login):
    problem = world.problem()
    response = login(world, "county_office").get("/problems/?state=new", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="list-page"' in text(response)
    assert listed_ids(response) == [problem.pk]


def test_a_search_past_the_cap_says_more_than_instead_of_figures(world, login, settings):
    settings.DUCHA_SEARCH_COUNT_CAP = 1
    world.problem(title="隔离点物资台账与库存不一致")
    newer = world.problem(title="隔离点消杀记录不全")
    response = login(world, "county_office").get("/problems/", {"q": "隔離點"})
    assert response.status_code == 200
    # Past the cap the list shows its first matches only, newest first.
    assert listed_ids(response) == [newer.pk]
    assert "超过 1 个问题符合" in text(response)
