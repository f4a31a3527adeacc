"""Bounded work per upload: pixel bombs, a rate limit per user, PDFs that would act."""

from __future__ import annotations

import io
import struct
import uuid
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ducha.fieldwork.models import Evidence
from tests.fieldwork.evidence.conftest import PDF, png, stored_files

pytestmark = [
    pytest.mark.usefixtures("media"),
    # Pillow warns before our own check refuses the file; the refusal is what is tested.
    pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
]

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pixel_bomb(width: int, height: int) -> bytes:
    """A PNG a few hundred bytes long whose header claims width × height pixels."""
    small = io.BytesIO()
    Image.new("1", (8, 8)).save(small, "PNG")
    data = small.getvalue()
    ihdr = struct.pack(">II", width, height) + data[24:29]  # depth, colour, methods as saved
    return data[:8] + _chunk(b"IHDR", ihdr) + data[33:]


def pdf(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def object_stream(objects: bytes, extra: bytes = b"/Filter/FlateDecode") -> bytes:
    packed = zlib.compress(objects)
    return (
        b"5 0 obj<</Type/ObjStm/N 1/First 4"
        + extra
        + b"/Length %d>>stream\n" % len(packed)
        + packed
        + b"\nendstream endobj"
    )


def post(uploader, data: bytes, **target):
    return uploader.client.post(
        "/api/v1/evidence",
        {
            "client_key": uuid.uuid4(),
            "file": SimpleUploadedFile("f.bin", data),
            **{k: v.pk for k, v in target.items()},
        },
        **EN,
    )


def test_a_photo_made_by_pillow_over_the_limit_is_refused_naming_it(as_user, problem, media):
    """6300 × 6300 pixels (40 MP) in 5 KiB: refused from its header, not decoded."""
    out = io.BytesIO()
    Image.new("1", (6300, 6300)).save(out, "PNG")
    assert len(out.getvalue()) < 64 * 1024
    response = post(as_user("county_office"), out.getvalue(), problem=problem)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "The photo has too many pixels: the limit is 16 megapixels.",
        "field": "file",
    }
    assert not Evidence.objects.exists() and not stored_files(media)


@pytest.mark.parametrize(("width", "height"), [(4001, 4000), (6300, 6300), (65535, 65535)])
def test_headers_claiming_too_many_pixels_are_refused(as_user, problem, width, height):
    response = post(as_user("county_office"), pixel_bomb(width, height), problem=problem)
    assert response.status_code == 422
    assert "16 megapixels" in response.json()["detail"]


def test_the_pixel_limit_is_a_setting(as_user, problem, settings):
    settings.DUCHA_IMAGE_MAX_PIXELS = 1000
    response = post(as_user("county_office"), png((40, 30)), problem=problem)
    assert response.status_code == 422
    assert "0.001 megapixels" in response.json()["detail"]
    settings.DUCHA_IMAGE_MAX_PIXELS = 1200
    assert post(as_user("county_office"), png((40, 30)), problem=problem).status_code == 201


def test_uploads_beyond_the_rate_limit_answer_429_with_retry_after(as_user, problem, settings):
    settings.DUCHA_EVIDENCE_UPLOADS_PER_MINUTE = 2
    office = as_user("county_office")
    assert post(office, png(), problem=problem).status_code == 201
    # A refused file counts too: checking it was the cost.
    assert post(office, b"not a photo", problem=problem).status_code == 422
    third = post(office, png(), problem=problem)
    assert third.status_code == 429
    assert 1 <= int(third["Retry-After"]) <= 61
    assert third.json()["field"] == "file"
    assert "at most 2 a minute" in third.json()["detail"]
    assert Evidence.objects.count() == 1
    # Another user has a count of their own.
    assert post(as_user("county_team_member"), png(), problem=problem).status_code == 201


def test_the_rate_limit_is_explained_on_the_problem_page(world, login, settings):
    settings.DUCHA_EVIDENCE_UPLOADS_PER_MINUTE = 1
    problem = world.assigned()
    client = login(world, "county_handler")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    photos = [SimpleUploadedFile(f"{n}.png", png(), content_type="image/png") for n in "ab"]
    response = client.post(
        f"/problems/{problem.pk}/act/submit_rectification/",
        {"text": "已设专人登记", "photos": photos},
    )
    # The status the API gives the same refusal; the page says why on the photos field.
    assert response.status_code == 429
    assert "Too many files: at most 1 a minute." in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n"
        b"3 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj",
        b"1 0 obj<</Type/Catalog/Names<</JavaScript 4 0 R>>>>endobj",
        # "#61" spells "a": the same name to a PDF reader.
        b"1 0 obj<</Type/Catalog/OpenAction<</S/J#61vaScript/JS(x)>>>>endobj",
        b"1 0 obj<</Type/Catalog/AA<</O 3 0 R>>>>endobj",
        b"3 0 obj<</S/Launch/F(cmd.exe)>>endobj",
        b"1 0 obj<</Type/Catalog/Names<</EmbeddedFiles 6 0 R>>>>endobj",
        object_stream(b"3 0 <</S/JavaScript/JS(app.alert(1))>>"),
        # An object stream we cannot unpack cannot be inspected.
        object_stream(b"3 0 <</Type/Font>>", extra=b"/Filter/ASCIIHexDecode"),
        b"5 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode>>stream\nnot zlib\nendstream",
        # An escaped /ObjStm would hide its stream from the scan.
        object_stream(b"3 0 <</Type/Font>>").replace(b"/ObjStm", b"/Obj#53tm"),
        # More object streams than any real file has: not inspected one by one.
        b"\n".join(object_stream(b"3 0 <</A 1>>") for _ in range(1001)),
    ],
)
def test_pdfs_with_active_content_are_refused(as_user, problem, media, body):
    response = post(as_user("county_office"), pdf(body), problem=problem)
    assert response.status_code == 422
    assert response.json()["field"] == "file"
    assert "scripts, actions or embedded files" in response.json()["detail"]
    assert not Evidence.objects.exists() and not stored_files(media)


@pytest.mark.parametrize(
    "data",
    [
        PDF,
        pdf(b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" + object_stream(b"3 0 <</A 1>>")),
        # Names that merely begin like active ones.
        pdf(b"1 0 obj<</Type/Catalog/JSX 1/AAPL 2/Launcher 3>>endobj"),
    ],
)
def test_plain_pdfs_are_still_accepted(as_user, problem, data):
    response = post(as_user("county_office"), data, problem=problem)
    assert response.status_code == 201, response.content


def test_macro_workbooks_are_not_evidence(as_user, problem):
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
        book.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    response = post(as_user("county_office"), package.getvalue(), problem=problem)
    assert response.status_code == 422
    assert response.json()["field"] == "file"
    assert not Evidence.objects.exists()


def test_photos_are_decoded_under_the_process_lock(as_user, problem, monkeypatch):
    """One decode at a time per process: the redraw runs while the lock is held."""
    from ducha.fieldwork import evidence
    from ducha.fieldwork.evidence_checks import DECODING

    seen = []
    real = evidence._prepare_image

    def watched(data: bytes):
        seen.append(DECODING.locked())
        return real(data)

    monkeypatch.setattr(evidence, "_prepare_image", watched)
    assert post(as_user("county_office"), png(), problem=problem).status_code == 201
    assert seen == [True]
    assert not DECODING.locked()
