"""Serving evidence: only to those who see its object, always inert, originals as downloads."""

from __future__ import annotations

import pytest

from ducha.fieldwork.models import Evidence
from tests.fieldwork.evidence.conftest import PDF, png

pytestmark = pytest.mark.usefixtures("media")

SANDBOX = "default-src 'none'; sandbox"


@pytest.fixture
def photo(as_user, problem) -> Evidence:
    response = as_user("county_office").post(png(), name="现场照片.png", problem=problem)
    assert response.status_code == 201
    return Evidence.objects.get(pk=response.json()["id"])


@pytest.fixture
def document(as_user, problem) -> Evidence:
    response = as_user("county_office").post(
        PDF, name="整改报告.pdf", content_type="application/pdf", problem=problem
    )
    assert response.status_code == 201
    return Evidence.objects.get(pk=response.json()["id"])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_inert(response, content_type: str) -> None:
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["Cache-Control"] == "private"


@pytest.mark.parametrize("url", ["/field/evidence/{}/", "/api/v1/evidence/{}/file"])
def test_photo_comes_as_a_download(as_user, photo, url):
    response = as_user("county_office").get(url.format(photo.pk))

    assert response.status_code == 200
    assert_inert(response, "image/jpeg")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # The display name with the extension of what is stored (a JPEG now).
    assert "filename*=utf-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.jpg" in disposition
    with photo.file.open("rb") as handle:
        assert body(response) == handle.read()


@pytest.mark.parametrize("url", ["/field/evidence/{}/", "/api/v1/evidence/{}/file"])
def test_pdf_is_never_inline(as_user, document, url):
    response = as_user("city_office").get(url.format(document.pk))

    assert response.status_code == 200
    assert_inert(response, "application/pdf")
    assert response["Content-Disposition"].startswith("attachment;")
    assert body(response) == PDF


def test_thumbnail_is_shown_inline(as_user, photo):
    response = as_user("county_leader").get(f"/field/evidence/{photo.pk}/thumb/")

    assert response.status_code == 200
    assert_inert(response, "image/jpeg")
    assert response["Content-Disposition"].startswith("inline;")
    with photo.thumbnail.open("rb") as handle:
        assert body(response) == handle.read()


def test_document_has_no_thumbnail(as_user, document):
    assert as_user("county_office").get(f"/field/evidence/{document.pk}/thumb/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/field/evidence/{}/",
        "/field/evidence/{}/thumb/",
        "/api/v1/evidence/{}/file",
        "/api/v1/evidence/{}",
    ],
)
@pytest.mark.parametrize("persona", ["sibling_office", "other_office", "town_office", "outsider"])
def test_out_of_scope_gets_404(as_user, photo, url, persona):
    response = as_user(persona).get(url.format(photo.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/field/evidence/{}/", "/api/v1/evidence/{}/file"])
def test_missing_evidence_is_404(as_user, url):
    assert as_user("county_office").get(url.format(999999)).status_code == 404


def test_anonymous_is_sent_to_login(client, photo):
    response = client.get(f"/field/evidence/{photo.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(f"/api/v1/evidence/{photo.pk}/file").status_code == 401


def test_download_only_by_get(as_user, photo):
    assert as_user("county_office").client.post(f"/field/evidence/{photo.pk}/").status_code == 405


def test_list_is_scoped_to_the_object(as_user, world, problem, photo, document):
    other = world.problem(title="值班表未公示")
    as_user("county_office").post(png(), problem=other)

    listed = as_user("city_office").get("/api/v1/evidence", problem=problem.pk)

    assert listed.status_code == 200
    items = listed.json()["items"]
    assert [item["id"] for item in items] == [photo.pk, document.pk]
    assert listed.json()["count"] == 2
    assert {item["kind"] for item in items} == {"image", "document"}


def test_list_of_an_invisible_object_is_404(as_user, problem, photo):
    assert as_user("sibling_office").get("/api/v1/evidence", problem=problem.pk).status_code == 404


def test_list_needs_exactly_one_object(as_user, problem, inspection):
    uploader = as_user("county_office")
    assert uploader.get("/api/v1/evidence").status_code == 422
    both = uploader.get("/api/v1/evidence", problem=problem.pk, inspection=inspection.pk)
    assert both.status_code == 422


def test_list_of_a_visit(as_user, inspection):
    uploaded = as_user("county_team_member").post(png(), inspection=inspection).json()

    listed = as_user("county_office").get("/api/v1/evidence", inspection=inspection.pk)

    assert [item["id"] for item in listed.json()["items"]] == [uploaded["id"]]
    assert (
        as_user("sibling_office").get("/api/v1/evidence", inspection=inspection.pk).status_code
        == 404
    )
    assert as_user("sibling_office").get(f"/field/evidence/{uploaded['id']}/").status_code == 404
