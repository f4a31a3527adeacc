"""The attack of issue 9 on the demo: every account with a role opens every document it can,
and reads no row of a problem outside its reach (neiqiu.handler read 41 rows from elsewhere
in Hebei in one problem list)."""

from __future__ import annotations

import pytest
from django.test import Client

from ducha.accounts.models import User
from ducha.demo.cast import PASSWORD
from ducha.orgs.models import Org
from ducha.problems.models import Problem

pytestmark = pytest.mark.django_db

XINGTAI = "130500"  # 邢台市, the city of 内丘县


def _rows(data: dict) -> list[dict]:
    return [*data.get("rows", []), *data.get("overdue_rows", [])]


def _reached(user: User, row: dict) -> bool:
    """A problem the account sees now, or one assigned at issue to its org or below."""
    if Problem.objects.visible_to(user).filter(pk=row["id"]).exists():
        return True
    unit = Org.objects.filter(pk=row.get("unit_id")).first()
    return unit is not None and any(
        unit.path.startswith(membership.org.path) for membership in user.memberships.all()
    )


def _hebei_list(region_code: str) -> dict:
    """The attack's setting: the province issues a list spanning many counties' units."""
    office = Client()
    assert office.login(username="hebei.office", password=PASSWORD)
    region = Org.objects.get(kind="region", code=region_code)
    body = {"kind": "problem_list", "region": region.pk}
    created = office.post("/api/v1/documents", body, content_type="application/json")
    assert created.status_code == 201, created.content
    issued = office.post(f"/api/v1/documents/{created.json()['id']}/issue")
    assert issued.status_code == 200, issued.content
    return issued.json()


def test_no_account_reads_a_row_outside_its_reach(demo):
    hebei_list = _hebei_list(XINGTAI)
    units = {row["unit_id"] for row in hebei_list["data"]["rows"] if row["unit_id"]}
    assert len(units) > 1
    accounts = User.objects.filter(memberships__isnull=False).distinct().order_by("username")
    faults, opened, partial = [], 0, 0
    for user in accounts:
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        listing = client.get("/api/v1/documents", {"page_size": 100, "state": "issued"}).json()
        assert listing["count"] <= 100
        for item in listing["items"]:
            detail = client.get(f"/api/v1/documents/{item['id']}").json()
            opened += 1
            partial += detail["files"][0]["sha256"] == ""
            outside = [row["id"] for row in _rows(detail["data"]) if not _reached(user, row)]
            if outside:
                faults.append(
                    f"{user.username} reads {len(outside)} rows out of reach in {item['reference']}"
                )
    assert opened > 0 and partial > 1
    assert not faults, "\n".join(faults)
