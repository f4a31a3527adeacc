"""Hostile input goes through the API and the pages as any user's would."""

from __future__ import annotations

import pytest

from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Issued files go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
