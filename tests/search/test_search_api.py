"""GET /api/v1/search: either script finds the other, reports and rules are searched, scope
holds for what is found and for what is counted, titles rank first."""

from __future__ import annotations

import pytest

from ducha.problems import actions
from tests.search.helpers import found, problem_ids, visit

pytestmark = pytest.mark.django_db


def test_traditional_finds_simplified_and_the_reverse(world, api_as):
    simplified = world.problem(title="卡口报表未按时上报")
    traditional = world.problem(title="隔離點報表填寫不全")
    other = world.problem(title="测温枪无备用电池")
    api = api_as("county_office")
    assert set(problem_ids(api, "報表")) == {simplified.pk, traditional.pk}
    assert set(problem_ids(api, "报表")) == {simplified.pk, traditional.pk}
    assert other.pk not in problem_ids(api, "报表")


def test_the_matched_words_are_marked_in_either_script(world, api_as):
    problem = world.problem(title="卡口报表未按时上报", description="三天的<b>报表</b>缺失")
    [hit] = found(api_as("county_office"), "報表", "problems")["problems"]["items"]
    assert hit["id"] == problem.pk
    assert hit["marked_title"] == "卡口<mark>报表</mark>未按时上报"
    # The description is escaped, only the marks are markup.
    assert "&lt;b&gt;<mark>报表</mark>&lt;/b&gt;" in hit["marked_snippet"]
    assert hit["url"] == f"/problems/{problem.pk}/"


def test_a_word_of_a_rectification_report_finds_its_problem(world, api_as):
    problem = world.assigned()
    api = api_as("county_office")
    assert problem_ids(api, "消毒记录台账") == []
    actions.do_submit_rectification(
        problem, acting_user=world.users["county_handler"], text="已补齐消毒记录台账并张贴公示"
    )
    assert problem_ids(api, "消毒记录台账") == [problem.pk]
    [hit] = found(api, "台账", "problems")["problems"]["items"]
    assert "<mark>台账</mark>" in hit["marked_snippet"]


def test_a_word_of_a_lasting_rule_or_a_verification_finds_its_problem(world, api_as):
    problem = world.assigned()
    office = world.users["county_office"]
    problem = actions.do_submit_rectification(
        problem, acting_user=world.users["county_handler"], text="已整改"
    )
    problem = actions.do_verify(problem, acting_user=office, accept=False, comment="照片模糊")
    problem = actions.do_submit_rectification(
        problem, acting_user=world.users["county_handler"], text="重新拍照"
    )
    problem = actions.do_verify(problem, acting_user=office, accept=True)
    actions.do_institutionalize(problem, acting_user=office, rule="建立卡口交接班签字制度")
    api = api_as("county_office")
    assert problem_ids(api, "交接班制度") == [problem.pk]
    assert problem_ids(api, "照片模糊") == [problem.pk]


def test_an_inspection_is_found_by_its_notes_and_its_answers(world, api_as):
    inspection = visit(world, "登记本字迹潦草", notes="值班人员对流程熟悉")
    api = api_as("county_office")
    assert found(api, "字迹潦草", "inspections")["inspections"]["ids"] == [inspection.pk]
    assert found(api, "值班流程", "inspections")["inspections"]["ids"] == [inspection.pk]
    assert found(api, "值班流程", "inspections")["inspections"]["count"] == 1


def test_a_county_never_finds_nor_counts_a_neighbours_rows(world, api_as):
    own = world.problem(title="冷链仓库消杀记录缺失")
    neighbour = world.problem(by="sibling_office", region="sibling", title="冷链仓库消杀记录缺失")
    own_visit = visit(world, "冷链仓库未消杀")
    neighbour_visit = visit(
        world,
        "冷链仓库未消杀",
        by="sibling_team_member",
        team="sibling_team",
        site="sibling_market",
        office="sibling_office",
    )
    county = found(api_as("county_office"), "冷链仓库")
    assert county["problems"] == county["problems"] | {"count": 1, "ids": [own.pk]}
    assert county["inspections"]["count"] == 1
    assert county["inspections"]["ids"] == [own_visit.pk]
    sibling = found(api_as("sibling_office"), "冷链仓库")
    assert (sibling["problems"]["ids"], sibling["inspections"]["ids"]) == (
        [neighbour.pk],
        [neighbour_visit.pk],
    )
    # The city above both sees both.
    city = found(api_as("city_office"), "冷链仓库")
    assert (city["problems"]["count"], city["inspections"]["count"]) == (2, 2)
    # Someone without a grant sees nothing, not even a number.
    nobody = found(api_as("outsider"), "冷链仓库")
    assert all(section["count"] == 0 for section in nobody.values())


def test_a_unit_finds_only_its_own_problems(world, api_as):
    mine = world.assigned(title="卫生院发热门诊无人值守")
    theirs = world.assigned(unit="county_market_dept", title="市场发热门诊登记缺失")
    handler = found(api_as("county_handler"), "发热门诊")
    assert handler["problems"]["ids"] == [mine.pk]
    assert handler["problems"]["count"] == 1
    assert theirs.pk in found(api_as("county_office"), "发热门诊")["problems"]["ids"]


def test_a_secret_visit_is_never_found_by_those_it_inspects(world, api_as):
    from tests.fieldwork.domain.factory import plan

    plan(world, method="unannounced", notes="突击检查冷链仓库")
    for key in ("county_handler", "sibling_office", "town_office"):
        sections = found(api_as(key), "突击检查")
        assert all(section["count"] == 0 for section in sections.values()), key


def test_a_title_match_ranks_before_a_weaker_one(world, api_as):
    in_title = world.problem(title="消防通道堵塞")
    in_body = world.problem(
        title="商场安全隐患", description="二楼仓库堆放杂物较多，其中一处影响消防疏散，另有照明不足"
    )
    # Later rows come first among equals: the title must win on its own merit.
    assert in_title.pk < in_body.pk
    assert problem_ids(api_as("county_office"), "消防") == [in_title.pk, in_body.pk]


def test_pages_of_one_kind(world, api_as):
    made = [world.problem(title=f"第{n}号卡口报表缺失") for n in range(7)]
    api = api_as("county_office")
    first = found(api, "报表", "problems", page_size=5)["problems"]
    second = found(api, "报表", "problems", page_size=5, page=2)["problems"]
    assert first["count"] == second["count"] == 7
    assert len(first["ids"]) == 5 and len(second["ids"]) == 2
    assert set(first["ids"]) | set(second["ids"]) == {p.pk for p in made}
    # Without a kind, every kind shows its first rows only.
    everything = found(api, "报表")
    assert set(everything) == {"problems", "inspections", "documents"}
    assert everything["problems"]["count"] == 7 and len(everything["problems"]["ids"]) == 5


def test_a_search_needs_a_login(client):
    response = client.get("/api/v1/search", {"q": "报表"})
    assert response.status_code == 401
