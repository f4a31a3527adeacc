"""签收 and 延期 per unit: the units page and the ledger's columns."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.ledger.conftest import EXPORT_HEADINGS, content, local, sheet_rows
from tests.matrix.harness import client_for
from tests.signing.helpers import assigned_hours_ago, fresh

pytestmark = pytest.mark.django_db


def _figures(html: str, unit_pk: int) -> dict[str, str]:
    row = html[html.index(f'data-unit="{unit_pk}"') :]
    row = row[: row.index("</tr>")]
    return dict(re.findall(r'data-figure="([\w-]+)">([^<]*)<', row))


def _story(world, api_as):
    """Two problems of the health bureau signed after 2 and 6 hours, one waiting; one
    extension of two days granted, one refused; one of the market bureau's unsigned."""
    handler, office = api_as("county_handler"), api_as("county_office")
    signed = []
    for hours in (2, 6):
        problem = assigned_hours_ago(world.assigned(), hours)
        assert handler.act(problem, "sign").status_code == 200
        signed.append(problem)
    assigned_hours_ago(world.assigned(title="卫健局未签收"), 1)
    assigned_hours_ago(world.assigned(unit="county_market_dept", title="市场监管局未签收"), 9)
    granted, refused = signed
    for problem, decision in ((granted, "approve"), (refused, "refuse")):
        wanted = fresh(problem).deadline + timedelta(days=2)
        handler.act(problem, "request_extension", deadline=wanted.isoformat(), reason="需采购")
        office.act(problem, "decide_extension", decision=decision, comment="研究决定")
    return granted


def test_the_office_reads_signing_and_extensions_per_unit(world, api_as):
    _story(world, api_as)
    page = client_for(world, "county_office").get("/problems/units/")
    assert page.status_code == 200
    html = page.content.decode()

    health = _figures(html, world.orgs["county_dept"].pk)
    assert health["assigned"] == "3" and health["unsigned"] == "1"
    assert health["signed"] == "2"
    assert health["median-hours"] == "4.0" and health["average-hours"] == "4.0"
    assert (health["granted"], health["days-granted"], health["refused"]) == ("1", "2.0", "1")
    market = _figures(html, world.orgs["county_market_dept"].pk)
    assert (market["unsigned"], market["signed"], market["median-hours"]) == ("1", "0", "—")
    # The longest wait comes first among the unsigned problems listed.
    waiting = html[html.index('data-testid="unsigned"') :]
    assert waiting.index("市场监管局未签收") < waiting.index("卫健局未签收")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("county_leader", 200), ("county_handler", 403), ("county_team_member", 403)],
)
def test_who_reads_the_units_page(world, persona, status):
    assert client_for(world, persona).get("/problems/units/").status_code == status


def test_the_units_page_counts_only_the_readers_scope(world, api_as):
    _story(world, api_as)
    html = client_for(world, "sibling_office").get("/problems/units/").content.decode()
    assert f'data-unit="{world.orgs["county_dept"].pk}"' not in html


def test_the_ledger_says_when_signed_and_what_was_granted(world, api_as):
    granted = _story(world, api_as)
    data = content(client_for(world, "county_office").get("/ledger/export/"))
    rows = {r[0]: dict(zip(EXPORT_HEADINGS, r, strict=True)) for r in sheet_rows(data)[2:]}
    row = rows[granted.pk]
    assert abs(row["签收时间"] - local(fresh(granted).signed_at)) < timedelta(seconds=1)
    assert (row["批准延期次数"], row["延期天数"]) == (1, 2.0)
    unsigned = next(r for r in rows.values() if r["问题"] == "卫健局未签收")
    assert (unsigned["签收时间"], unsigned["批准延期次数"], unsigned["延期天数"]) == (None, 0, None)


def test_the_dashboard_says_what_waits_to_be_signed_for(world, api_as):
    _story(world, api_as)
    office = client_for(world, "county_office").get("/reports/").content.decode()
    summary = office[office.index('data-testid="unsigned-summary"') :]
    summary = summary[: summary.index("</p>")]
    assert "2个问题尚未签收" in summary and 'href="/problems/units/"' in summary
    handler = client_for(world, "county_handler").get("/reports/").content.decode()
    assert 'data-testid="unsigned-summary"' not in handler


def test_the_units_page_counts_the_problems_found_in_the_window_asked_for(world):
    old = world.assigned(title="四十天前发现的问题", found_at=timezone.now() - timedelta(days=40))
    world.assigned(title="昨天发现的问题", found_at=timezone.now() - timedelta(days=1))
    reader = client_for(world, "county_office")
    unit = world.orgs["county_dept"].pk

    def assigned(query: str) -> str:
        return _figures(reader.get(f"/problems/units/{query}").content.decode(), unit)["assigned"]

    assert assigned("") == assigned("?days=90") == assigned("?days=365") == "2"
    assert assigned("?days=30") == assigned("?days=7") == "1"
    # What still waits to be signed for is listed however long ago it was found.
    month = reader.get("/problems/units/?days=30").content.decode()
    assert old.title in month[month.index('data-testid="unsigned"') :]
