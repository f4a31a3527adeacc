"""/api/v1/daily/…: reports, summaries and drafting over JSON, as scripts and phones use it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.daily import actions
from ducha.daily.models import DailyEvent, DailyReport, DailySummary
from ducha.problems.querysets import rate
from ducha.problems.sentences import stats_sentence
from tests.api.conftest import field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(scene):
    drafted = actions.draft_day(scene.day, teams=[scene.team])
    return drafted.reports[0]


def test_the_team_edits_only_the_fields_it_sends_then_submits(report, api_as):
    api = api_as("county_team_member")
    before = api.get(f"/daily/reports/{report.pk}").json()
    assert set(before["allowed_actions"]) == {"edit_report", "submit_report"}
    response = api.call("patch", f"/daily/reports/{report.pk}", {"difficulties": "缺少测温枪"})
    assert response.status_code == 200
    body = response.json()
    assert body["difficulties"] == "缺少测温枪" and body["work"] == before["work"]
    assert body["edited_by"] == str(report.team.leader)
    sent = api.post(f"/daily/reports/{report.pk}/submit")
    assert sent.status_code == 200
    assert sent.json()["state"] == "submitted" and sent.json()["allowed_actions"] == []
    again = api.call("patch", f"/daily/reports/{report.pk}", {"work": "改"})
    assert again.status_code == 409
    assert api.post(f"/daily/reports/{report.pk}/submit").status_code == 409


def test_bad_input_is_refused_on_its_field(report, api_as):
    api = api_as("county_team_member")
    too_long = api.call("patch", f"/daily/reports/{report.pk}", {"work": "字" * 10_001})
    assert too_long.status_code == 422 and field_errors(too_long) == {"work"}
    unknown = api.call("patch", f"/daily/reports/{report.pk}", {"numbers": 3})
    assert unknown.status_code == 422 and field_errors(unknown) == {"numbers"}
    # Numbers are counted, never typed.
    typed = api.call("patch", f"/daily/reports/{report.pk}", {"figures": {"inspections": 9}})
    assert typed.status_code == 422
    api.call("patch", f"/daily/reports/{report.pk}", {"work": ""})
    empty = api.post(f"/daily/reports/{report.pk}/submit")
    assert empty.status_code == 422 and field_errors(empty) == {"work"}
    future = api.post(
        "/daily/draft", {"day": (timezone.localdate() + timedelta(days=1)).isoformat()}
    )
    assert future.status_code == 422 and field_errors(future) == {"day"}


def test_the_office_returns_with_a_reason_and_not_once_the_summary_is_final(report, api_as):
    team, office = api_as("county_team_member"), api_as("county_office")
    team.post(f"/daily/reports/{report.pk}/submit")
    assert office.get(f"/daily/reports/{report.pk}").json()["allowed_actions"] == ["return_report"]
    no_reason = office.post(f"/daily/reports/{report.pk}/return", {"reason": " "})
    assert no_reason.status_code == 422 and field_errors(no_reason) == {"reason"}
    returned = office.post(f"/daily/reports/{report.pk}/return", {"reason": "数字有误请核对"})
    assert returned.status_code == 200
    assert returned.json()["state"] == "returned"
    assert returned.json()["return_reason"] == "数字有误请核对"
    assert team.post(f"/daily/reports/{report.pk}/submit").json()["state"] == "submitted"
    assert team.get(f"/daily/reports/{report.pk}").json()["return_reason"] == ""
    drafted = office.post(
        "/daily/draft", {"day": report.day.isoformat(), "office": report.team.dispatched_by_id}
    ).json()
    (summary_id,) = drafted["summaries"]
    assert office.post(f"/daily/summaries/{summary_id}/finalise").status_code == 200
    late = office.post(f"/daily/reports/{report.pk}/return", {"reason": "再改"})
    assert late.status_code == 409
    assert DailyReport.objects.get(pk=report.pk).state == "submitted"


def test_lists_filter_by_day_team_state_and_mine(scene, report, api_as):
    other = actions.draft_day(scene.day, teams=[scene.world.teams["sibling_team"]]).reports[0]
    office = api_as("city_office")
    day = scene.day.isoformat()
    listed = office.get("/daily/reports", {"day": day}).json()
    assert listed["count"] == 2
    assert {item["id"] for item in listed["items"]} == {report.pk, other.pk}
    assert office.get("/daily/reports", {"team": scene.team.pk}).json()["count"] == 1
    assert office.get("/daily/reports", {"state": "submitted"}).json()["count"] == 0
    assert office.get("/daily/reports", {"day": "2001-01-01"}).json()["count"] == 0
    mine = api_as("county_team_member").get("/daily/reports", {"mine": True}).json()
    assert [item["id"] for item in mine["items"]] == [report.pk]
    assert api_as("county_office").get("/daily/reports").json()["count"] == 1


def test_the_office_writes_refreshes_and_finalises_its_summary(scene, api_as, world):
    summary, _ = actions.do_draft_summary(world.orgs["county_office"], scene.day)
    office = api_as("county_office")
    body = office.get(f"/daily/summaries/{summary.pk}").json()
    assert set(body["allowed_actions"]) == {"edit_summary", "finalise_summary"}
    assert body["region"]["sentence"] == stats_sentence(
        as_of=scene.day, found=summary.cumulative_found, rectified=summary.cumulative_rectified
    )
    assert body["region"]["rate"] == rate(summary.cumulative_rectified, summary.cumulative_found)
    assert body["teams"] == [
        {"id": world.teams["county_team"].pk, "name": "双桥区督查组", "report": None, "state": ""}
    ]
    edited = office.call("patch", f"/daily/summaries/{summary.pk}", {"overview": "总体平稳"})
    assert edited.status_code == 200 and edited.json()["overview"] == "总体平稳"
    # A report drafted since is rolled up when the office counts again.
    actions.draft_day(summary.day, teams=[world.teams["county_team"]])
    refreshed = office.post(f"/daily/summaries/{summary.pk}/refresh").json()
    assert refreshed["teams"][0]["state"] == "draft"
    assert refreshed["overview"] == "总体平稳"
    final = office.post(f"/daily/summaries/{summary.pk}/finalise")
    assert final.status_code == 200 and final.json()["state"] == "final"
    assert final.json()["finalised_by"] == str(world.users["county_office"])
    assert office.post(f"/daily/summaries/{summary.pk}/finalise").status_code == 409
    assert office.call("patch", f"/daily/summaries/{summary.pk}", {"cases": "x"}).status_code == 409
    listed = api_as("province_office").get("/daily/summaries", {"state": "final"}).json()
    assert [item["id"] for item in listed["items"]] == [summary.pk]
    assert listed["items"][0]["allowed_actions"] == []


def test_a_token_works_like_a_session(report, token_as):
    api = token_as("county_team_member")
    assert api.get(f"/daily/reports/{report.pk}").status_code == 200
    assert api.post(f"/daily/reports/{report.pk}/submit").status_code == 200


def test_drafting_now_without_a_target_drafts_the_callers_own(world, api_as):
    team = api_as("county_team_member").post("/daily/draft").json()
    assert len(team["reports"]) == 1 and team["summaries"] == []
    assert team["day"] == timezone.localdate().isoformat()
    office = api_as("county_office").post("/daily/draft").json()
    assert len(office["summaries"]) == 1
    summary = DailySummary.objects.get(pk=office["summaries"][0])
    assert summary.office == world.orgs["county_office"]
    # Nothing to draft for a leader or a unit: they are told so.
    assert api_as("county_leader").post("/daily/draft").status_code == 403
    assert api_as("county_handler").post("/daily/draft").status_code == 403


def test_every_change_writes_one_event_and_events_cannot_change(report, api_as):
    api = api_as("county_team_member")
    before = DailyEvent.objects.count()
    api.call("patch", f"/daily/reports/{report.pk}", {"work": "一"})
    api.post(f"/daily/reports/{report.pk}/refresh")
    api.post(f"/daily/reports/{report.pk}/submit")
    events = list(DailyEvent.objects.order_by("pk"))[before:]
    assert [(e.action, e.actor_id, e.report_id) for e in events] == [
        ("edit", report.team.leader_id, report.pk),
        ("refresh", report.team.leader_id, report.pk),
        ("submit", report.team.leader_id, report.pk),
    ]
    assert events[-1].payload["figures"]["problems_found"] == 4
    with pytest.raises(Exception, match="immutable"):
        events[0].save()
    with pytest.raises(Exception, match="immutable"):
        DailyEvent.objects.all().delete()
