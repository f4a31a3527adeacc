"""My tasks, the office's day sheet with its Excel export, planning with the 1+N warning."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from ducha.fieldwork import actions
from ducha.fieldwork.models import Task
from tests.fieldwork.domain.factory import plan, screening, tomorrow
from tests.fieldwork.pages.helpers import task_ids, text

pytestmark = pytest.mark.django_db


def test_team_member_sees_today_and_tomorrow_of_their_own_team(world, login):
    today = plan(world, day=timezone.localdate(), notes="重点看登记台账")
    later = plan(world, day=tomorrow())
    plan(world, day=tomorrow() + timedelta(days=1))
    plan(world, by="sibling_office", team="sibling_team", site="sibling_market")
    page = login(world, "county_team_member").get("/field/tasks/")
    assert page.status_code == 200
    assert task_ids(page) == [today.pk, later.pk]
    html = text(page)
    assert "今天" in html and "明天" in html and "重点看登记台账" in html
    assert f'href="/field/inspections/new/?task={today.pk}"' in html


def test_sibling_team_sees_none_of_the_county_tasks(world, login):
    plan(world)
    page = login(world, "sibling_team_member").get("/field/tasks/")
    assert task_ids(page) == []


def test_office_day_sheet_lists_every_visible_task_of_the_day(world, login, fw_second_team):
    first = plan(world)
    second = plan(world, team="town_team", confirm_overlap=True)
    plan(world, day=tomorrow() + timedelta(days=1), confirm_overlap=True)
    page = login(world, "county_office").get(f"/field/day/{tomorrow():%Y-%m-%d}/")
    assert page.status_code == 200
    assert sorted(task_ids(page)) == sorted([first.pk, second.pk])
    assert "2 项任务" in text(page)
    assert 'href="?format=xlsx"' in text(page)


def test_day_sheet_downloads_as_excel(world, login):
    task = plan(world, notes='=HYPERLINK("http://example.com")')
    actions.do_join_task(
        task,
        acting_user=world.users["market_handler"],
        org=world.orgs["county_market_dept"],
        focus_areas=[screening()],
    )
    response = login(world, "county_office").get(f"/field/day/{tomorrow():%Y-%m-%d}/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["督查组", "督查方式", "点位", "区域", "督查重点", "备注", "联合参加", "状态"]
    assert rows[1] == [
        "双桥区督查组",
        "明查",
        "双桥区高速卡口",
        None,
        "排查",
        '=HYPERLINK("http://example.com")',
        "双桥区市场监管局",
        "已计划",
    ]
    # A note that looks like a formula stays text.
    assert sheet.cell(row=2, column=6).data_type == "s"


def test_planned_unannounced_visit_stays_off_the_day_sheet_above_the_planner(world, login):
    secret = plan(world, method="unannounced")
    path = f"/field/day/{tomorrow():%Y-%m-%d}/"
    assert task_ids(login(world, "county_office").get(path)) == [secret.pk]
    assert task_ids(login(world, "city_office").get(path)) == []
    workbook = login(world, "city_office").get(path + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.max_row == 1
    assert login(world, "city_office").get(f"/field/tasks/{secret.pk}/").status_code == 404


@pytest.mark.parametrize("day", ["2026-13-40", "0001-01-01", "9999-12-31", "tomorrow"])
def test_bad_day_is_404(world, login, day):
    assert login(world, "county_office").get(f"/field/day/{day}/").status_code == 404


def form(world, **overrides):
    data = {
        "office": world.orgs["county_office"].pk,
        "team": world.teams["county_team"].pk,
        "day": f"{tomorrow():%Y-%m-%d}",
        "method": "open",
        "focus_areas": [screening().pk],
        "sites": [world.sites["checkpoint"].pk],
        "notes": "查看卡口登记",
    }
    data.update(overrides)
    return data


def test_office_plans_a_task(world, login):
    client = login(world, "county_office")
    page = client.get("/field/tasks/new/")
    assert page.status_code == 200
    # Sites are picked by name (tests/pickers): none is listed before one is chosen.
    assert 'data-picker="/api/v1/lookup/sites"' in text(page)
    assert world.sites["checkpoint"].name not in text(page)
    response = client.post("/field/tasks/new/", form(world))
    task = Task.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/field/tasks/{task.pk}/"
    assert (task.team, task.day, task.method) == (world.teams["county_team"], tomorrow(), "open")
    assert list(task.sites.all()) == [world.sites["checkpoint"]]
    assert task.created_by == world.users["county_office"]
    detail = text(client.get(response["Location"]))
    assert "双桥区高速卡口" in detail and "查看卡口登记" in detail


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"team": ""}, "team"),
        ({"focus_areas": []}, "focus_areas"),
        ({"day": "not-a-day"}, "day"),
    ],
)
def test_bad_task_input_names_the_field_and_saves_nothing(world, login, overrides, field):
    response = login(world, "county_office").post("/field/tasks/new/", form(world, **overrides))
    assert response.status_code == 422
    assert f'data-field="{field}"' in text(response)
    assert 'data-testid="field-error"' in text(response)
    assert not Task.objects.exists()


def test_a_site_out_of_scope_is_not_a_choice(world, login):
    response = login(world, "county_office").post(
        "/field/tasks/new/", form(world, sites=[world.sites["sibling_market"].pk])
    )
    assert response.status_code == 422
    assert not Task.objects.exists()


def test_no_site_and_no_region_is_refused(world, login):
    response = login(world, "county_office").post("/field/tasks/new/", form(world, sites=[]))
    assert response.status_code == 422
    assert "请至少选择一个点位或区域" in text(response)


@pytest.mark.parametrize("persona", ["county_team_member", "county_handler", "county_leader"])
def test_only_offices_plan(world, login, persona):
    client = login(world, persona)
    assert client.get("/field/tasks/new/").status_code == 403
    assert client.post("/field/tasks/new/", form(world)).status_code == 403
    assert not Task.objects.exists()


def test_overlap_warns_and_offers_join_or_plan_anyway(world, login, fw_second_team):
    other = plan(world, team="town_team")
    client = login(world, "county_office")
    warned = client.post("/field/tasks/new/", form(world))
    assert warned.status_code == 409
    html = text(warned)
    assert 'data-testid="overlaps"' in html
    assert f'data-overlap="task-{other.pk}"' in html
    assert "水泉沟镇专项督查组" in html
    assert f'action="/field/tasks/{other.pk}/join/"' in html
    assert 'name="confirm_overlap" value="1"' in html
    assert Task.objects.count() == 1

    anyway = client.post("/field/tasks/new/", form(world, confirm_overlap="1"))
    assert anyway.status_code == 302
    assert Task.objects.count() == 2


def test_join_instead_adds_the_unit_to_the_other_visit(world, login):
    other = plan(world)
    client = login(world, "market_handler")
    page = client.get(f"/field/tasks/{other.pk}/")
    assert 'data-action="join"' in text(page)
    response = client.post(
        f"/field/tasks/{other.pk}/join/",
        {"org": world.orgs["county_market_dept"].pk, "focus_areas": [screening().pk]},
    )
    assert response.status_code == 302
    assert list(other.participants.all()) == [world.orgs["county_market_dept"]]
    assert Task.objects.count() == 1
    assert "双桥区市场监管局" in text(client.get(f"/field/tasks/{other.pk}/"))


def test_join_for_an_org_the_user_does_not_hold_is_refused(world, login):
    other = plan(world)
    response = login(world, "market_handler").post(
        f"/field/tasks/{other.pk}/join/",
        {"org": world.orgs["county_dept"].pk, "focus_areas": [screening().pk]},
    )
    assert response.status_code == 422
    assert not other.participants.exists()


def test_cancel_a_task(world, login):
    task = plan(world)
    client = login(world, "county_office")
    refused = client.post(f"/field/tasks/{task.pk}/cancel/", {"reason": ""})
    assert refused.status_code == 422
    assert Task.objects.get().state == "planned"
    done = client.post(f"/field/tasks/{task.pk}/cancel/", {"reason": "天气原因改期"})
    assert done.status_code == 302
    assert Task.objects.get().state == "cancelled"
    again = client.post(f"/field/tasks/{task.pk}/cancel/", {"reason": "再取消一次"})
    assert again.status_code == 409


def test_team_member_may_not_cancel(world, login):
    task = plan(world)
    response = login(world, "county_team_member").post(
        f"/field/tasks/{task.pk}/cancel/", {"reason": "不想去"}
    )
    assert response.status_code == 403
    assert Task.objects.get().state == "planned"


@pytest.mark.parametrize("persona", ["sibling_office", "outsider", "other_office"])
def test_task_out_of_scope_is_404(world, login, persona):
    task = plan(world)
    assert login(world, persona).get(f"/field/tasks/{task.pk}/").status_code == 404


def test_office_sees_its_tasks_of_today_and_tomorrow_with_links_to_the_sheets(world, login):
    today = plan(world, day=timezone.localdate())
    later = plan(world)
    page = login(world, "county_office").get("/field/tasks/")
    assert task_ids(page) == [today.pk, later.pk]
    assert f'href="/field/day/{tomorrow():%Y-%m-%d}/"' in text(page)
    assert 'href="/field/tasks/new/"' in text(page)


def test_picking_a_day_opens_its_sheet(world, login):
    client = login(world, "county_office")
    response = client.get("/field/day/", {"date": "2026-03-01"})
    assert response.status_code == 302
    assert response["Location"] == "/field/day/2026-03-01/"
    fallback = client.get("/field/day/", {"date": "someday"})
    assert fallback["Location"] == f"/field/day/{timezone.localdate():%Y-%m-%d}/"


@pytest.mark.parametrize("persona", ["county_handler", "town_office", "city_office"])
def test_secret_visit_is_hidden_from_those_inspected_and_above(world, login, persona):
    announced = plan(world)
    secret = plan(world, method="unannounced", notes="突击检查夜间值守", confirm_overlap=True)
    client = login(world, persona)
    sheet = client.get(f"/field/day/{tomorrow():%Y-%m-%d}/")
    assert secret.pk not in task_ids(sheet)
    assert "突击检查夜间值守" not in text(sheet)
    assert client.get(f"/field/tasks/{secret.pk}/").status_code == 404
    if persona != "town_office":
        assert announced.pk in task_ids(sheet)


def test_secret_visit_is_on_its_teams_list(world, login):
    secret = plan(world, method="unannounced", day=timezone.localdate())
    page = login(world, "county_team_member").get("/field/tasks/")
    assert task_ids(page) == [secret.pk]
    assert "暗访（四不两直）" in text(page)


def test_the_plan_form_hints_at_other_visits_while_it_is_filled_in(world, login, fw_second_team):
    other = plan(world, team="town_team")
    client = login(world, "county_office")
    form_page = text(client.get("/field/tasks/new/"))
    assert 'hx-get="/field/tasks/overlaps/"' in form_page and 'id="overlap-hint"' in form_page
    params = {
        "day": f"{tomorrow():%Y-%m-%d}",
        "team": world.teams["county_team"].pk,
        "sites": [world.sites["checkpoint"].pk],
    }
    hint = client.get("/field/tasks/overlaps/", params, headers={"HX-Request": "true"})
    assert hint.status_code == 200
    assert f'data-overlap="task-{other.pk}"' in text(hint)
    # The team's own visit is no overlap, and neither is a day outside the window.
    own = client.get("/field/tasks/overlaps/", {**params, "team": fw_second_team.pk})
    assert "data-overlap" not in text(own)
    later = client.get(
        "/field/tasks/overlaps/", {**params, "day": f"{tomorrow() + timedelta(days=30):%Y-%m-%d}"}
    )
    assert "data-overlap" not in text(later)
    assert (
        login(world, "county_team_member").get("/field/tasks/overlaps/", params).status_code == 403
    )


def test_the_day_sheet_costs_the_same_queries_for_more_tasks(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world, "county_office")
    path = f"/field/day/{tomorrow():%Y-%m-%d}/"
    plan(world)
    client.get(path)
    with CaptureQueriesContext(connection) as one:
        client.get(path)
    for _ in range(4):
        plan(world, confirm_overlap=True)
    with CaptureQueriesContext(connection) as five:
        response = client.get(path)
    assert len(task_ids(response)) == 5
    assert len(five) == len(one)


def test_bad_input_is_reported_before_any_overlap(world, login, fw_second_team):
    plan(world, team="town_team", day=timezone.localdate())
    response = login(world, "county_office").post(
        "/field/tasks/new/",
        form(world, day=f"{timezone.localdate() - timedelta(days=1):%Y-%m-%d}"),
    )
    assert response.status_code == 422
    assert 'data-testid="overlaps"' not in text(response)
    assert "任务日期须为今天或以后" in text(response)
    assert Task.objects.count() == 1


def test_a_unit_finds_the_visits_coming_to_its_region_and_joins_one(world, login):
    task = plan(world)
    client = login(world, "market_handler")
    page = client.get("/field/tasks/")
    assert task_ids(page) == [task.pk]
    assert 'data-testid="record-inspection"' not in text(page)
    assert 'data-action="join"' in text(client.get(f"/field/tasks/{task.pk}/"))


def test_days_at_the_end_of_the_calendar_are_refused_not_an_error(world, login):
    client = login(world, "county_office")
    response = client.post("/field/tasks/new/", form(world, day="9999-12-30"))
    assert response.status_code == 422
    assert 'data-field="day"' in text(response)
    hint = client.get(
        "/field/tasks/overlaps/",
        {"day": "9999-12-30", "sites": [world.sites["checkpoint"].pk]},
    )
    assert hint.status_code == 200
    assert not Task.objects.exists()
