"""Enterprises of the ledger made directly (the actions are tested in tests/resumption):
a row with its level columns, its filing day and its spells of work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from django.utils import translation

from ducha.resumption.choices import Category, EnterpriseKind
from ducha.resumption.models import Enterprise, ResumptionSpell
from tests.api.conftest import anonymous, api_as, token_as  # noqa: F401
from tests.world import World


@pytest.fixture(autouse=True)
def _default_language():
    translation.deactivate()
    yield
    translation.deactivate()


def enterprise(
    world: World,
    *,
    registered_on: date,
    region: str = "county",
    category: str = Category.INDUSTRY_ABOVE_SCALE,
    area: str = "",
    filed_on: date | None = None,
    spells: Sequence[tuple[date, date | None]] = (),
    excluded_reason: str = "",
    supervisor: str | None = None,
    name: str = "企业",
) -> Enterprise:
    place = world.orgs[region]
    row = Enterprise(
        kind=EnterpriseKind.PROJECT
        if category == Category.CONSTRUCTION
        else EnterpriseKind.ENTERPRISE,
        name=name,
        category=category,
        region=place,
        area=area,
        supervised=not excluded_reason,
        excluded_reason=excluded_reason,
        supervisor=world.orgs[supervisor] if supervisor else None,
        registered_on=registered_on,
        filed_on=filed_on,
        created_by=world.users["county_office"],
    )
    row.copy_levels_from(place)
    row.save()
    for resumed_on, stopped_on in spells:
        spell = ResumptionSpell(
            enterprise=row,
            resumed_on=resumed_on,
            stopped_on=stopped_on,
            category=row.category,
            area=row.area,
            supervised=row.supervised,
        )
        for level in ("province", "city", "county", "town"):
            setattr(spell, f"{level}_id", getattr(place, f"{level}_id"))
        spell.save()
    return row
