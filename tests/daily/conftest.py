import pytest
from django.utils import translation

from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401
from tests.browser.conftest import browser  # noqa: F401
from tests.daily.scene import Scene, busy_day


@pytest.fixture(autouse=True)
def _default_language():
    # Pages and drafts come out in zh-Hans unless the user picks another language.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def scene(world) -> Scene:
    return busy_day(world)
