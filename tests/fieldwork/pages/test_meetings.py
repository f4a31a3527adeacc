"""会商: the office records its meeting and turns the decisions into tomorrow's tasks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.fieldwork import actions
from ducha.fieldwork.models import Meeting, Task
from tests.fieldwork.domain.factory import plan, screening
from tests.fieldwork.pages.helpers import field_errors, task_ids, text

pytestmark = pytest.mark.django_db


def meeting(world, by="county_office", **kwargs):
    kwargs.setdefault("title", "疫情防控督查日例会")
    kwargs.setdefault("decisions", "明日重点检查高速卡口登记情况")
    return actions.do_record_meeting(
        acting_user=world.users[by],
        office=world.orgs[by],
        held_on=timezone.localdate(),
        **kwargs,
    )


def test_office_records_a_meeting(world, login):
    client = login(world, "county_office")
    assert client.get("/field/meetings/new/").status_code == 200
    response = client.post(
        "/field/meetings/new/",
        {
            "office": world.orgs["county_office"].pk,
            "held_on": f"{timezone.localdate():%Y-%m-%d}",
            "title": "晚间会商",
            "attendees": "督查办全体",
            "decisions": "明日派两个组暗访农贸市场",
        },
    )
    recorded = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/field/meetings/{recorded.pk}/"
    assert recorded.created_by == world.users["county_office"]
    page = text(client.get(response["Location"]))
    assert "明日派两个组暗访农贸市场" in page
    assert 'id="task-form"' in page
    assert "晚间会商" in text(client.get("/field/meetings/"))


def test_meeting_in_the_future_is_refused_on_its_field(world, login):
    response = login(world, "county_office").post(
        "/field/meetings/new/",
        {
            "office": world.orgs["county_office"].pk,
            "held_on": f"{timezone.localdate() + timedelta(days=2):%Y-%m-%d}",
            "title": "晚间会商",
        },
    )
    assert response.status_code == 422
    assert field_errors(response, "held_on")
    assert not Meeting.objects.exists()


def test_missing_title_is_refused(world, login):
    response = login(world, "county_office").post(
        "/field/meetings/new/",
        {"office": world.orgs["county_office"].pk, "held_on": f"{timezone.localdate():%Y-%m-%d}"},
    )
    assert response.status_code == 422
    assert field_errors(response, "title")


def test_decision_becomes_a_task_of_the_meeting(world, login):
    held = meeting(world)
    client = login(world, "county_office")
    day = timezone.localdate() + timedelta(days=1)
    response = client.post(
        "/field/tasks/new/",
        {
            "meeting": held.pk,
            "office": world.orgs["county_office"].pk,
            "team": world.teams["county_team"].pk,
            "day": f"{day:%Y-%m-%d}",
            "method": "unannounced",
            "focus_areas": [screening().pk],
            "sites": [world.sites["checkpoint"].pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/field/meetings/{held.pk}/"
    task = Task.objects.get()
    assert task.meeting == held and task.method == "unannounced" and task.day == day
    assert task_ids(client.get(response["Location"])) == [task.pk]


def test_meeting_page_shows_overlaps_when_planning_from_it(world, login, fw_second_team):
    held = meeting(world)
    other = plan(world, team="town_team")
    response = login(world, "county_office").post(
        "/field/tasks/new/",
        {
            "meeting": held.pk,
            "office": world.orgs["county_office"].pk,
            "team": world.teams["county_team"].pk,
            "day": f"{other.day:%Y-%m-%d}",
            "method": "open",
            "focus_areas": [screening().pk],
            "sites": [world.sites["checkpoint"].pk],
        },
    )
    assert response.status_code == 409
    assert f'data-overlap="task-{other.pk}"' in text(response)
    assert held.title in text(response)
    assert Task.objects.count() == 1


@pytest.mark.parametrize("persona", ["county_team_member", "county_handler", "county_leader"])
def test_only_offices_record_meetings(world, login, persona):
    client = login(world, persona)
    assert client.get("/field/meetings/new/").status_code == 403
    assert 'data-testid="new-meeting"' not in text(client.get("/field/meetings/"))


def test_meetings_are_scoped(world, login):
    held = meeting(world)
    meeting(world, by="sibling_office", title="双滦区日例会")
    listed = text(login(world, "county_office").get("/field/meetings/"))
    assert "疫情防控督查日例会" in listed and "双滦区日例会" not in listed
    assert "双滦区日例会" in text(login(world, "city_office").get("/field/meetings/"))
    assert login(world, "sibling_office").get(f"/field/meetings/{held.pk}/").status_code == 404
    # The city sees the county's meeting but plans its own tasks elsewhere.
    city = login(world, "city_office").get(f"/field/meetings/{held.pk}/")
    assert city.status_code == 200
