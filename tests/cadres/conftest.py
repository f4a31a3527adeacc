from __future__ import annotations

import pytest

from tests.api.conftest import api_as  # noqa: F401
from tests.cadres.personas import add_organisation
from tests.world import World


@pytest.fixture
def people(world: World) -> World:
    return add_organisation(world)
