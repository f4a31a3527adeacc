"""Photos sent with a rectification report or an on-the-spot close, from the problem page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ducha.fieldwork.models import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _png(name="fixed.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_rectification_photos_document_the_report(world, login):
    problem = world.assigned()
    client = login(world, "county_handler")
    response = client.post(
        f"/problems/{problem.pk}/act/submit_rectification/",
        {"text": "已设专人登记", "photos": [_png("a.png"), _png("b.png")]},
    )
    assert response.status_code == 302
    report = problem.events.get(action="submit_rectification")
    assert set(Evidence.objects.values_list("problem_event", flat=True)) == {report.pk}
    assert Evidence.objects.filter(problem=problem).count() == 2


def test_a_refused_photo_undoes_the_report(world, login):
    problem = world.assigned()
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>")
    response = login(world, "county_handler").post(
        f"/problems/{problem.pk}/act/submit_rectification/",
        {"text": "已设专人登记", "photos": [fake]},
    )
    assert response.status_code == 422
    bound = next(form for form in response.context["action_forms"] if form.is_bound)
    assert list(bound.errors) == ["photos"]
    problem.refresh_from_db()
    assert problem.state == "assigned"
    assert not problem.events.filter(action="submit_rectification").exists()
    assert not Evidence.objects.exists()


def test_photos_of_an_on_the_spot_close_belong_to_the_problem(world, login):
    problem = world.problem()
    client = login(world, "county_team_member")
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    response = client.post(
        f"/problems/{problem.pk}/act/close_on_spot/",
        {"evidence": "当场补登记", "photos": [_png()]},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.state == "closed"
    evidence = Evidence.objects.get()
    assert evidence.problem == problem and evidence.problem_event is None
