"""Uploading evidence through the API: what is accepted, what is stored, what is refused."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from ducha.fieldwork.models import Evidence, FieldEvent
from tests.fieldwork.evidence.conftest import (
    CAMERA,
    EXE,
    HTML,
    PDF,
    SVG,
    jpeg_with_gps,
    png,
    stored_files,
    webp,
)

pytestmark = pytest.mark.usefixtures("media")


def stored(evidence: Evidence) -> bytes:
    with evidence.file.open("rb") as handle:
        return handle.read()


def field_of(response) -> str | None:
    return response.json().get("field")


def test_png_is_redrawn_as_jpeg_with_a_thumbnail(as_user, problem, media):
    response = as_user("county_office").post(png((1000, 600)), name="卡口.png", problem=problem)

    assert response.status_code == 201, response.content
    body = response.json()
    evidence = Evidence.objects.get(pk=body["id"])
    data = stored(evidence)
    assert body["kind"] == "image"
    assert body["content_type"] == "image/jpeg"
    assert body["name"] == "卡口.png"
    assert body["size"] == len(data) == evidence.size
    assert body["sha256"] == hashlib.sha256(data).hexdigest() == evidence.sha256
    assert Image.open(io.BytesIO(data)).format == "JPEG"
    assert evidence.file.name.endswith(".jpg")
    with evidence.thumbnail.open("rb") as handle:
        thumb = Image.open(io.BytesIO(handle.read()))
    assert thumb.size == (480, 288)
    assert body["urls"] == {
        "file": f"/api/v1/evidence/{evidence.pk}/file",
        "download": f"/field/evidence/{evidence.pk}/",
        "thumbnail": f"/field/evidence/{evidence.pk}/thumb/",
    }
    assert len(stored_files(media)) == 2

    event = FieldEvent.objects.get(action="attach_evidence")
    assert event.payload["evidence"] == evidence.pk
    assert event.payload["problem"] == problem.pk
    assert event.actor.username == "county_office"


def test_transparent_png_stays_png_with_its_transparency(as_user, problem):
    response = as_user("county_office").post(png(alpha=80), problem=problem)

    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(pk=response.json()["id"])
    assert evidence.content_type == "image/png"
    image = Image.open(io.BytesIO(stored(evidence)))
    assert image.format == "PNG"
    assert image.getpixel((0, 0))[3] == 80


def test_phone_photo_loses_gps_and_camera_but_keeps_its_orientation(as_user, problem):
    original = jpeg_with_gps(size=(60, 40), orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test file has GPS

    response = as_user("county_office").post(original, problem=problem)

    assert response.status_code == 201, response.content
    data = stored(Evidence.objects.get(pk=response.json()["id"]))
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()
    assert b"Exif" not in data
    assert CAMERA.encode() not in data
    # Orientation 6 means "turn 90° clockwise to view": the stored picture is upright.
    assert image.size == (40, 60)
    # The yellow marker of the top-left corner is now at the top right.
    r, g, b = image.getpixel((36, 3))
    assert r > 200 and g > 200 and b < 80


def test_webp_is_accepted_and_stored_as_jpeg(as_user, problem):
    response = as_user("county_office").post(webp(), name="x.webp", problem=problem)

    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "image/jpeg"


def test_pdf_is_stored_as_sent(as_user, problem):
    response = as_user("county_office").post(
        PDF, name="整改报告.pdf", content_type="application/pdf", problem=problem
    )

    assert response.status_code == 201, response.content
    body = response.json()
    evidence = Evidence.objects.get(pk=body["id"])
    assert body["kind"] == "document"
    assert body["content_type"] == "application/pdf"
    assert stored(evidence) == PDF
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["urls"]["thumbnail"] is None


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        pytest.param(HTML, "photo.jpg", "image/jpeg", id="html-named-jpg"),
        pytest.param(SVG, "map.svg", "image/svg+xml", id="svg"),
        pytest.param(EXE, "report.pdf", "application/pdf", id="executable-named-pdf"),
        pytest.param(b"GIF89a" + b"\x00" * 40, "a.gif", "image/gif", id="gif"),
        pytest.param(png()[:60], "cut.png", "image/png", id="truncated-png"),
        pytest.param(b"", "empty.jpg", "image/jpeg", id="empty"),
    ],
)
def test_wrong_content_is_refused_naming_the_file(
    as_user, problem, media, data, name, content_type
):
    response = as_user("county_office").post(
        data, name=name, content_type=content_type, problem=problem
    )

    assert response.status_code == 422, response.content
    assert field_of(response) == "file"
    assert not Evidence.objects.exists()
    assert not FieldEvent.objects.exists()
    assert stored_files(media) == []


def test_oversize_file_is_refused_with_the_limit(as_user, problem, settings, media):
    settings.DUCHA_EVIDENCE_MAX_BYTES = 2000
    response = as_user("county_office").post(
        PDF + b"%" * 2000, content_type="application/pdf", problem=problem
    )

    assert response.status_code == 422
    assert field_of(response) == "file"
    assert "2.0" in response.json()["detail"]  # 2.0 KB, in the user's language
    assert stored_files(media) == []


def test_a_file_just_under_the_limit_passes(as_user, problem, settings):
    settings.DUCHA_EVIDENCE_MAX_BYTES = len(PDF)
    response = as_user("county_office").post(PDF, content_type="application/pdf", problem=problem)
    assert response.status_code == 201


# Pillow warns between the limit and twice the limit; the upload is refused either way.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("size", [(40, 40), (200, 200)], ids=["over-limit", "over-twice-limit"])
def test_decompression_bomb_is_refused(as_user, problem, settings, media, size):
    settings.DUCHA_IMAGE_MAX_PIXELS = 1000
    response = as_user("county_office").post(png(size), problem=problem)

    assert response.status_code == 422, response.content
    assert field_of(response) == "file"
    assert stored_files(media) == []


def test_missing_file_or_object_names_the_field(as_user, problem, inspection):
    uploader = as_user("county_office")

    no_file = uploader.post(None, problem=problem)
    assert no_file.status_code == 422 and field_of(no_file) == "file"

    no_object = uploader.post(png())
    assert no_object.status_code == 422 and field_of(no_object) == "inspection"

    both = uploader.post(png(), problem=problem, inspection=inspection)
    assert both.status_code == 422 and field_of(both) == "inspection"

    bad_key = uploader.client.post(
        "/api/v1/evidence", {"client_key": "not-a-uuid", "problem": problem.pk}
    )
    assert bad_key.status_code == 422
    assert bad_key.json()["detail"][0]["field"] == "client_key"
    assert not Evidence.objects.exists()


def test_display_name_is_sanitised(as_user, problem):
    response = as_user("county_office").post(
        png(), name="..\\..\\etc\\现场\u202egpj.exe", problem=problem
    )

    assert response.status_code == 201
    evidence = Evidence.objects.get(pk=response.json()["id"])
    assert evidence.original_name == "现场gpj.exe"
    # The stored name is ours: hash and our extension.
    assert evidence.file.name.endswith(f"{evidence.sha256}.jpg")


def test_long_name_is_cut_but_keeps_its_ending(as_user, problem):
    response = as_user("county_office").post(png(), name="现" * 300 + ".png", problem=problem)

    assert response.status_code == 201
    name = response.json()["name"]
    assert len(name) == 200
    assert name.endswith("现.png")
