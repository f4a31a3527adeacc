"""Files made with Pillow, a private MEDIA_ROOT, and posting them as a persona."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import ExifTags, Image

from ducha.fieldwork.models import Inspection
from tests.world import PASSWORD, World

GPS_LATITUDE = (40.0, 58.0, 12.5)
CAMERA = "DuchaCam-9000"


def png(size=(64, 48), color=(200, 30, 30), alpha: int | None = None) -> bytes:
    mode = "RGBA" if alpha is not None else "RGB"
    fill = (*color, alpha) if alpha is not None else color
    out = io.BytesIO()
    Image.new(mode, size, fill).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps(size=(60, 40), orientation: int = 6) -> bytes:
    """A phone photo: GPS position, camera model, and "rotate 90° clockwise" in EXIF."""
    image = Image.new("RGB", size, (30, 120, 200))
    # A marker in the top-left corner shows where the picture's top ends up.
    image.paste((255, 255, 0), (0, 0, 10, 10))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Model] = CAMERA
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (117.0, 56.0, 30.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


def webp(size=(50, 50)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 200, 10)).save(out, "WEBP")
    return out.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


class Uploader:
    def __init__(self, client: Client) -> None:
        self.client = client

    def post(
        self,
        data: bytes | None,
        *,
        key: Any = None,
        name: str = "photo.jpg",
        content_type: str = "image/jpeg",
        **target: Any,
    ):
        body: dict[str, Any] = {"client_key": str(key or uuid.uuid4())}
        if data is not None:
            body["file"] = upload(data, name, content_type)
        body.update({k: (v.pk if hasattr(v, "pk") else v) for k, v in target.items()})
        return self.client.post("/api/v1/evidence", body)

    def get(self, path: str, **params: Any):
        return self.client.get(path, params)


@pytest.fixture
def as_user(world: World):
    """`as_user("county_office")`: a separate signed-in browser session for one persona."""

    def _as(key: str) -> Uploader:
        client = Client(raise_request_exception=False)
        assert client.login(username=world.users[key].username, password=PASSWORD)
        return Uploader(client)

    return _as


@pytest.fixture
def problem(world: World):
    return world.problem()


@pytest.fixture
def inspection(world: World) -> Inspection:
    """A visit of the county team to the checkpoint in 水泉沟镇."""
    visit = Inspection(
        team=world.teams["county_team"],
        method="open",
        visited_at=timezone.now(),
        region=world.orgs["town"],
        recorded_by=world.users["county_team_member"],
    )
    visit.copy_levels_from(world.orgs["town"])
    visit.save()
    visit.sites.add(world.sites["checkpoint"])
    return visit
