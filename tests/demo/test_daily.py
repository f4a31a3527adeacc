"""The daily cycle in the demo (Hui'an): yesterday's reports submitted and the summary
finalised, today's drafted; seen through the API and the pages as the demo's users see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.daily.agenda import agenda_for
from ducha.daily.models import DailyEvent, DailyReport, DailySummary
from ducha.orgs.models import Org
from ducha.problems.models import Problem

pytestmark = pytest.mark.django_db

OFFICE = "惠安县纪委监委党风政风监督室"
HUIAN = "350521"


def _days() -> tuple[str, str]:
    today = timezone.localdate()
    return (today - timedelta(days=1)).isoformat(), today.isoformat()


def _items(client, path: str, **params) -> list[dict]:
    body = client.get(f"/api/v1/daily/{path}", {"page_size": 200, **params}).json()
    assert body["count"] <= 200
    return body["items"]


def test_yesterdays_reports_were_all_submitted_and_the_summary_finalised(demo, signed_in):
    yesterday, _ = _days()
    office = signed_in("huian.office")
    reports = _items(office, "reports", day=yesterday)
    assert len(reports) >= 3
    assert {report["state"] for report in reports} == {"submitted"}
    names = {report["team"]["name"] for report in reports}
    assert {"疫情防控联合督查组第五组", "集中隔离场所专项督查组", "核酸检测专项督查组"} <= names
    (summary,) = _items(office, "summaries", day=yesterday)
    assert summary["office"]["name"] == OFFICE and summary["state"] == "final"
    assert summary["region"]["reports_submitted"] == len(reports)
    assert summary["region"]["teams"] == 11
    for figure in ("inspections", "problems_found", "fixed_on_spot"):
        assert summary["figures"][figure] == sum(r["figures"][figure] for r in reports), figure
    assert summary["overview"] and summary["finalised_by"] == "黄丽娟"
    assert summary["allowed_actions"] == []


def test_one_report_went_back_once_and_came_back_with_the_detail(demo, signed_in):
    yesterday, _ = _days()
    report = DailyReport.objects.get(day=yesterday, team__name="疫情防控联合督查组第五组")
    actions = list(report.events.order_by("created_at", "pk").values_list("action", flat=True))
    assert actions == ["draft", "edit", "submit", "return", "edit", "submit"]
    body = signed_in("huian.joint5").get(f"/api/v1/daily/reports/{report.pk}").json()
    assert "交通运输局" in body["cases"] and body["return_reason"] == ""
    assert body["figures"]["inspections"] >= 1 and "惠东高速卡口" in body["work"]


def test_todays_drafts_wait_for_the_teams_and_the_office(demo, signed_in):
    _, today = _days()
    office = signed_in("huian.office")
    reports = _items(office, "reports", day=today)
    assert {report["state"] for report in reports} <= {"draft"}
    (summary,) = _items(office, "summaries", day=today)
    assert summary["state"] == "draft"
    assert set(summary["allowed_actions"]) == {"edit_summary", "finalise_summary"}
    assert summary["figures"]["problems_found"] == sum(
        r["figures"]["problems_found"] for r in reports
    )
    home = office.get("/daily/").content.decode()
    assert f'href="/daily/summaries/{summary["id"]}/"' in home


def test_a_team_leader_finds_todays_report_or_can_draft_it(demo, signed_in):
    _, today = _days()
    client = signed_in("huian.joint1")
    home = client.get("/daily/").content.decode()
    mine = DailyReport.objects.filter(day=today, team__name="疫情防控联合督查组第一组").first()
    if mine is None:
        assert 'data-testid="draft-report"' in home
    else:
        assert f'href="/daily/reports/{mine.pk}/"' in home
        page = client.get(f"/daily/reports/{mine.pk}/")
        assert 'data-testid="report-form"' in page.content.decode()


def test_the_leader_reads_the_summary_and_the_agenda(demo, signed_in):
    yesterday, _ = _days()
    leader = signed_in("huian.leader")
    summary = DailySummary.objects.get(day=yesterday, office__name=OFFICE)
    page = leader.get(f"/daily/summaries/{summary.pk}/")
    assert page.status_code == 200 and 'data-testid="summary-form"' not in page.content.decode()
    office = Org.objects.get(name=OFFICE)
    agenda = leader.get("/api/v1/daily/agenda", {"office": office.pk}).json()
    overdue = Problem.objects.filter(county=Org.objects.get(code=HUIAN)).overdue().count()
    assert {s["reason"]: s["total"] for s in agenda["sections"]}["overdue"] == overdue
    assert agenda_for(office).count == sum(len(s["items"]) for s in agenda["sections"])
    assert leader.get(f"/daily/agenda/?office={office.pk}").status_code == 200


def test_the_drafting_job_wrote_the_first_drafts_and_people_the_rest(demo):
    yesterday, _ = _days()
    first = DailyEvent.objects.filter(report__day=yesterday, action="draft", actor=None)
    assert first.exists()
    assert not DailyEvent.objects.filter(action__in=["edit", "submit"], actor=None).exists()
