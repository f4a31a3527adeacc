"""数据共享: a form served from shared data is produced for a day from the problems,
inspections and enterprise ledger of the jurisdiction, one row per village, nobody filling."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from ducha.fieldwork.models import Inspection
from ducha.problems import actions as loop
from ducha.reportforms import shared
from ducha.resumption.models import Enterprise, EnterpriseLedger, ResumptionSpell
from tests.reportforms.collection_world import add_village, make_form

FIGURES = [
    "problems_found",
    "problems_rectified",
    "problems_open",
    "inspections",
    "enterprises",
    "enterprises_filed",
    "enterprises_resumed",
    "staff_screened",
]


def _enterprise(world, name, region, *, days_ago, filed=None, supervised=True, **extra):
    today = timezone.localdate()
    enterprise = Enterprise(
        kind="enterprise",
        name=name,
        category="industry_other",
        region=world.orgs[region],
        registered_on=today - timedelta(days=days_ago),
        filed_on=None if filed is None else today - timedelta(days=filed),
        supervised=supervised,
        excluded_reason="" if supervised else "省属项目",
        created_by=world.users["county_office"],
        **extra,
    )
    enterprise.copy_levels_from(world.orgs[region])
    enterprise.save()
    return enterprise


def _spell(enterprise, resumed, stopped=None):
    today = timezone.localdate()
    spell = ResumptionSpell(
        enterprise=enterprise,
        resumed_on=today - timedelta(days=resumed),
        stopped_on=None if stopped is None else today - timedelta(days=stopped),
        category=enterprise.category,
        supervised=enterprise.supervised,
    )
    for level in ("province", "city", "county", "town"):
        setattr(spell, f"{level}_id", getattr(enterprise, f"{level}_id"))
    spell.save()


def _ledger(world, enterprise, *, days_ago, screened):
    EnterpriseLedger.objects.create(
        enterprise=enterprise,
        recorded_at=timezone.now() - timedelta(days=days_ago),
        recorded_by=world.users["county_office"],
        staff_total=100,
        staff_screened=screened,
        responsible_person="王经理",
    )


@pytest.fixture
def platform(villages):
    """What the platform holds about 石门村 and 大庙村, and about the neighbour's village."""
    world = villages
    now = timezone.now()
    for region, days in [("village", 5), ("village", 3), ("village2", 2), ("sibling_village", 2)]:
        by = "sibling_office" if region.startswith("sibling") else "county_office"
        world.problem(by=by, region=region, found_at=now - timedelta(days=days))
    closed = world.problem(region="village", found_at=now - timedelta(days=4))
    loop.do_close_on_spot(closed, acting_user=world.users["county_office"], evidence="已当场整改")
    inspection = Inspection(
        team=world.teams["county_team"],
        method="open",
        visited_at=now - timedelta(days=2),
        region=world.orgs["village"],
        recorded_by=world.users["county_team_member"],
    )
    inspection.copy_levels_from(world.orgs["village"])
    inspection.save()
    working = _enterprise(world, "石门水泥厂", "village", days_ago=20, filed=15)
    _spell(working, resumed=10)
    _ledger(world, working, days_ago=9, screened=40)
    _ledger(world, working, days_ago=1, screened=90)
    stopped = _enterprise(world, "石门砖厂", "village", days_ago=20, filed=12)
    _spell(stopped, resumed=11, stopped=6)
    _ledger(world, stopped, days_ago=8, screened=25)
    _enterprise(world, "石门物流", "village", days_ago=3)
    _enterprise(world, "高速项目", "village", days_ago=20, filed=10, supervised=False)
    _enterprise(world, "大庙食品厂", "village2", days_ago=20, filed=9)
    form = make_form(
        world,
        number=3,
        name="疫情防控与复工情况统计表",
        department="county_dept",
        decision="shared",
        items=[
            *(
                {"label": key, "key": key, "kind": "integer", "shared_figure": key}
                for key in FIGURES
            ),
            {"label": "备注", "key": "note", "kind": "text", "required": False},
        ],
    )
    return form


def test_a_shared_form_is_produced_for_a_day_from_the_platform(platform, api_as):
    answered = api_as("county_handler").get(f"/report-forms/{platform.pk}/shared")
    assert answered.status_code == 200, answered.content
    view = answered.json()
    assert view["title"] == "疫情防控与复工情况统计表"
    assert [c["label"] for c in view["columns"]] == [*FIGURES, "备注"]
    rows = {row["region"]["name"]: row["values"] for row in view["rows"]}
    # One row per village of the county; the neighbour's village is not one of them.
    assert set(rows) == {"石门村", "大庙村"}
    assert rows["石门村"] == [3, 1, 2, 1, 3, 2, 1, 115, None]
    assert rows["大庙村"] == [1, 0, 1, 0, 1, 1, 0, 0, None]
    # As of a week ago: no problem found yet, the stopped factory still at work, and the
    # ledger as it stood then.
    day = (timezone.localdate() - timedelta(days=7)).isoformat()
    earlier = api_as("county_office").get(f"/report-forms/{platform.pk}/shared", {"day": day})
    rows = {row["region"]["name"]: row["values"] for row in earlier.json()["rows"]}
    assert rows["石门村"] == [0, 0, 0, 0, 2, 2, 2, 65, None]
    assert rows["大庙村"] == [0, 0, 0, 0, 1, 1, 0, 0, None]
    # Four days ago: two problems found, neither closed yet.
    day = (timezone.localdate() - timedelta(days=4)).isoformat()
    earlier = api_as("county_office").get(f"/report-forms/{platform.pk}/shared", {"day": day})
    rows = {row["region"]["name"]: row["values"] for row in earlier.json()["rows"]}
    assert rows["石门村"][:3] == [2, 0, 2]


def test_the_figures_read_alike_for_one_region(platform, world):
    today = timezone.localdate()
    assert shared.value(world.orgs["village"], "enterprises_resumed", today) == 1
    assert shared.value(world.orgs["town"], "problems_found", today) == 4
    assert shared.value(world.orgs["county"], "staff_screened", today) == 115
    assert shared.value(world.orgs["sibling"], "problems_found", today) == 1


def test_the_shared_page_and_sheet_and_who_reads_them(platform, world, login, api_as):
    client = login(world, "county_handler")
    page = client.get(f"/forms/{platform.pk}/shared/")
    assert page.status_code == 200
    assert "石门村" in page.content.decode()
    sheet = client.get(f"/forms/{platform.pk}/shared.xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "疫情防控与复工情况统计表"
    assert list(rows[1][2:]) == [*FIGURES, "备注"]
    assert {row[0] for row in rows[2:]} == {"石门村", "大庙村"}
    # Not filled, so no department view; the other departments and the neighbours read nothing.
    assert client.get(f"/forms/{platform.pk}/view/").status_code == 404
    assert api_as("county_handler").get(f"/report-forms/{platform.pk}/view").status_code == 404
    assert api_as("market_handler").get(f"/report-forms/{platform.pk}/shared").status_code == 404
    assert api_as("sibling_office").get(f"/report-forms/{platform.pk}/shared").status_code == 404
    assert api_as("city_leader").get(f"/report-forms/{platform.pk}/shared").status_code == 200
    assert api_as("village_handler").get(f"/report-forms/{platform.pk}/shared").status_code == 404


def test_the_queries_do_not_grow_with_the_villages(platform, world, api_as):
    api = api_as("county_office")
    url = f"/report-forms/{platform.pk}/shared"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url).status_code == 200
        return len(captured)

    few = queries()
    for number in range(10):
        add_village(world, f"more{number}", f"新村{number}", "town", f"13080210030{number}")
        world.problem(region=f"more{number}", found_at=timezone.now() - timedelta(days=1))
    assert queries() == few
    assert len(api.get(url).json()["rows"]) == 12
