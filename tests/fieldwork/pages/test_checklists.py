"""The checklist editor: offices add, revise (a new version) and retire their questions."""

import pytest

from ducha.fieldwork.models import ChecklistItem
from tests.fieldwork.domain.factory import item, screening
from tests.fieldwork.pages.helpers import field_errors, text

pytestmark = pytest.mark.django_db


def test_office_adds_a_question(world, login):
    client = login(world, "county_office")
    response = client.post(
        "/field/checklists/",
        {
            "focus_area": screening().pk,
            "office": world.orgs["county_office"].pk,
            "text": "卡口是否逐车登记",
            "position": 1,
        },
    )
    assert response.status_code == 302
    added = ChecklistItem.objects.get()
    assert (added.text, added.office, added.active) == (
        "卡口是否逐车登记",
        world.orgs["county_office"],
        True,
    )
    assert "卡口是否逐车登记" in text(client.get("/field/checklists/"))


def test_office_sets_the_title_a_failed_question_proposes(world, login):
    client = login(world, "county_office")
    page = text(client.get("/field/checklists/"))
    assert 'name="proposed_title"' in page
    old = item(world, "卡口是否逐车登记")
    page = text(client.get("/field/checklists/"))
    # Until the office writes one, the proposal is built from the question.
    assert "卡口未逐车登记" in page
    response = client.post(
        f"/field/checklists/{old.pk}/revise/",
        {"text": old.text, "proposed_title": "卡口车辆未登记即放行"},
    )
    assert response.status_code == 302
    new = ChecklistItem.objects.get(active=True)
    assert new.proposed_title == "卡口车辆未登记即放行"
    assert new.problem_title() == "卡口车辆未登记即放行"
    assert "卡口车辆未登记即放行" in text(client.get("/field/checklists/"))


def test_empty_question_is_refused(world, login):
    response = login(world, "county_office").post(
        "/field/checklists/",
        {"focus_area": screening().pk, "office": world.orgs["county_office"].pk, "text": ""},
    )
    assert response.status_code == 422
    assert field_errors(response, "text")
    assert not ChecklistItem.objects.exists()


def test_revising_makes_a_new_version_and_keeps_the_old(world, login):
    old = item(world, "卡口是否登记")
    client = login(world, "county_office")
    response = client.post(
        f"/field/checklists/{old.pk}/revise/", {"text": "卡口是否逐车逐人登记", "position": 2}
    )
    assert response.status_code == 302
    old.refresh_from_db()
    new = ChecklistItem.objects.get(active=True)
    assert new.replaces == old and not old.active
    assert new.text == "卡口是否逐车逐人登记"
    page = text(client.get("/field/checklists/"))
    assert "卡口是否逐车逐人登记" in page and "卡口是否登记<" not in page
    assert "卡口是否登记<" in text(client.get("/field/checklists/?retired=1"))


def test_retiring_stops_asking(world, login):
    old = item(world)
    response = login(world, "county_office").post(f"/field/checklists/{old.pk}/retire/")
    assert response.status_code == 302
    old.refresh_from_db()
    assert not old.active


def test_team_member_reads_but_may_not_edit(world, login):
    question = item(world)
    client = login(world, "county_team_member")
    page = text(client.get("/field/checklists/"))
    assert question.text in page
    assert 'data-action="revise"' not in page and 'data-action="add"' not in page
    assert client.post(f"/field/checklists/{question.pk}/retire/").status_code == 403
    assert (
        client.post(
            "/field/checklists/",
            {"focus_area": screening().pk, "office": world.orgs["county_office"].pk, "text": "x"},
        ).status_code
        == 403
    )
    question.refresh_from_db()
    assert question.active


def test_an_office_below_reads_the_county_list_but_may_not_change_it(world, login):
    question = item(world)
    client = login(world, "town_office")
    page = text(client.get("/field/checklists/"))
    assert question.text in page
    assert 'data-action="revise"' not in page
    assert client.post(f"/field/checklists/{question.pk}/retire/").status_code == 403


def test_sibling_office_does_not_see_the_county_list(world, login):
    question = item(world)
    client = login(world, "sibling_office")
    assert question.text not in text(client.get("/field/checklists/"))
    assert client.post(f"/field/checklists/{question.pk}/retire/").status_code == 404
