from datetime import timedelta

import pytest
from django.utils import timezone, translation

from ducha.problems import actions as loop
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


@pytest.fixture
def agenda_world(world):
    w = world
    office, leader, handler = (
        w.users[k] for k in ("county_office", "county_leader", "county_handler")
    )
    p = {}
    p["instructed"] = w.assigned(title="批示未落实")
    loop.do_instruct(p["instructed"], acting_user=leader, text="三日内整改到位并报告")
    p["answered"] = w.assigned(title="批示已落实")
    loop.do_instruct(p["answered"], acting_user=leader, text="立即整改")
    loop.do_submit_rectification(p["answered"], acting_user=handler, text="已整改")
    p["disputed"] = w.assigned(title="交办有异议")
    loop.do_dispute(p["disputed"], acting_user=handler, reason="不属于本单位职责")
    p["reported"] = w.problem(title="呈报市级")
    loop.do_report_up(
        p["reported"], acting_user=office, to_org=w.orgs["city_office"], comment="需市级协调"
    )
    p["urged_twice"] = w.assigned(title="两次督办")
    for _ in range(2):
        loop.do_urge(p["urged_twice"], acting_user=office)
    p["urged_once"] = w.assigned(title="一次督办")
    loop.do_urge(p["urged_once"], acting_user=office)
    p["common"] = w.problem(title="共性问题无制度", nature="common")
    p["common_ruled"] = w.problem(title="共性问题有制度", nature="common")
    loop.do_institutionalize(p["common_ruled"], acting_user=office, rule="建立值守轮班制度")
    p["overdue"] = w.problem(title="超期问题", found_at=timezone.now() - timedelta(days=4))
    p["overdue_and_instructed"] = w.problem(
        title="超期且有批示", found_at=timezone.now() - timedelta(days=5)
    )
    loop.do_instruct(p["overdue_and_instructed"], acting_user=leader, text="查明原因")
    p["closed"] = w.problem(title="已销号", found_at=timezone.now() - timedelta(days=5))
    loop.do_close_on_spot(p["closed"], acting_user=office, evidence="当场整改")
    p["sibling"] = w.problem(
        by="sibling_office", region="sibling", found_at=timezone.now() - timedelta(days=4)
    )
    return p
