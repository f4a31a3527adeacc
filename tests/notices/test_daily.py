"""The daily cycle's notifications: tomorrow's task, and the report due tonight."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.daily.reminders import remind_reports_due
from ducha.daily.tasks import remind_reports_due_task
from ducha.notices.models import Notification
from tests.fieldwork.domain.factory import screening

pytestmark = pytest.mark.django_db


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def told(world, key: str, **filters) -> list[Notification]:
    return list(Notification.objects.filter(recipient=world.users[key], **filters))


def test_a_secret_task_tells_its_own_team_and_no_one_else(world, login, committing):
    client = login(world, "county_office")
    with committing():
        response = client.post(
            "/field/tasks/new/",
            {
                "office": world.orgs["county_office"].pk,
                "team": world.teams["county_team"].pk,
                "day": tomorrow().isoformat(),
                "method": "unannounced",
                "focus_areas": [screening().pk],
                "sites": [world.sites["checkpoint"].pk],
                "notes": "夜间检查",
            },
        )
    assert response.status_code in (200, 302, 303)
    [note] = told(world, "county_team_member")
    assert note.kind == "task_assigned" and note.url.startswith("/field/tasks/")
    assert tomorrow().isoformat() in note.title
    # 暗访: the inspected units hear nothing, and neither does the office that planned it.
    for key in ("county_handler", "market_handler", "county_office", "sibling_team_member"):
        assert told(world, key) == [], key
    # The team member opens it from the inbox and lands on the task.
    inbox = login(world, "county_team_member")
    opened = inbox.post(f"/notifications/{note.pk}/open/")
    assert opened.status_code == 302 and inbox.get(opened["Location"]).status_code == 200


def test_a_team_with_a_task_and_no_submitted_report_is_reminded_once(world, committing):
    from tests.fieldwork.domain.factory import plan

    today = timezone.localdate()
    plan(world, day=today)
    assert remind_reports_due(today) == 1
    assert remind_reports_due_task(today.isoformat()) == 0  # the same day again: nothing
    [note] = told(world, "county_team_member", kind="daily_report_due")
    assert note.url == "/daily/"
    assert told(world, "sibling_team_member") == []


def test_no_reminder_for_a_day_without_work(world):
    assert remind_reports_due() == 0
