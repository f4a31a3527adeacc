"""Drafting is idempotent: a draft nobody touched follows the data; what a person edited,
submitted or finalised is never overwritten; a run with nothing new writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ducha.daily import actions
from ducha.daily.models import DailyEvent, DailyReport, DailySummary
from ducha.daily.tasks import draft_day_task
from ducha.fieldwork import actions as fieldwork
from tests.daily.scene import at, clock

pytestmark = pytest.mark.django_db


def _another_visit(scene, hour: int = 19) -> None:
    with clock() as replay:
        replay.moment = at(scene.day, hour, 30)
        fieldwork.do_record_inspection(
            acting_user=scene.world.users["county_team_member"],
            team=scene.team,
            method="open",
            visited_at=at(scene.day, hour),
            sites=[scene.world.sites["checkpoint"]],
            answers=[],
        )


def test_the_job_drafts_every_team_with_activity_and_every_office_with_teams(scene):
    result = draft_day_task(scene.day.isoformat())
    teams = {report.team.name for report in DailyReport.objects.all()}
    assert teams == {"双桥区督查组", "双滦区督查组"}
    offices = set(DailySummary.objects.values_list("office__name", flat=True))
    # The town office has no team of its own and none covering it; Sichuan has none.
    assert offices == {"河北省大督查办", "承德市大督查办", "双桥区督查办", "双滦区督查办"}
    assert result == {"day": scene.day.isoformat(), "reports": 2, "summaries": 4, "written": 6}
    assert DailyEvent.objects.filter(actor=None, action="draft").count() == 6


def test_a_second_run_with_nothing_new_writes_nothing(scene):
    actions.draft_day(scene.day)
    events = DailyEvent.objects.count()
    rows = list(DailyReport.objects.values()) + list(DailySummary.objects.values())
    again = actions.draft_day(scene.day)
    assert again.written == 0
    assert DailyEvent.objects.count() == events
    after = list(DailyReport.objects.values()) + list(DailySummary.objects.values())
    for before_row, after_row in zip(rows, after, strict=True):
        before_row.pop("figures_at"), after_row.pop("figures_at")
        assert before_row == after_row


def test_an_untouched_draft_follows_the_data(scene):
    actions.draft_day(scene.day)
    report = DailyReport.objects.get(team=scene.team)
    assert report.inspections == 2
    _another_visit(scene)
    again = actions.draft_day(scene.day)
    report.refresh_from_db()
    assert report.inspections == 3 and report.open_visits == 2
    assert report.work.count("\n") == 2  # the new visit's line was added to the draft text
    # The report and the summaries above it (county, city, province) are brought up to date.
    assert again.written == 4
    refresh = DailyEvent.objects.get(report=report, action="refresh")
    assert refresh.payload["changed"]["inspections"] == [2, 3]
    assert DailySummary.objects.get(office__name="双桥区督查办").inspections == 3


def test_an_edited_or_submitted_report_and_a_finalised_summary_are_left_alone(scene):
    actions.draft_day(scene.day)
    member = scene.world.users["county_team_member"]
    report = DailyReport.objects.get(team=scene.team)
    actions.do_edit_report(report, acting_user=member, work="我们自己写的")
    county = DailySummary.objects.get(office__name="双桥区督查办")
    actions.do_finalise_summary(county, acting_user=scene.world.users["county_office"])
    frozen = DailySummary.objects.get(pk=county.pk)
    _another_visit(scene)
    actions.draft_day(scene.day)
    report.refresh_from_db()
    assert report.work == "我们自己写的" and report.inspections == 2
    county.refresh_from_db()
    assert county.inspections == frozen.inspections == 2
    assert county.figures_at == frozen.figures_at
    # The team may count its numbers again itself; its words stay.
    actions.do_refresh_report(report, acting_user=member)
    report.refresh_from_db()
    assert report.inspections == 3 and report.work == "我们自己写的"
    actions.do_submit_report(report, acting_user=member)
    _another_visit(scene, hour=20)
    actions.draft_day(scene.day)
    report.refresh_from_db()
    assert report.state == "submitted" and report.inspections == 3


def test_submitting_counts_the_numbers_of_that_moment(scene):
    actions.draft_day(scene.day, teams=[scene.team])
    member = scene.world.users["county_team_member"]
    report = DailyReport.objects.get()
    _another_visit(scene)
    actions.do_submit_report(report, acting_user=member)
    report.refresh_from_db()
    assert report.inspections == 3
    assert report.submitted_by == member


def test_a_summary_draft_takes_up_a_report_submitted_since(scene):
    actions.draft_day(scene.day)
    county = DailySummary.objects.get(office__name="双桥区督查办")
    assert county.reports_submitted == 0 and county.cases.count("\n") >= 1
    member = scene.world.users["county_team_member"]
    report = DailyReport.objects.get(team=scene.team)
    actions.do_edit_report(report, acting_user=member, cases="典型案例：夜间卡口无人值守")
    actions.do_submit_report(report, acting_user=member)
    actions.draft_day(scene.day)
    county.refresh_from_db()
    assert county.reports_submitted == 1
    assert county.cases.startswith("【双桥区督查组】典型案例：夜间卡口无人值守")
    assert list(county.reports.all()) == [report]


def test_a_day_in_the_future_is_refused_and_an_old_one_is_drafted(scene):
    from ducha.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        actions.draft_day(scene.day + timedelta(days=2))
    old = actions.draft_day(scene.day - timedelta(days=3), teams=[scene.team]).reports[0]
    # That day the team found the problem that went red yesterday, and made no visit.
    assert old.problems_found == 1 and old.details["problems"] == [scene.problems["late"].pk]
    assert old.inspections == 0 and old.turned_red == 0
