"""Villages of one name in two towns of the county and one in the neighbouring county."""

from __future__ import annotations

import pytest

from ducha.orgs.models import Org, Site
from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401  (fixtures)


def village(parent: Org, name: str, code: str = "", level: int = 5) -> Org:
    return Org.objects.create(kind="region", name=name, level=level, parent=parent, code=code)


@pytest.fixture
def villages(world):
    o = world.orgs
    o["east_town"] = Org.objects.create(
        kind="region", name="桥东街道", level=4, parent=o["county"], code="130802001"
    )
    o["sibling_town"] = Org.objects.create(
        kind="region", name="双塔山镇", level=4, parent=o["sibling"], code="130803100"
    )
    o["village"] = village(o["town"], "东关村", "130802100201")
    o["east_village"] = village(o["east_town"], "东关村", "130802001202")
    o["new_village"] = village(o["town"], "新东关社区")
    o["sibling_village"] = village(o["sibling_town"], "东关村", "130803100203")
    world.sites["clinic"] = Site.objects.create(
        name="东关村卫生室", kind="hospital", region=o["village"]
    )
    world.sites["sibling_clinic"] = Site.objects.create(
        name="东关村诊所", kind="hospital", region=o["sibling_village"]
    )
    return world
