from __future__ import annotations

from typing import Any

from ducha.reportforms import actions
from ducha.reportforms.models import ReportForm
from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401
from tests.reportforms.collection_world import merged, villages  # noqa: F401
from tests.world import World

ITEMS = [
    {"label": "辖区人口", "unit": "人", "min_value": 0},
    {"label": "返岗人数", "unit": "人", "min_value": 0},
    {"label": "隔离人数", "unit": "人", "min_value": 0},
]


def register(
    world: World, number: int, *, dept: str = "county_dept", items: Any = None, **kwargs: Any
) -> ReportForm:
    """A form of the county registered by the county's office."""
    kwargs.setdefault("name", f"统计表{number}")
    kwargs.setdefault("frequency", "daily")
    kwargs.setdefault("filled_by", 5)
    kwargs.setdefault("minutes", 30)
    return actions.do_register_form(
        acting_user=world.users["county_office"],
        region=world.orgs["county"],
        number=number,
        department=world.orgs[dept],
        items=ITEMS if items is None else items,
        **kwargs,
    )


def decide(world: World, form: ReportForm, decision: str, **kwargs: Any) -> ReportForm:
    return actions.do_decide_form(
        form, acting_user=world.users["county_office"], decision=decision, **kwargs
    )
