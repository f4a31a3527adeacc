"""What the offline field app sends: a visit with its photos, the time and place the phone
gave for each, proposed problem titles, and the same visit sent again (created once)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ducha.fieldwork.models import Evidence, Inspection
from ducha.problems.models import Problem
from tests.fieldwork.api.helpers import counts, inspection_body
from tests.fieldwork.domain.factory import item, plan
from tests.fieldwork.evidence.conftest import png, upload

pytestmark = pytest.mark.django_db

WITH_PHOTOS = "/api/v1/inspections/with-photos"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _send(member, body, question):
    return member.client.post(
        WITH_PHOTOS,
        {
            "payload": json.dumps(body),
            "photos": [upload(png(), "gate.png", "image/png")],
            f"item_{question.pk}_photos": [
                upload(png(color=(10, 200, 10)), "a.png", "image/png"),
                upload(png(color=(10, 10, 200)), "b.png", "image/png"),
            ],
        },
    )


def test_the_same_visit_sent_twice_is_created_once_with_what_the_phone_said(world, api_as, media):
    question = item(world, "卡口是否逐车登记")
    task = plan(world, day=timezone.localdate())
    member = api_as("county_team_member")
    now = timezone.now()
    body = inspection_body(
        [{"item": question.pk, "result": "fail", "note": "两辆货车未登记", "title": "货车未登记"}],
        task=task.pk,
        photos_taken=[
            {
                "photo": "visit-0",
                "captured_at": (now - timedelta(minutes=20)).isoformat(),
                "latitude": 40.9712345678,
                "longitude": 117.93987651,
                "accuracy": 12,
            },
            # A phone whose clock runs a day ahead, and one left at a long-past date.
            {
                "photo": f"item-{question.pk}-0",
                "captured_at": (now + timedelta(days=1)).isoformat(),
            },
            {
                "photo": f"item-{question.pk}-1",
                "captured_at": (now - timedelta(days=40)).isoformat(),
            },
        ],
    )

    first = _send(member, body, question)
    assert first.status_code == 201, first.content
    before = counts()
    evidence_before = Evidence.objects.count()
    again = _send(member, body, question)

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert counts() == before
    assert Evidence.objects.count() == evidence_before == 3
    inspection = Inspection.objects.get()
    problem = Problem.objects.get()
    assert problem.title == "货车未登记"
    visit_photo = Evidence.objects.get(inspection=inspection)
    assert visit_photo.captured_at == (now - timedelta(minutes=20))
    assert (visit_photo.latitude, visit_photo.longitude) == (
        Decimal("40.971235"),
        Decimal("117.939877"),
    )
    assert visit_photo.position_accuracy == 12
    assert visit_photo.capture_clock == ""
    # The server's own time is kept beside the phone's, never replaced by it.
    assert abs(visit_photo.uploaded_at - timezone.now()) < timedelta(minutes=1)
    ahead, old = Evidence.objects.filter(problem=problem).order_by("pk")
    assert (ahead.capture_clock, old.capture_clock) == ("ahead", "old")
    assert ahead.latitude is None


def test_photo_details_are_bounded(world, api_as, media):
    question = item(world)
    member = api_as("county_team_member")
    body = inspection_body(
        [{"item": question.pk, "result": "fail", "note": "未登记"}],
        task=plan(world, day=timezone.localdate()).pk,
        photos_taken=[{"photo": "../../etc", "latitude": 91}],
    )
    response = _send(member, body, question)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["detail"]}
    assert fields == {"photos_taken.photo", "photos_taken.latitude"}
    assert Inspection.objects.count() == 0


def test_a_failed_answer_without_a_title_takes_the_proposed_one(world, api_as):
    question = item(world, "采样点是否设置一米线，排队秩序是否有专人引导")
    office = api_as("county_office")
    proposed = office.post(
        "/checklist-items",
        {
            "focus_area": question.focus_area_id,
            "text": "是否配备测温设备",
            "proposed_title": "无测温设备",
        },
    )
    assert proposed.status_code == 201, proposed.content
    assert proposed.json()["problem_title"] == "无测温设备"
    assert office.get(f"/checklist-items/{question.pk}").json()["problem_title"] == (
        "采样点未设置一米线"
    )
    member = api_as("county_team_member")
    body = inspection_body(
        [
            {"item": question.pk, "result": "fail", "note": "排队拥挤"},
            {"item": proposed.json()["id"], "result": "fail", "note": "测温枪缺失"},
        ],
        task=plan(world, day=timezone.localdate()).pk,
    )
    assert member.post("/inspections", body).status_code == 201
    assert set(Problem.objects.values_list("title", flat=True)) == {
        "采样点未设置一米线",
        "无测温设备",
    }
    # A revision keeps the proposal unless it names a new one.
    revised = office.post(
        f"/checklist-items/{proposed.json()['id']}/revise", {"text": "是否配备额温枪"}
    )
    assert revised.json()["proposed_title"] == "无测温设备"


def test_the_field_app_is_served_by_ducha_in_its_own_folder(world, login, client):
    login(world, "county_team_member")
    page = client.get("/field/offline/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'rel="manifest"' in html and "field-app.js" in html
    worker = client.get("/field/offline/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in worker
    text = worker.content.decode()
    assert '"shell": "/field/offline/"' in text and "/static/ducha/field-app.js" in text
    manifest = client.get("/field/offline/manifest.webmanifest")
    assert manifest["Content-Type"].startswith("application/manifest+json")
    assert json.loads(manifest.content)["scope"] == "/field/offline/"


def test_the_field_app_is_for_those_who_record_visits(world, login, client):
    assert client.get("/field/offline/").status_code == 302
    login(world, "county_handler")
    assert client.get("/field/offline/").status_code == 403


def test_a_new_key_records_a_new_visit(world, api_as):
    question = item(world)
    member = api_as("county_team_member")
    body = inspection_body([{"item": question.pk, "result": "pass"}])
    body["team"] = world.teams["county_team"].pk
    body["sites"] = [world.sites["checkpoint"].pk]
    body["method"] = "open"
    assert member.post("/inspections", body).status_code == 201
    body["client_key"] = str(uuid.uuid4())
    assert member.post("/inspections", body).status_code == 201
    assert Inspection.objects.count() == 2
