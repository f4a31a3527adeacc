"""The detail page: every field, the timeline, and only the forms of the allowed actions."""

import re
from collections import Counter

import pytest
from django.utils import timezone

from ducha.problems import actions
from ducha.problems.access import access_problem, offered_actions
from tests.pages.helpers import action_names, text

pytestmark = pytest.mark.django_db


def test_detail_shows_fields_light_deadline_and_time_left(world, login):
    problem = world.problem(
        title="卡口未登记过往车辆",
        description="夜间无人值守，车辆直接通行",
        site=world.sites["checkpoint"],
        region="town",
        team=world.teams["county_team"],
    )
    html = text(login(world, "county_office").get(f"/problems/{problem.pk}/"))
    for expected in [
        "卡口未登记过往车辆",
        "夜间无人值守，车辆直接通行",
        "双桥区高速卡口",
        "水泉沟镇",
        "排查",
        "双桥区督查组",
        "区督查办干部",
        "个性问题",
        "一般",
        "尚未交办",
        'data-state="new">待交办<',
        'data-light="green">绿灯：按期推进<',
        timezone.localtime(problem.deadline).strftime("%Y-%m-%d %H:%M"),
        "剩余 2",
    ]:
        assert expected in html, expected


def test_timeline_shows_who_when_what_from_to_comment_and_payload(world, login):
    problem = world.problem()
    deadline = timezone.now() + timezone.timedelta(days=2)
    actions.do_assign(
        problem,
        acting_user=world.users["county_office"],
        responsible_org=world.orgs["county_dept"],
        deadline=deadline,
        comment="请两日内整改到位",
    )
    actions.do_report_up(
        problem,
        acting_user=world.users["county_office"],
        to_org=world.orgs["city_office"],
        comment="涉及多个乡镇，请市里统筹",
    )
    html = text(login(world, "county_office").get(f"/problems/{problem.pk}/"))
    timeline = html[html.index('data-testid="timeline"') :]
    assert timeline.index("记录") < timeline.index("交办") < timeline.index("呈报")
    assert "待交办 → 已交办" in timeline
    assert "请两日内整改到位" in timeline
    assert "承办单位</dt><dd>双桥区卫健局" in timeline
    assert f"整改时限</dt><dd>{timezone.localtime(deadline):%Y-%m-%d %H:%M}" in timeline
    assert "呈报对象</dt><dd>承德市大督查办" in timeline
    assert "区督查办干部" in timeline


@pytest.mark.parametrize(
    ("persona", "state"),
    [
        ("county_office", "new"),
        ("county_office", "assigned"),
        ("county_handler", "assigned"),
        ("county_team_member", "new"),
        ("county_team_member", "rectified"),
        ("county_leader", "assigned"),
        ("city_command", "new"),
        ("county_discipline", "new"),
    ],
)
def test_only_the_allowed_action_forms_are_shown(world, login, persona, state):
    if state == "new":
        problem = world.problem(nature="common")
    else:
        problem = world.assigned(nature="common")
        if state == "rectified":
            actions.do_submit_rectification(
                problem, acting_user=world.users["county_handler"], text="已整改"
            )
    user = world.users[persona]
    expected = offered_actions(user, access_problem(user, problem.pk))
    response = login(world, persona).get(f"/problems/{problem.pk}/")
    assert response.status_code == 200
    assert action_names(response) == expected


def test_no_forms_when_nothing_is_allowed(world, login):
    problem = world.problem()
    html = text(login(world, "county_discipline").get(f"/problems/{problem.pk}/"))
    assert "您目前无需对该问题进行办理" in html
    assert "/act/" not in html


@pytest.mark.parametrize("persona", ["sibling_office", "market_handler", "outsider", "town_office"])
def test_a_problem_outside_the_jurisdiction_is_not_found(world, login, persona):
    problem = world.problem()
    assert login(world, persona).get(f"/problems/{problem.pk}/").status_code == 404


def test_a_missing_problem_is_not_found(world, login):
    assert login(world, "county_office").get("/problems/999999/").status_code == 404


def test_detail_needs_login(world, client):
    problem = world.problem()
    response = client.get(f"/problems/{problem.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_forms_on_one_page_keep_their_ids_apart(world, login):
    problem = world.problem(nature="common")
    response = login(world, "county_office").get(f"/problems/{problem.pk}/")
    assert len(action_names(response)) >= 3
    html = text(response)
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [value for value, count in ids.items() if count > 1] == []
    for label in re.findall(r'<label[^>]*\sfor="([^"]+)"', html):
        assert ids[label] == 1, label
