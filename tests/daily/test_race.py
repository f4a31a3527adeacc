"""The scheduled job and a "draft now" at the same moment make one report and one summary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.daily import actions
from ducha.daily.models import DailyEvent, DailyReport, DailySummary
from tests.race import race
from tests.world import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_drafting_runs_at_once_write_one_report_and_one_summary():
    world = build_world()
    day = timezone.localdate() - timedelta(days=1)
    team, office = world.teams["county_team"], world.orgs["county_office"]
    member = world.users["county_team_member"]
    results = race(
        lambda: actions.do_draft_report(team, day),
        lambda: actions.do_draft_report(team, day, acting_user=member),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert DailyReport.objects.count() == 1
    assert {report.pk for report, _ in results} == {DailyReport.objects.get().pk}
    assert sorted(written for _, written in results) == [False, True]
    results = race(
        lambda: actions.do_draft_summary(office, day),
        lambda: actions.do_draft_summary(office, day, acting_user=world.users["county_office"]),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert DailySummary.objects.count() == 1
    assert DailyEvent.objects.filter(action="draft").count() == 2
