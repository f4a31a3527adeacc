"""Documents are tested through the API and the pages, with their files in a private media
directory, and in zh-Hans unless a test picks another language."""

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
    """Issued files go to a directory of the test's own."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root
