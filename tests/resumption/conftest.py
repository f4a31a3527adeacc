from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ducha.resumption import actions
from ducha.resumption.models import Enterprise
from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401
from tests.world import World


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def register(world: World, by: str = "county_office", **kwargs: Any) -> Enterprise:
    """An industrial enterprise above designated size in the town, supervised by 卫健局,
    registered ten days ago."""
    kwargs.setdefault("kind", "enterprise")
    kwargs.setdefault("name", "承德兴隆口罩厂")
    kwargs.setdefault("category", "industry_above_scale")
    kwargs.setdefault("region", world.orgs["town"])
    kwargs.setdefault("registered_on", days_ago(10))
    kwargs.setdefault("supervisor", world.orgs["county_dept"])
    kwargs.setdefault("area", "南区")
    return actions.do_register_enterprise(acting_user=world.users[by], **kwargs)


def rule(world: World, *, filing_first: bool, problem_when_unfiled: bool = False) -> None:
    actions.do_set_resumption_rule(
        world.orgs["county"],
        acting_user=world.users["county_office"],
        filing_first=filing_first,
        problem_when_unfiled=problem_when_unfiled,
    )
