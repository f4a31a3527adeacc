"""What people see of the ladder: the escalated queue, the timeline, the 催办通知书."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ducha.accounts.system import SYSTEM_USERNAME, system_user
from ducha.documents.models import Document
from ducha.problems import actions
from ducha.problems.ladder import chase
from ducha.problems.models import Problem, ProblemEvent
from tests.pages.helpers import section_ids, sections, text

pytestmark = pytest.mark.django_db


def _past_deadline(*problems):
    now = timezone.now()
    for problem in problems:
        Problem.objects.filter(pk=problem.pk).update(
            deadline=now - timedelta(hours=1), yellow_at=now - timedelta(hours=2)
        )
        problem.refresh_from_db()


def _escalated(world):
    problem = world.assigned()
    chase(problem.deadline + timedelta(hours=25))
    return problem


@pytest.mark.parametrize(
    "persona", ["county_leader", "city_leader", "city_office"], ids=lambda p: p
)
def test_leaders_of_the_targets_and_the_office_above_see_it_escalated(world, login, persona):
    problem = _escalated(world)
    world.assigned()  # overdue soon, but not escalated
    response = login(world, persona).get("/problems/queue/")
    assert response.status_code == 200
    assert section_ids(response, "escalated") == [problem.pk]


@pytest.mark.parametrize(
    "persona",
    ["county_office", "province_leader", "sibling_office", "county_handler", "town_office"],
)
def test_others_have_no_escalated_section(world, login, persona):
    _escalated(world)
    response = login(world, persona).get("/problems/queue/")
    assert response.status_code == 200
    assert "escalated" not in sections(response)


def test_a_new_deadline_takes_it_off_the_escalated_queue(world, login):
    problem = _escalated(world)
    actions.do_dispute(problem, acting_user=world.users["county_handler"], reason="不归我局管")
    actions.do_decide_dispute(
        problem,
        acting_user=world.users["county_office"],
        decision="uphold",
        comment="仍由卫健局整改",
        deadline=timezone.now() + timedelta(days=10),
    )
    response = login(world, "city_leader").get("/problems/queue/")
    assert "escalated" not in sections(response)


def test_the_timeline_shows_the_automatic_steps(world, login):
    problem = _escalated(world)
    page = text(login(world, "county_office").get(f"/problems/{problem.pk}/"))
    assert "督查督办系统" in page
    assert "自动发送" in page and "超期" in page
    assert "升级至" in page and "承德市大督查办" in page


def test_an_office_that_wants_them_gets_a_numbered_urge_notice(world, login):
    office = world.orgs["county_office"]
    office.urge_notices = True
    office.save()
    first, second = world.assigned(), world.assigned()
    # The notice states the figures as they are when it is issued: the deadlines really pass.
    _past_deadline(first, second)
    chase()

    notices = Document.objects.filter(kind="urge_notice").order_by("number")
    assert [n.number for n in notices] == [1, 2]
    year = timezone.localdate().year
    assert notices[0].reference == f"双桥督办催〔{year}〕1号"
    assert notices[0].issuer == office and notices[0].recipient == world.orgs["county_dept"]
    event = ProblemEvent.objects.get(problem=first, payload__automatic="overdue")
    assert event.payload["document"] in {n.pk for n in notices}
    assert event.payload["document_reference"].startswith("双桥督办催")

    client = login(world, "county_office")
    page = text(client.get(f"/documents/{event.payload['document']}/"))
    assert event.payload["document_reference"] in page and first.title in page
    download = client.get(f"/documents/{event.payload['document']}/files/docx/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    # The unit it is addressed to reads it too; a neighbour's office does not.
    handler = Client()
    handler.force_login(world.users["county_handler"])
    assert handler.get(f"/documents/{event.payload['document']}/").status_code == 200
    sibling = Client()
    sibling.force_login(world.users["sibling_office"])
    assert sibling.get(f"/documents/{event.payload['document']}/").status_code == 404


def test_no_urge_notice_unless_the_office_wants_one(world):
    problem = world.assigned()
    chase(problem.deadline + timedelta(minutes=1))
    assert not Document.objects.exists()
    event = ProblemEvent.objects.get(problem=problem, payload__automatic="overdue")
    assert "document" not in event.payload


def test_the_new_document_page_offers_no_urge_notice_form(world, login):
    page = text(login(world, "county_office").get("/documents/new/"))
    assert "kind=urge_notice" not in page
    assert "kind=bulletin" in page


def test_an_office_may_draft_an_urge_notice_through_the_api(world, login):
    problem = world.assigned()
    client = login(world, "county_office")

    def draft():
        return client.post(
            "/api/v1/documents",
            {"kind": "urge_notice", "problem": problem.pk},
            content_type="application/json",
        )

    early = draft()
    assert early.status_code == 422 and early.json()["field"] == "problem"
    _past_deadline(problem)
    drafted = draft()
    assert drafted.status_code == 201, drafted.content
    assert drafted.json()["recipient"]["id"] == world.orgs["county_dept"].pk


def test_the_system_account_cannot_log_in(world):
    user = system_user()
    assert user.username == SYSTEM_USERNAME
    assert not user.is_active and not user.has_usable_password()
    assert not user.memberships.exists()
    # Switched on in the admin site by mistake: the next use switches it off again.
    user.is_active = True
    user.set_password("correct-horse-battery")
    user.save()
    again = system_user()
    assert not again.is_active and not again.has_usable_password()
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": SYSTEM_USERNAME, "password": "correct-horse-battery"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_the_system_administrator_switches_urge_notices_on_for_an_office(world):
    from django.contrib.auth.models import Permission

    from tests.world import PASSWORD

    user = world.users["county_admin"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="orgs"))
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    office = world.orgs["county_office"]
    url = f"/admin/orgs/org/{office.pk}/change/"
    assert 'name="urge_notices"' in client.get(url).content.decode()
    form = {"kind": "office", "name": office.name, "parent": office.parent_id, "code": ""}
    response = client.post(url, {**form, "urge_notices": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    office.refresh_from_db()
    assert office.urge_notices
