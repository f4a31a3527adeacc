"""A county's ledger whose figures are known by hand, as of ten days after it began."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from ducha.resumption.choices import Category
from ducha.resumption.models import Enterprise
from tests.resumption_figures.conftest import enterprise
from tests.world import World


@dataclass
class Ledger:
    start: date
    filed_late: Enterprise  # above-scale, resumes on start+5
    stopped: Enterprise  # above-scale, in the town, works start+3 … start+10
    airport: Enterprise  # excluded
    sibling: Enterprise

    def day(self, days: int) -> date:
        return self.start + timedelta(days=days)


def county_ledger(world: World) -> Ledger:
    start = timezone.localdate() - timedelta(days=60)

    def day(days: int) -> date:
        return start + timedelta(days=days)

    above = Category.INDUSTRY_ABOVE_SCALE
    filed_late = enterprise(
        world, name="南区电子厂", area="南区", filed_on=day(1), registered_on=start,
        spells=[(day(5), None)],
    )  # fmt: skip
    stopped = enterprise(
        world, name="水泉沟机械厂", region="town", area="南区", filed_on=day(2),
        registered_on=start, spells=[(day(3), day(10))],
    )  # fmt: skip
    enterprise(world, name="东区化工厂", area="东区", registered_on=start)
    enterprise(
        world, name="东区小作坊", category=Category.INDUSTRY_OTHER, area="东区",
        filed_on=day(1), registered_on=start, spells=[(day(2), day(4)), (day(8), None)],
    )  # fmt: skip
    enterprise(
        world, name="城区道路工程", category=Category.CONSTRUCTION, filed_on=day(1),
        registered_on=start, spells=[(day(2), None)],
    )  # fmt: skip
    airport = enterprise(
        world, name="机场改扩建工程", category=Category.CONSTRUCTION, filed_on=day(1),
        registered_on=start, spells=[(day(2), None)], excluded_reason="由省级部门监管",
    )  # fmt: skip
    # Registered after the day counted: not yet in the figures.
    enterprise(world, name="新设工厂", category=above, registered_on=day(20))
    sibling = enterprise(
        world, name="双滦区钢铁厂", region="sibling", filed_on=day(1), registered_on=start,
        spells=[(day(2), None)],
    )  # fmt: skip
    return Ledger(start, filed_late, stopped, airport, sibling)
