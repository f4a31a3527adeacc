"""The phone form for a visit: questions of the task, failed items become problems with
photos, a retry records nothing twice, and bad input leaves nothing half-saved."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ducha.fieldwork.models import Answer, Evidence, Inspection, Task
from ducha.problems.models import Problem
from tests.fieldwork.domain.factory import item, plan
from tests.fieldwork.pages.conftest import photo
from tests.fieldwork.pages.helpers import field_errors, local, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(world):
    return item(world, "卡口是否逐车登记"), item(world, "是否配备测温设备")


@pytest.fixture
def task(world, questions):
    return plan(world, day=timezone.localdate())


def client_key(response) -> str:
    match = re.search(r'name="client_key" value="([0-9a-f-]+)"', text(response))
    assert match, "no client key"
    return match.group(1)


def answers(questions, *results, note="三辆货车未登记即放行"):
    data = {}
    for question, result in zip(questions, results, strict=True):
        data[f"item_{question.pk}_result"] = result
        if result == "fail":
            data[f"item_{question.pk}_note"] = note
    return data


def form_data(world, task, questions, key=None, **overrides):
    data = {
        "team": task.team_id if task else None,
        "members_present": [world.users["county_team_member"].pk],
        "visited_at": local(timezone.now() - timedelta(minutes=30)),
        "method": "open",
        "sites": [world.sites["checkpoint"].pk],
        "notes": "",
        "client_key": key or str(uuid.uuid4()),
        **answers(questions, "fail", "pass"),
    }
    data.update(overrides)
    return data


def test_form_asks_the_questions_of_the_task_with_a_key_and_a_camera(world, login, task, questions):
    item(world, "封闭小区是否落实出入登记", office="sibling_office")
    page = login(world, "county_team_member").get(f"/field/inspections/new/?task={task.pk}")
    assert page.status_code == 200
    html = text(page)
    for question in questions:
        assert question.text in html
        for value in ("pass", "fail", "na"):
            assert f'name="item_{question.pk}_result" value="{value}"' in html
    assert "封闭小区是否落实出入登记" not in html
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html
    uuid.UUID(client_key(page))
    # A fresh key each time the form is drawn.
    again = login(world, "county_team_member").get(f"/field/inspections/new/?task={task.pk}")
    assert client_key(again) != client_key(page)
    # Defaults: the task's sites, the user present, the time now.
    site = world.sites["checkpoint"].pk
    assert re.search(rf'name="sites" value="{site}"[^>]* checked', html)
    user = world.users["county_team_member"].pk
    assert re.search(rf'name="members_present" value="{user}"[^>]* checked', html)


def test_failed_item_becomes_a_problem_with_the_photos(world, login, task, questions):
    client = login(world, "county_team_member")
    failed, ok = questions
    data = form_data(world, task, questions)
    data["photos"] = [photo("visit.png")]
    data[f"item_{failed.pk}_photos"] = [photo("gate.png", (20, 20, 200))]
    response = client.post(f"/field/inspections/new/?task={task.pk}", data)
    assert response.status_code == 302, text(response)[:3000]
    inspection = Inspection.objects.get()
    assert response["Location"] == f"/field/inspections/{inspection.pk}/"
    problem = Problem.objects.get()
    assert problem.title == "卡口未逐车登记" and problem.inspection == inspection
    assert problem.description == "三辆货车未登记即放行"
    assert Answer.objects.get(item=ok).problem is None
    assert Task.objects.get().state == "done"
    assert Evidence.objects.filter(inspection=inspection).count() == 1
    assert Evidence.objects.filter(problem=problem).count() == 1

    page = text(client.get(response["Location"]))
    assert f'href="/problems/{problem.pk}/"' in page
    for evidence in Evidence.objects.all():
        assert f'src="/field/evidence/{evidence.pk}/thumb/"' in page
    thumb = client.get(f"/field/evidence/{Evidence.objects.first().pk}/thumb/")
    assert thumb.status_code == 200


def test_a_failed_item_proposes_a_title_the_member_may_change(world, login, task, questions):
    client = login(world, "county_team_member")
    failed, _ = questions
    page = text(client.get(f"/field/inspections/new/?task={task.pk}"))
    assert re.search(rf'name="item_{failed.pk}_title" value="卡口未逐车登记"', page)
    data = form_data(world, task, questions, **{f"item_{failed.pk}_title": " 卡口货车未登记 "})
    response = client.post(f"/field/inspections/new/?task={task.pk}", data)
    assert response.status_code == 302, text(response)[:3000]
    assert Problem.objects.get().title == "卡口货车未登记"


def test_a_retry_with_the_same_key_records_nothing_twice(world, login, task, questions):
    client = login(world, "county_team_member")
    key = str(uuid.uuid4())
    data = form_data(world, task, questions, key=key)
    first = client.post(f"/field/inspections/new/?task={task.pk}", {**data, "photos": [photo()]})
    assert first.status_code == 302
    # The answer never arrived; the phone sends the same form again.
    again = client.post(f"/field/inspections/new/?task={task.pk}", {**data, "photos": [photo()]})
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Inspection.objects.count() == 1
    assert Problem.objects.count() == 1
    assert Evidence.objects.count() == 1


def test_fixed_on_the_spot_closes_the_problem(world, login, task, questions):
    failed = questions[0]
    data = form_data(world, task, questions)
    data[f"item_{failed.pk}_fixed"] = "on"
    data[f"item_{failed.pk}_evidence"] = "当场补登三辆货车信息"
    response = login(world, "county_team_member").post(
        f"/field/inspections/new/?task={task.pk}", data
    )
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert problem.state == "closed" and problem.on_the_spot


def test_visit_in_the_future_names_the_field_and_saves_nothing(world, login, task, questions):
    client = login(world, "county_team_member")
    data = form_data(
        world,
        task,
        questions,
        visited_at=local(timezone.now() + timedelta(days=1)),
        notes="保留这段备注",
    )
    data["photos"] = [photo()]
    response = client.post(f"/field/inspections/new/?task={task.pk}", data)
    assert response.status_code == 422
    assert field_errors(response, "visited_at")
    assert "保留这段备注" in text(response)
    assert 'data-testid="choose-photos-again"' in text(response)
    assert (Inspection.objects.count(), Problem.objects.count(), Evidence.objects.count()) == (
        0,
        0,
        0,
    )
    assert Task.objects.get().state == "planned"
    # The same key comes back, so the corrected form is still the same visit.
    assert client_key(response) == data["client_key"]


@pytest.mark.parametrize("visited_at", ["0001-01-01T08:00", "2000-01-01T08:00"])
def test_a_visit_long_ago_is_refused(world, login, task, questions, visited_at):
    data = form_data(world, task, questions, visited_at=visited_at)
    response = login(world, "county_team_member").post(
        f"/field/inspections/new/?task={task.pk}", data
    )
    assert response.status_code == 422
    assert field_errors(response, "visited_at")
    assert not Inspection.objects.exists()


def test_a_file_that_is_no_photo_undoes_the_whole_visit(world, login, task, questions, media):
    client = login(world, "county_team_member")
    data = form_data(world, task, questions)
    data["photos"] = [
        SimpleUploadedFile("gate.jpg", b"#!/bin/sh\necho hello\n", content_type="image/jpeg")
    ]
    response = client.post(f"/field/inspections/new/?task={task.pk}", data)
    assert response.status_code == 422
    assert field_errors(response, "photos")
    assert (Inspection.objects.count(), Problem.objects.count(), Evidence.objects.count()) == (
        0,
        0,
        0,
    )
    assert Task.objects.get().state == "planned"
    # Nothing of the bad file is kept on disk either.
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_a_bad_photo_of_an_item_is_reported_on_that_item(world, login, task, questions):
    data = form_data(world, task, questions)
    data[f"item_{questions[0].pk}_photos"] = [
        SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")
    ]
    response = login(world, "county_team_member").post(
        f"/field/inspections/new/?task={task.pk}", data
    )
    assert response.status_code == 422
    assert field_errors(response, f"item_{questions[0].pk}_photos")
    assert field_errors(response, "photos") == []
    assert (Inspection.objects.count(), Problem.objects.count(), Evidence.objects.count()) == (
        0,
        0,
        0,
    )


def test_at_most_ten_photos_at_once(world, login, task, questions):
    data = form_data(world, task, questions)
    data["photos"] = [photo(f"p{n}.png") for n in range(11)]
    response = login(world, "county_team_member").post(
        f"/field/inspections/new/?task={task.pk}", data
    )
    assert response.status_code == 422
    assert field_errors(response, "photos")
    assert not Inspection.objects.exists()


def test_failed_item_needs_a_note(world, login, task, questions):
    data = form_data(world, task, questions)
    data[f"item_{questions[0].pk}_note"] = ""
    response = login(world, "county_team_member").post(
        f"/field/inspections/new/?task={task.pk}", data
    )
    assert response.status_code == 422
    assert field_errors(response, f"item_{questions[0].pk}_note")
    assert not Inspection.objects.exists()


def test_every_question_must_be_answered(world, login, task, questions):
    data = form_data(world, task, questions)
    del data[f"item_{questions[1].pk}_result"]
    response = login(world, "county_team_member").post(
        f"/field/inspections/new/?task={task.pk}", data
    )
    assert response.status_code == 422
    assert f'data-item="{questions[1].pk}"' in text(response)
    assert not Inspection.objects.exists()


def test_answer_to_a_question_not_on_the_form_is_ignored(world, login, task, questions):
    foreign = item(world, "双滦区自定问题", office="sibling_office")
    data = form_data(world, task, questions)
    data[f"item_{foreign.pk}_result"] = "fail"
    response = login(world, "county_team_member").post(
        f"/field/inspections/new/?task={task.pk}", data
    )
    assert response.status_code == 302
    assert not Answer.objects.filter(item=foreign).exists()


@pytest.mark.parametrize("persona", ["sibling_team_member", "sibling_office", "outsider"])
def test_other_jurisdictions_get_404(world, login, task, questions, persona):
    client = login(world, persona)
    assert client.get(f"/field/inspections/new/?task={task.pk}").status_code == 404
    response = client.post(
        f"/field/inspections/new/?task={task.pk}", form_data(world, task, questions)
    )
    assert response.status_code == 404
    assert not Inspection.objects.exists()


@pytest.mark.parametrize("persona", ["county_leader", "county_handler"])
def test_roles_that_do_not_inspect_get_403(world, login, task, persona):
    client = login(world, persona)
    assert client.get(f"/field/tasks/{task.pk}/").status_code == 200
    assert client.get(f"/field/inspections/new/?task={task.pk}").status_code == 403


def test_a_visit_without_a_task(world, login, questions):
    client = login(world, "county_team_member")
    start = client.get("/field/inspections/new/")
    assert start.status_code == 200
    team = world.teams["county_team"].pk
    assert f'<option value="{team}" selected>' in text(start)
    path = f"/field/inspections/new/?team={team}&focus_areas={questions[0].focus_area_id}"
    page = client.get(path)
    assert page.status_code == 200
    assert questions[0].text in text(page)
    assert f'action="{path}"' in text(page).replace("&amp;", "&")
    data = form_data(world, None, questions, team=team, method="unannounced")
    response = client.post(path, data)
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.task is None and inspection.method == "unannounced"
    assert Problem.objects.get().inspection == inspection


def test_a_visit_without_a_task_only_for_ones_own_team(world, login, questions):
    client = login(world, "county_team_member")
    other = world.teams["sibling_team"].pk
    response = client.get(
        f"/field/inspections/new/?team={other}&focus_areas={questions[0].focus_area_id}"
    )
    assert response.status_code == 422
    assert field_errors(response, "team")
    assert login(world, "county_leader").get("/field/inspections/new/").status_code == 403


def test_a_visit_without_a_task_offers_only_the_teams_sites(world, login, questions):
    team = world.teams["county_team"].pk
    page = login(world, "county_office").get(
        f"/field/inspections/new/?team={team}&focus_areas={questions[0].focus_area_id}"
    )
    assert f'name="sites" value="{world.sites["checkpoint"].pk}"' in text(page)
    assert f'name="sites" value="{world.sites["sibling_market"].pk}"' not in text(page)


def test_a_recorded_task_sends_to_its_visit(world, login, task, questions):
    client = login(world, "county_team_member")
    client.post(f"/field/inspections/new/?task={task.pk}", form_data(world, task, questions))
    inspection = Inspection.objects.get()
    again = client.get(f"/field/inspections/new/?task={task.pk}")
    assert again.status_code == 302
    assert again["Location"] == f"/field/inspections/{inspection.pk}/"


def test_inspection_detail_is_scoped(world, login, task, questions):
    login(world, "county_team_member").post(
        f"/field/inspections/new/?task={task.pk}", form_data(world, task, questions)
    )
    inspection = Inspection.objects.get()
    assert (
        login(world, "county_office").get(f"/field/inspections/{inspection.pk}/").status_code == 200
    )
    assert (
        login(world, "city_leader").get(f"/field/inspections/{inspection.pk}/").status_code == 200
    )
    assert (
        login(world, "sibling_office").get(f"/field/inspections/{inspection.pk}/").status_code
        == 404
    )
