"""我的待办: what each role must act on now."""

import pytest
from django.utils import timezone

from ducha.problems import actions
from tests.pages.helpers import (
    overdue_problem,
    rectified,
    section_count,
    section_ids,
    sections,
    text,
)

pytestmark = pytest.mark.django_db


def test_office_sees_new_disputed_rectified_and_overdue(world, login):
    new = world.problem()
    disputed = actions.do_dispute(
        world.assigned(), acting_user=world.users["county_handler"], reason="不属于本单位职责"
    )
    fixed = rectified(world)
    late = overdue_problem(world)
    world.problem(by="sibling_office", region="sibling")  # a neighbour's: never listed

    response = login(world, "county_office").get("/problems/queue/")

    assert response.status_code == 200
    assert sections(response) == [
        "assign",
        "decide",
        "extensions",
        "unsigned",
        "verify",
        "overdue",
    ]
    assert set(section_ids(response, "assign")) == {new.pk, late.pk}
    assert section_ids(response, "decide") == [disputed.pk]
    assert section_ids(response, "verify") == [fixed.pk]
    assert section_ids(response, "overdue") == [late.pk]
    assert section_count(response, "assign") == 2
    # `late` is both to assign and overdue: counted once.
    assert "共有 4 个问题待您办理" in text(response)


def test_handler_sees_only_what_its_unit_must_rectify(world, login):
    mine = world.assigned("county_dept")
    world.assigned("county_market_dept")
    rectified(world)  # already reported back: no longer waiting for the unit

    response = login(world, "county_handler").get("/problems/queue/")

    assert sections(response) == ["sign", "rectify"]
    assert section_ids(response, "rectify") == [mine.pk]
    assert section_ids(response, "sign") == [mine.pk]


def test_team_member_verifies_in_its_regions_and_follows_its_own_findings(world, login):
    fixed = rectified(world)
    found = world.problem(by="county_team_member", team=world.teams["county_team"])
    world.problem()  # new, but found by the office: not the team's to follow
    world.problem(by="sibling_office", region="sibling")

    response = login(world, "county_team_member").get("/problems/queue/")

    assert sections(response) == ["verify", "found"]
    assert section_ids(response, "verify") == [fixed.pk]
    assert section_ids(response, "found") == [found.pk]


def test_leader_sees_reported_common_and_red_problems_until_instructed(world, login):
    reported = actions.do_report_up(
        world.problem(title="呈报的问题"),
        acting_user=world.users["county_office"],
        to_org=world.orgs["county_office"],
        comment="请领导阅示",
    )
    common = world.problem(nature="common")
    late = overdue_problem(world)
    world.problem()  # ordinary and on time: no instruction needed
    client = login(world, "county_leader")

    response = client.get("/problems/queue/")

    assert sections(response) == ["instruct"]
    assert set(section_ids(response, "instruct")) == {reported.pk, common.pk, late.pk}

    actions.do_instruct(common, acting_user=world.users["county_leader"], text="抓紧整改")
    response = client.get("/problems/queue/")
    assert set(section_ids(response, "instruct")) == {reported.pk, late.pk}


def test_command_sees_common_problems_without_a_rule(world, login):
    common = world.problem(nature="common")
    ruled = world.problem(nature="common")
    actions.do_institutionalize(
        ruled, acting_user=world.users["county_office"], rule="建立卡口登记日报制度"
    )
    world.problem()

    response = login(world, "city_command").get("/problems/queue/")

    assert sections(response) == ["rule"]
    assert section_ids(response, "rule") == [common.pk]


def test_roles_without_queue_work_get_a_pointer_to_the_list(world, login):
    world.problem()
    response = login(world, "outsider").get("/problems/queue/")
    assert response.status_code == 200
    assert sections(response) == []
    assert "问题清单中可查看" in text(response)


def test_a_discipline_body_is_pointed_to_its_referral_queue(world, login):
    world.problem()
    response = login(world, "county_discipline").get("/problems/queue/")
    assert response.status_code == 200
    assert sections(response) == []
    assert "没有待办事项" not in text(response)
    assert "打开线索台" in text(response)


def test_rows_show_title_region_unit_deadline_and_light_in_words(world, login):
    problem = world.assigned(title="隔离点消杀记录不全", region="town")
    late = overdue_problem(world, title="药店未登记购药人员")

    html = text(login(world, "county_handler").get("/problems/queue/"))
    assert "隔离点消杀记录不全" in html and "双桥区卫健局" in html and "水泉沟镇" in html
    deadline = timezone.localtime(problem.deadline).strftime("%Y-%m-%d %H:%M")
    assert f"整改时限 {deadline}" in html
    assert 'data-light="green">绿灯：按期推进<' in html

    html = text(login(world, "county_office").get("/problems/queue/"))
    assert f'data-problem="{late.pk}"' in html
    assert 'data-light="red">红灯：已超期<' in html
    assert "尚未交办" in html


def test_a_full_section_links_to_the_list(world, login, settings):
    settings.DUCHA_PAGE_SIZE = 2
    for _ in range(3):
        world.problem()
    response = login(world, "county_office").get("/problems/queue/")
    assert len(section_ids(response, "assign")) == 2
    assert section_count(response, "assign") == 3
    assert 'href="/problems/?state=new"' in text(response)


def test_queue_needs_login(client):
    response = client.get("/problems/queue/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
