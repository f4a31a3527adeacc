"""A visit referred as such (no problem recorded from it): the same rules as a problem's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ducha.fieldwork.models import Inspection
from ducha.referrals.models import Referral
from tests.api.conftest import field_errors
from tests.world import World

pytestmark = pytest.mark.usefixtures("bodies")


def _visit(w: World, team: str = "county_team", region: str = "town") -> Inspection:
    # Written straight to the table: the visit's own recording is field work's to test.
    inspection = Inspection(
        team=w.teams[team],
        method="unannounced",
        visited_at=timezone.now(),
        region=w.orgs[region],
        recorded_by=w.users["county_team_member"],
    )
    inspection.copy_levels_from(w.orgs[region])
    inspection.save()
    return inspection


def test_a_visit_is_referred_from_its_page(world, login):
    visit = _visit(world)
    client = login(world, "county_office")
    page = client.get(f"/field/inspections/{visit.pk}/")
    assert page.status_code == 200
    assert f"/referrals/new/?inspection={visit.pk}".encode() in page.content
    response = client.post(
        f"/referrals/new/?inspection={visit.pk}",
        {"receiver": world.orgs["county_police"].pk, "facts": "暗访时有人冲闯卡口。"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.inspection, referral.problem, referral.town_id) == (
        visit,
        None,
        world.orgs["town"].pk,
    )
    police = login(world, "county_police")
    assert police.get(f"/referrals/{referral.pk}/").status_code == 200
    assert police.get(f"/field/inspections/{visit.pk}/").status_code == 404


def test_a_visit_out_of_sight_is_refused(world, api_as, login):
    visit = _visit(world, "sibling_team", "sibling")
    response = api_as("county_office").post(
        "/referrals",
        {"inspection": visit.pk, "receiver": world.orgs["county_police"].pk, "facts": "线索"},
    )
    assert (response.status_code, field_errors(response)) == (422, {"inspection"})
    both = api_as("county_office").post(
        "/referrals",
        {
            "inspection": _visit(world).pk,
            "problem": world.problem().pk,
            "receiver": world.orgs["county_police"].pk,
            "facts": "线索",
        },
    )
    assert (both.status_code, field_errors(both)) == (422, {"problem"})
    assert (
        login(world, "county_office").get(f"/referrals/new/?inspection={visit.pk}").status_code
        == 404
    )
    assert not Referral.objects.exists()
