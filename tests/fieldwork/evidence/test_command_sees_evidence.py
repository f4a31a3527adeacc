"""Whoever may see a problem may open its evidence: the command HQ and common problems."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ducha.fieldwork.evidence import do_attach_evidence

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(("nature", "status"), [("common", 200), ("individual", 404)])
def test_command_opens_evidence_of_the_problems_it_sees(world, login, nature, status):
    problem = world.problem(nature=nature)
    evidence = do_attach_evidence(
        acting_user=world.users["county_office"], upload=_png(), problem=problem
    )
    client = login(world, "city_command")
    assert client.get(f"/api/v1/problems/{problem.pk}").status_code == status
    assert client.get(f"/field/evidence/{evidence.pk}/").status_code == status
    assert client.get(f"/api/v1/evidence/{evidence.pk}/file").status_code == status
