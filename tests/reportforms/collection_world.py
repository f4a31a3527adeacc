"""The places and forms the 一表通 tests share: two villages of 水泉沟镇 with their
committees, a village of the neighbouring county, and the forms of two county departments
merged into one collection (rows made directly: the register's actions are tested apart)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ducha.accounts.models import Membership, User
from ducha.orgs.models import Org
from ducha.reportforms.models import FormItem, ReportForm
from tests.world import PASSWORD, World


def add_village(world: World, key: str, name: str, parent: str, code: str) -> None:
    """A village, its committee (村委会) and the committee's handler `<key>_handler`."""
    village = Org.objects.create(
        kind="region", name=name, level=5, parent=world.orgs[parent], code=code
    )
    committee = Org.objects.create(kind="department", name=f"{name}村委会", parent=village)
    world.orgs[key] = village
    world.orgs[f"{key}_committee"] = committee
    user = User.objects.create_user(f"{key}_handler", password=PASSWORD, name=f"{name}经办人")
    Membership.objects.create(user=user, org=committee, role="unit_handler")
    world.users[f"{key}_handler"] = user


def make_form(
    world: World,
    *,
    number: int,
    name: str,
    department: str,
    items: list[dict[str, Any]],
    decision: str = "keep",
    merged_into: ReportForm | None = None,
    frequency: str = "daily",
    region: str = "county",
) -> ReportForm:
    form = ReportForm(
        region=world.orgs[region],
        number=number,
        name=name,
        department=world.orgs[department],
        frequency=frequency,
        filled_by=5,
        minutes=15,
        decision=decision,
        merged_into=merged_into,
        created_by=world.users["county_office"],
    )
    form.copy_levels_from(world.orgs[region])
    form.save()
    for position, item in enumerate(items, 1):
        FormItem.objects.create(form=form, position=position, **item)
    return form


@pytest.fixture
def villages(world: World) -> World:
    add_village(world, "village", "石门村", "town", "130802100201")
    add_village(world, "village2", "大庙村", "town", "130802100202")
    add_village(world, "sibling_village", "西地村", "sibling", "130803100201")
    return world


@pytest.fixture
def merged(villages: World) -> dict[str, ReportForm]:
    """卫健局's daily form kept as the collection; 市场监管局's merged into it. Both ask
    返乡人数, each with its own bounds."""
    health = make_form(
        villages,
        number=1,
        name="返乡人员健康监测日报表",
        department="county_dept",
        items=[
            {
                "label": "返乡人数",
                "key": "returnees",
                "kind": "integer",
                "unit": "人",
                "min_value": Decimal(0),
            },
            {
                "label": "发热人数",
                "key": "fever",
                "kind": "integer",
                "unit": "人",
                "min_value": Decimal(0),
            },
            {"label": "备注", "key": "note", "kind": "text", "required": False, "max_length": 50},
        ],
    )
    market = make_form(
        villages,
        number=2,
        name="农贸市场排查日报表",
        department="county_market_dept",
        decision="merge",
        merged_into=health,
        items=[
            {"label": "市场是否开放", "key": "market_open", "kind": "yes_no"},
            {
                "label": "返乡人员",
                "key": "returnees",
                "kind": "integer",
                "unit": "人",
                "min_value": Decimal(0),
                "max_value": Decimal(5000),
            },
            {
                "label": "市场状态",
                "key": "market_state",
                "kind": "choice",
                "choices": ["正常", "停业"],
            },
            {"label": "排查日期", "key": "checked_on", "kind": "date", "required": False},
        ],
    )
    return {"health": health, "market": market}


def answers(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "returnees": 12,
        "fever": 1,
        "note": "已全部登记",
        "market_open": True,
        "market_state": "正常",
        "checked_on": "2026-03-01",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}
