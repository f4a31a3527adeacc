from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.matters import actions
from ducha.matters.models import MatterBatch
from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401
from tests.world import World


def batch_from_city(world: World, *offices: str, count: int = 2) -> MatterBatch:
    """A batch the city office hands to county offices (default: 双桥区 and 双滦区)."""
    today = timezone.localdate()
    return actions.do_hand_down_batch(
        acting_user=world.users["city_office"],
        issuing_office=world.orgs["city_office"],
        offices=[world.orgs[key] for key in (offices or ("county_office", "sibling_office"))],
        title="市视频会议部署事项",
        source_kind="meeting",
        issued_on=today,
        matters=[
            actions.MatterInput(title=f"事项{n}", deadline=today + timedelta(days=10 + n))
            for n in range(1, count + 1)
        ],
    )


@pytest.fixture
def batch(world: World) -> MatterBatch:
    return batch_from_city(world)
