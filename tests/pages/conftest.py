import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_free_default():
    # Pages must come out in zh-Hans unless the user picks another language.
    translation.deactivate()
    yield
    translation.deactivate()
