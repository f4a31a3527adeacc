import pytest

from tests.api.conftest import api_as  # noqa: F401  (the fixture, for this directory's tests)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Ledger imports keep their files; never in the working tree.
    settings.MEDIA_ROOT = tmp_path / "media"
