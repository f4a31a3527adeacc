"""A rectification report's photos are labelled before / after the fix, chosen when they are
uploaded, and shown so in the report's timeline entry for whoever verifies."""

import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from ducha.fieldwork.models import Evidence
from ducha.problems import actions
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _png(name: str, colour: str = "green") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _stages() -> dict[str, str]:
    return dict(Evidence.objects.values_list("original_name", "stage"))


def _timeline_groups(html: str) -> dict[str, list[str]]:
    entry = re.search(r'<li data-event="submit_rectification">(.*?)</li>', html, re.S)
    assert entry, "no rectification entry in the timeline"
    groups = re.findall(r'data-stage="(\w*)"(.*?)</div>\s*</div>', entry.group(1), re.S)
    return {stage: re.findall(r'title="([^"]+)"', body) for stage, body in groups}


def test_the_page_labels_each_photo_and_the_timeline_shows_which_is_which(world, login):
    problem = world.assigned()
    handler = login(world, "county_handler")
    form = handler.get(f"/problems/{problem.pk}/").content.decode()
    assert 'name="photos_before"' in form and 'name="photos"' in form
    response = handler.post(
        f"/problems/{problem.pk}/act/submit_rectification/",
        {
            "text": "已设专人登记",
            "photos_before": [_png("before.png", "red")],
            "photos": [_png("after-1.png"), _png("after-2.png")],
        },
    )
    assert response.status_code == 302
    assert _stages() == {"before.png": "before", "after-1.png": "after", "after-2.png": "after"}

    client = Client()
    client.login(username=world.users["county_office"].username, password=PASSWORD)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/problems/{problem.pk}/").content.decode()
    groups = _timeline_groups(html)
    assert groups == {"before": ["before.png"], "after": ["after-1.png", "after-2.png"]}
    assert "Before rectification" in html and "After rectification" in html


def test_a_refused_before_photo_is_named_and_undoes_the_report(world, login):
    problem = world.assigned()
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>")
    response = login(world, "county_handler").post(
        f"/problems/{problem.pk}/act/submit_rectification/",
        {"text": "已设专人登记", "photos_before": [fake], "photos": [_png("after.png")]},
    )
    assert response.status_code == 422
    bound = next(form for form in response.context["action_forms"] if form.is_bound)
    assert list(bound.errors) == ["photos_before"]
    assert not Evidence.objects.exists()


def test_the_action_labels_the_photos(world):
    problem = world.assigned()
    actions.do_submit_rectification(
        problem,
        acting_user=world.users["county_handler"],
        text="已整改",
        photos_before=[_png("b.png")],
        photos=[_png("a.png")],
    )
    assert _stages() == {"b.png": "before", "a.png": "after"}
    report = problem.events.get(action="submit_rectification")
    assert set(Evidence.objects.values_list("problem_event", flat=True)) == {report.pk}


def test_the_api_labels_the_photos_and_reads_them_back(world, api_as):
    problem = world.assigned()
    api = api_as("county_handler")
    response = api.client.post(
        f"/api/v1/problems/{problem.pk}/actions/submit_rectification/with-photos",
        {"text": "已整改", "photos_before": [_png("b.png")], "photos": [_png("a.png")]},
    )
    assert response.status_code == 200, response.content
    assert _stages() == {"b.png": "before", "a.png": "after"}
    report = problem.events.get(action="submit_rectification")
    listed = api.get("/evidence", {"problem_event": report.pk}).json()["items"]
    assert {item["name"]: item["stage"] for item in listed} == {"b.png": "before", "a.png": "after"}

    # A photo added to the report afterwards says which it is, too.
    added = api.client.post(
        "/api/v1/evidence",
        {
            "client_key": str(uuid.uuid4()),
            "problem_event": report.pk,
            "stage": "before",
            "file": _png("late.png"),
        },
    )
    assert added.status_code == 201, added.content
    assert added.json()["stage"] == "before"


def test_the_api_refuses_a_stage_off_a_report(world, api_as):
    problem = world.assigned()
    api = api_as("county_office")
    response = api.client.post(
        "/api/v1/evidence",
        {
            "client_key": str(uuid.uuid4()),
            "problem": problem.pk,
            "stage": "after",
            "file": _png("x.png"),
        },
    )
    assert response.status_code == 422
    assert "stage" in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_on_the_spot_close_takes_no_before_photos(world, api_as):
    problem = world.problem()
    response = api_as("county_team_member").client.post(
        f"/api/v1/problems/{problem.pk}/actions/close_on_spot/with-photos",
        {"evidence": "当场补登记", "photos_before": [_png("b.png")]},
    )
    assert response.status_code == 422
    assert not Evidence.objects.exists()
