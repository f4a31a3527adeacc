"""The dispute clock is tested through the API and the pages, in zh-Hans."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401


@pytest.fixture(autouse=True)
def _default_language():
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
