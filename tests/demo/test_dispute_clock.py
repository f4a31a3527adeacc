"""The demo's zone: 高新区公园城市局's dispute about the resettlement site has waited on the
office for days; the bulletin issued today must not criticise the unit for that wait."""

from __future__ import annotations

import io

import docx
import pytest

pytestmark = pytest.mark.django_db

ZONE = "510109"
PARKS = "高新区公园城市局"
WAITING = "安置小区项目工地复工后未落实封闭管理"


def latest_bulletin(client) -> dict:
    items = client.get("/api/v1/documents", {"kind": "bulletin", "page_size": 100}).json()["items"]
    latest = max(items, key=lambda item: item["issued_at"])
    return client.get(f"/api/v1/documents/{latest['id']}").json()


def problems(client, **filters) -> list[dict]:
    body = client.get("/api/v1/problems", {"page_size": 200, **filters}).json()
    assert body["count"] <= 200
    return body["items"]


def test_the_parks_bureau_is_not_criticised_for_its_dispute(demo, signed_in):
    client = signed_in("chengdu.office")
    zone = demo.region(ZONE).pk
    (waiting,) = [
        row for row in problems(client, region=zone, state="disputed") if row["title"] == WAITING
    ]
    assert waiting["responsible_org"]["name"] == PARKS
    assert (waiting["light"], waiting["overdue"], waiting["clock_paused"]) == (None, False, True)

    bulletin = latest_bulletin(client)
    data = bulletin["data"]
    overdue_ids = {row["id"] for row in data["overdue_rows"]}
    assert waiting["id"] not in overdue_ids
    assert overdue_ids == {row["id"] for row in problems(client, region=zone, overdue=True)}
    # The parks bureau's line counts as overdue what the list shows overdue for it, and its
    # dispute as a dispute.
    parks = next(unit for unit in data["units"] if unit["name"] == PARKS)
    unit = parks["unit_id"]
    assert parks["overdue"] == len(
        problems(client, region=zone, responsible_org=unit, overdue=True)
    )
    assert parks["disputed"] == len(
        problems(client, region=zone, responsible_org=unit, state="disputed")
    )
    assert (
        data["disputed"]
        == client.get("/api/v1/problems", {"region": zone, "page_size": 1}).json()["stats"][
            "disputed"
        ]
    )
    assert data["disputed"] > 0

    response = client.get(f"/api/v1/documents/{bulletin['id']}/files/docx")
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs
    )
    assert WAITING not in text
    assert f"{data['disputed']}个问题有异议，待督查办裁定" in text


def test_the_zone_dashboard_counts_the_dispute_apart(demo, signed_in):
    client = signed_in("chengdu.office")
    zone = demo.region(ZONE).pk
    totals = client.get("/api/v1/dashboard", {"region": zone}).json()["totals"]
    assert totals["disputed"] == len(problems(client, region=zone, state="disputed")) > 0
    assert (
        totals["red"]
        == client.get("/api/v1/problems", {"region": zone, "overdue": True, "page_size": 1}).json()[
            "count"
        ]
    )
    assert totals["green"] + totals["yellow"] + totals["red"] + totals["disputed"] == totals["open"]
