"""Values written once and sent as each side expects them: a moment as a page's
datetime-local field or as the API's ISO 8601 with its offset, a file as a fresh upload."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image


@dataclass(frozen=True)
class When:
    """A moment `days` from now, to the minute (a page's field has no seconds)."""

    days: float

    def moment(self) -> datetime:
        now = timezone.now().replace(second=0, microsecond=0)
        return now + timedelta(days=self.days)


def for_page(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: timezone.localtime(value.moment()).strftime("%Y-%m-%dT%H:%M")
        if isinstance(value, When)
        else value
        for key, value in data.items()
    }


def for_api(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.moment().isoformat() if isinstance(value, When) else value
        for key, value in data.items()
    }


def photo(name: str = "photo.png", color: str = "green") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (24, 16), color).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def not_a_photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>")
