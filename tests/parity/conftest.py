import pytest
from django.utils import translation

from tests.api.conftest import api_as  # noqa: F401


@pytest.fixture(autouse=True)
def _default_language():
    # Both sides speak zh-Hans unless a request asks otherwise.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def media(settings, tmp_path):
    """Photos go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
