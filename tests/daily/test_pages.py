"""Every page of the daily cycle through HTTP, as its users would open it."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from ducha.daily import actions
from ducha.daily.models import DailyEvent, DailyReport, DailySummary
from tests.daily.scene import COUNTY_TEAM_DAY
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def login_as(client, world, key):
    assert client.login(username=world.users[key].username, password=PASSWORD)
    return client


def figures_on(response) -> dict[str, int]:
    return {
        name: int(value)
        for name, value in re.findall(r'data-figure="(\w+)">(\d+)<', text(response))
    }


def draft(scene, **kwargs):
    return actions.draft_day(scene.day, acting_user=scene.world.users["county_office"], **kwargs)


def test_a_team_member_drafts_writes_and_submits_todays_report_on_the_phone(world, client):
    client = login_as(client, world, "county_team_member")
    home = client.get("/daily/")
    assert home.status_code == 200
    assert 'data-testid="draft-report"' in text(home)
    drafted = client.post("/daily/draft/", {"team": world.teams["county_team"].pk})
    report = DailyReport.objects.get()
    assert drafted.status_code == 302 and drafted["Location"] == f"/daily/reports/{report.pk}/"
    page = client.get(drafted["Location"])
    assert page.status_code == 200 and 'data-testid="report-form"' in text(page)
    assert report.day == timezone.localdate() and report.state == "draft"
    saved = client.post(
        f"/daily/reports/{report.pk}/",
        {"work": "今日在卡口值守检查", "cases": "", "difficulties": "人手紧张"},
    )
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.work == "今日在卡口值守检查" and report.edited_at is not None
    sent = client.post(
        f"/daily/reports/{report.pk}/submit/",
        {"work": "今日在卡口值守检查，发现问题已交办", "cases": "", "difficulties": "人手紧张"},
    )
    assert sent.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted" and report.work.endswith("已交办")
    after = client.get(f"/daily/reports/{report.pk}/")
    assert 'data-testid="report-form"' not in text(after)
    assert 'data-testid="report-text"' in text(after)
    # Read-only now: a late edit is refused and changes nothing.
    late = client.post(f"/daily/reports/{report.pk}/", {"work": "改"})
    assert late.status_code == 409
    report.refresh_from_db()
    assert report.work.endswith("已交办")
    assert [e.action for e in DailyEvent.objects.order_by("pk")] == [
        "draft",
        "edit",
        "edit",
        "submit",
    ]


def test_submitting_without_saying_what_was_done_names_the_field(world, client):
    client = login_as(client, world, "county_team_member")
    client.post("/daily/draft/", {"team": world.teams["county_team"].pk})
    report = DailyReport.objects.get()
    response = client.post(
        f"/daily/reports/{report.pk}/submit/", {"work": "  ", "cases": "", "difficulties": ""}
    )
    assert response.status_code == 422
    assert re.search(r'data-field="work".*?errorlist', text(response), re.S)
    report.refresh_from_db()
    assert report.state == "draft"


def test_the_report_page_shows_the_counted_numbers_and_the_rows_behind_them(scene, client):
    draft(scene, teams=[scene.team])
    report = DailyReport.objects.get()
    page = login_as(client, scene.world, "county_office").get(f"/daily/reports/{report.pk}/")
    assert page.status_code == 200
    assert figures_on(page) == COUNTY_TEAM_DAY
    html = text(page)
    for problem in report.details["problems"]:
        assert f'data-problem="{problem}"' in html
    assert 'data-list="turned_red"' in html
    # The office reads, it does not write the team's report.
    assert 'data-testid="report-form"' not in html


def test_the_office_returns_a_submitted_report_and_the_team_corrects_it(scene, client):
    draft(scene, teams=[scene.team])
    report = DailyReport.objects.get()
    member = scene.world.users["county_team_member"]
    actions.do_edit_report(report, acting_user=member, work="走访两处")
    actions.do_submit_report(report, acting_user=member)
    office = login_as(client, scene.world, "county_office")
    page = office.get(f"/daily/reports/{report.pk}/")
    assert 'data-action="return"' in text(page)
    empty = office.post(f"/daily/reports/{report.pk}/return/", {"reason": ""})
    assert empty.status_code == 422
    returned = office.post(f"/daily/reports/{report.pk}/return/", {"reason": "请补充典型案例"})
    assert returned.status_code == 302
    report.refresh_from_db()
    assert report.state == "returned" and report.return_reason == "请补充典型案例"
    client.logout()
    team = login_as(client, scene.world, "county_team_member")
    page = team.get(f"/daily/reports/{report.pk}/")
    assert "请补充典型案例" in text(page) and 'data-testid="report-form"' in text(page)


def test_the_team_reports_of_a_day_list_every_team_of_the_jurisdiction(scene, client):
    draft(scene, teams=[scene.team])
    office = login_as(client, scene.world, "city_office")
    page = office.get(f"/daily/reports/?day={scene.day.isoformat()}")
    assert page.status_code == 200
    html = text(page)
    # The city's teams: the county's (with its report) and the province team stationed here.
    assert f'data-team="{scene.team.pk}" data-report=' in html
    assert f'data-team="{scene.world.teams["province_team"].pk}"' in html
    assert f'data-team="{scene.world.teams["sibling_team"].pk}"' in html
    assert office.get("/daily/reports/?day=2999-01-01").status_code == 404
    assert office.get("/daily/reports/?day=yesterday").status_code == 404


def test_a_team_member_sees_only_their_own_reports_in_the_list(scene, client):
    draft(scene, teams=[scene.team, scene.world.teams["sibling_team"]])
    mine = DailyReport.objects.get(team=scene.team)
    page = login_as(client, scene.world, "county_team_member").get("/daily/reports/")
    assert page.status_code == 200
    assert re.findall(r'data-report="(\d+)"', text(page)) == [str(mine.pk)]


def test_the_office_drafts_edits_and_finalises_its_summary(scene, client):
    office = login_as(client, scene.world, "county_office")
    home = office.get("/daily/")
    assert 'data-testid="draft-summary"' in text(home)
    response = office.post(
        "/daily/draft/", {"office": scene.world.orgs["county_office"].pk, "day": scene.day}
    )
    summary = DailySummary.objects.get()
    assert response["Location"] == f"/daily/summaries/{summary.pk}/"
    page = office.get(response["Location"])
    assert page.status_code == 200
    figures = figures_on(page)
    assert figures["problems_found"] == 4 and figures["teams"] == 1
    assert figures["found_in_region"] == 5
    assert 'data-testid="summary-form"' in text(page)
    assert 'data-testid="missing"' in text(page)
    final = office.post(
        f"/daily/summaries/{summary.pk}/finalise/",
        {"overview": "全区督查组正常开展工作", "cases": summary.cases, "decisions": ""},
    )
    assert final.status_code == 302
    summary.refresh_from_db()
    assert summary.state == "final" and summary.overview == "全区督查组正常开展工作"
    page = office.get(f"/daily/summaries/{summary.pk}/")
    assert 'data-testid="summary-form"' not in text(page)
    assert office.post(f"/daily/summaries/{summary.pk}/", {"overview": "x"}).status_code == 409
    listed = office.get("/daily/summaries/")
    assert f'data-summary="{summary.pk}"' in text(listed)


def test_a_higher_office_and_a_leader_read_the_summary_but_do_not_write_it(scene, client):
    draft(scene, offices=[scene.world.orgs["county_office"]])
    summary = DailySummary.objects.get()
    for key in ("city_office", "county_leader"):
        client.logout()
        reader = login_as(client, scene.world, key)
        page = reader.get(f"/daily/summaries/{summary.pk}/")
        assert page.status_code == 200, key
        assert 'data-testid="summary-form"' not in text(page), key
        assert reader.post(f"/daily/summaries/{summary.pk}/", {"overview": "x"}).status_code == 403
    client.logout()
    outsider = login_as(client, scene.world, "sibling_office")
    assert outsider.get(f"/daily/summaries/{summary.pk}/").status_code == 404


def test_home_pages_by_role(scene, client):
    draft(scene, offices=[scene.world.orgs["county_office"]])
    for key, present, absent in [
        ("county_team_member", 'data-section="teams"', 'data-section="offices"'),
        ("county_office", 'data-section="offices"', 'data-section="teams"'),
        ("county_leader", 'data-section="offices"', 'data-testid="draft-summary"'),
    ]:
        client.logout()
        page = login_as(client, scene.world, key).get("/daily/")
        assert page.status_code == 200, key
        assert present in text(page) and absent not in text(page), key
    for key in ("county_handler", "county_discipline", "city_command", "outsider"):
        client.logout()
        assert login_as(client, scene.world, key).get("/daily/").status_code == 403, key


def test_the_nav_tab_shows_for_those_who_use_the_daily_cycle(world, client):
    for key, shown in [
        ("county_team_member", True),
        ("county_leader", True),
        ("county_handler", False),
    ]:
        client.logout()
        page = login_as(client, world, key).get("/problems/queue/")
        assert ('data-nav="daily:home"' in text(page)) == shown, key


def test_the_pages_load_nothing_from_elsewhere_and_carry_no_inline_code(scene, client):
    draft(scene, offices=[scene.world.orgs["county_office"]])
    report = DailyReport.objects.get()
    summary = DailySummary.objects.get()
    office = login_as(client, scene.world, "county_office")
    for path in (
        "/daily/",
        "/daily/reports/",
        f"/daily/reports/{report.pk}/",
        "/daily/summaries/",
        f"/daily/summaries/{summary.pk}/",
        "/daily/agenda/",
    ):
        html = text(office.get(path))
        assert "<script>" not in html and " style=" not in html and "<style" not in html, path
        assert not re.search(r'(src|href)="(https?:)?//', html), path
