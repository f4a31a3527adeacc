"""The office's forms that name a body of its jurisdiction draw pickers: a document's issuer
and recipient, a policy's issuing body, the referrals' receiver filter, the offices a batch
goes to and the units it is broken down to, a sweep's units and region. Each still takes a
picked id and refuses one out of scope, on its field."""

from __future__ import annotations

import re

import pytest

from ducha.documents.models import Document
from ducha.matters.models import MatterBatch, MatterHandover, MatterProblem
from ducha.orgs.models import Org
from ducha.policies.models import Policy
from ducha.problems.models import FocusArea
from ducha.sweeps.models import SelfCheck
from tests.matters.conftest import batch_from_city
from tests.matters.test_pages import _hand_down_form
from tests.pickers.conftest import village
from tests.pickers.helpers import drawn, errors, offered, page_text, picker
from tests.policies.conftest import kind_of_three
from tests.policies.test_pages import _form as policy_form
from tests.sweeps.conftest import launch_body, origin

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/lookup/units"
OPEN_TO = ["department", "enterprise", "region", "command"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Letters are issued with their files.
    settings.MEDIA_ROOT = tmp_path / "media"


def org(world, key: str, kind: str, name: str, parent: str) -> Org:
    world.orgs[key] = Org.objects.create(kind=kind, name=name, parent=world.orgs[parent])
    return world.orgs[key]


def test_a_letters_issuer_and_recipient_are_picked(world, login):
    hidden = org(world, "ninth", "department", "双桥区第九局", "county")
    world.assigned(unit="ninth")
    client = login(world, "county_office")
    page = client.get("/documents/new/?kind=rectification_letter")
    county = [str(world.orgs["county"].pk)]
    assert picker(page, "issuer") == (UNITS, {"kind": ["office"], "under": county})
    assert drawn(page, "issuer") == [str(world.orgs["county_office"].pk)]
    assert picker(page, "recipient") == (UNITS, {})
    assert hidden.name not in page_text(page)
    assert offered(client, page, "recipient", "第九") == [hidden.pk]
    assert offered(client, page, "issuer", "督查办") == [
        world.orgs["county_office"].pk,
        world.orgs["town_office"].pk,
    ]
    letter = {"kind": "rectification_letter", "issuer": world.orgs["county_office"].pk}
    for field, wrong in (
        ("recipient", world.orgs["sibling_dept"].pk),
        # Offered by the lookup, but it has no open problem: the form still decides.
        ("recipient", world.orgs["county_market_dept"].pk),
    ):
        refused = client.post(f"/documents/new/?kind={letter['kind']}", {**letter, field: wrong})
        assert refused.status_code == 422 and errors(refused, field), wrong
    away = {**letter, "issuer": world.orgs["sibling_office"].pk, "recipient": hidden.pk}
    assert errors(client.post(f"/documents/new/?kind={letter['kind']}", away), "issuer")
    made = client.post(f"/documents/new/?kind={letter['kind']}", {**letter, "recipient": hidden.pk})
    assert made.status_code == 302
    assert Document.objects.get().recipient == hidden


def test_a_prompt_letter_goes_to_a_unit_or_a_lower_office(world, login):
    client = login(world, "county_office")
    page = client.get("/documents/new/?kind=prompt_letter")
    assert picker(page, "recipient") == (
        UNITS,
        {"kind": [*OPEN_TO, "office"]},
    )
    assert drawn(page, "recipient") == [""]
    letter = {"kind": "prompt_letter", "issuer": world.orgs["county_office"].pk}
    refused = client.post(
        f"/documents/new/?kind={letter['kind']}",
        {**letter, "recipient": world.orgs["sibling_office"].pk},
    )
    assert refused.status_code == 422 and errors(refused, "recipient")
    made = client.post(
        f"/documents/new/?kind={letter['kind']}",
        {**letter, "recipient": world.orgs["town_office"].pk},
    )
    assert made.status_code == 302
    assert Document.objects.get().recipient == world.orgs["town_office"]


def test_a_policys_issuing_body_is_picked_in_the_hqs_jurisdiction(world, login):
    problems = kind_of_three(world)
    far = village(world.orgs["town"], "第九村")
    client = login(world, "city_command")
    url = f"/policies/kinds/{problems[0].focus_area_id}/"
    page = client.get(url)
    city = [str(world.orgs["city"].pk)]
    assert picker(page, "issuing_body") == (
        UNITS,
        {"kind": ["command", "office", "region"], "under": city},
    )
    # The HQ itself is the usual issuer: drawn, and nothing else of the city.
    assert drawn(page, "issuing_body") == [str(world.orgs["city_command"].pk)]
    assert far.name not in page_text(page)
    assert offered(client, page, "issuing_body", "第九") == [far.pk]
    away = policy_form(world, problems[:2], issuing_body=world.orgs["other_office"].pk)
    refused = client.post(url, away)
    assert refused.status_code in (400, 422) and errors(refused, "issuing_body")
    made = client.post(url, policy_form(world, problems[:2], issuing_body=far.pk))
    assert made.status_code == 302
    assert Policy.objects.get().issuing_body == far


def test_the_referrals_are_filtered_by_a_picked_receiver(world, login):
    police = org(world, "police", "police", "双桥区公安分局", "county")
    org(world, "sibling_police", "police", "双滦区公安分局", "sibling")
    client = login(world, "county_office")
    page = client.get("/referrals/")
    assert picker(page, "receiver") == (UNITS, {"kind": ["discipline", "police"]})
    assert drawn(page, "receiver") == [""]
    assert police.name not in page_text(page)
    assert offered(client, page, "receiver", "公安") == [police.pk]
    # A body that received nothing yet is a valid choice: the list is just empty.
    chosen = client.get("/referrals/", {"receiver": police.pk})
    assert chosen.status_code == 200 and not errors(chosen, "receiver")
    assert drawn(chosen, "receiver") == ["", str(police.pk)]
    away = client.get("/referrals/", {"receiver": world.orgs["sibling_police"].pk})
    assert errors(away, "receiver")


def test_a_batch_goes_to_picked_lower_offices(world, login):
    world.orgs["ninth_town"] = village(world.orgs["county"], "第九镇", level=4)
    office = org(world, "ninth_office", "office", "第九镇督查办", "ninth_town")
    client = login(world, "city_office")
    page = client.get("/matters/new/")
    city = [str(world.orgs["city"].pk)]
    assert picker(page, "offices") == (UNITS, {"kind": ["office"], "under": city})
    assert "multiple" in re.search(r'<select name="offices"[^>]*>', page_text(page)).group(0)
    assert drawn(page, "offices") == []
    assert office.name not in page_text(page)
    assert offered(client, page, "offices", "第九") == [office.pk]
    away = _hand_down_form(world, ["county_office", "other_office"])
    refused = client.post("/matters/new/", away)
    assert refused.status_code == 400 and errors(refused, "offices")
    # Drawn back as chosen: the two ids sent, only those the field takes.
    assert drawn(refused, "offices") == [str(world.orgs["county_office"].pk)]
    made = client.post("/matters/new/", _hand_down_form(world, ["county_office", "ninth_office"]))
    assert made.status_code == 302
    handed = MatterHandover.objects.values_list("office", flat=True).distinct()
    assert set(handed) == {world.orgs["county_office"].pk, office.pk}


def test_a_matter_is_broken_down_to_picked_units_near_the_office(world, login):
    batch_from_city(world, "county_office", count=1)
    hidden = org(world, "ninth", "department", "双桥区第九局", "county")
    client = login(world, "county_office")
    handover = MatterHandover.objects.get()
    assert client.post(f"/matters/handovers/{handover.pk}/sign/").status_code == 302
    url = f"/matters/handovers/{handover.pk}/break_down/"
    page = client.get(url)
    assert picker(page, "units") == (UNITS, {"near": [str(world.orgs["county"].pk)]})
    assert hidden.name not in page_text(page)
    assert offered(client, page, "units", "第九") == [hidden.pk]
    focus = FocusArea.objects.get(code="screening").pk
    away = client.post(url, {"units": [world.orgs["sibling_dept"].pk], "focus_area": focus})
    assert away.status_code in (400, 422) and errors(away, "units")
    made = client.post(
        url, {"units": [hidden.pk, world.orgs["county_dept"].pk], "focus_area": focus}
    )
    assert made.status_code == 302
    units = MatterProblem.objects.values_list("problem__responsible_org", flat=True)
    assert set(units) == {hidden.pk, world.orgs["county_dept"].pk}
    assert MatterBatch.objects.count() == 1


def test_a_sweep_picks_its_units_and_region(world, login):
    problem = origin(world)
    hidden = org(world, "ninth", "department", "双桥区第九局", "county")
    far = village(world.orgs["town"], "第九村")
    client = login(world, "county_office")
    url = f"/sweeps/new/{problem.pk}/"
    page = client.get(url)
    county = [str(world.orgs["county"].pk)]
    assert picker(page, "units") == (UNITS, {"under": county})
    assert picker(page, "region") == ("/api/v1/lookup/regions", {"under": county})
    assert drawn(page, "units") == [] and drawn(page, "region") == [""]
    assert hidden.name not in page_text(page) and far.name not in page_text(page)
    assert offered(client, page, "units", "第九") == [far.pk, hidden.pk]
    assert offered(client, page, "region", "第九") == [far.pk]
    body = {k: v for k, v in launch_body(world, problem).items() if k != "problem"}
    away = client.post(url, {**body, "units": [world.orgs["sibling_dept"].pk]})
    assert away.status_code == 422 and errors(away, "units")
    elsewhere = client.post(url, {**body, "region": world.orgs["sibling"].pk})
    assert elsewhere.status_code == 422 and errors(elsewhere, "region")
    made = client.post(url, {**body, "units": [hidden.pk], "region": world.orgs["town"].pk})
    assert made.status_code == 302
    asked = set(SelfCheck.objects.values_list("unit", flat=True))
    # The picked unit, and every region under the picked town: its village.
    assert asked == {hidden.pk, far.pk}


@pytest.mark.parametrize("path", ["/daily/agenda/", "/daily/reports/"])
def test_the_daily_pages_pick_the_office_to_read(world, login, path):
    world.orgs["ninth_town"] = village(world.orgs["county"], "第九镇", level=4)
    office = org(world, "ninth_office", "office", "第九镇督查办", "ninth_town")
    client = login(world, "city_office")
    page = client.get(path)
    assert picker(page, "office") == (UNITS, {"kind": ["office"]})
    assert drawn(page, "office") == [str(world.orgs["city_office"].pk)]
    assert office.name not in page_text(page)
    assert offered(client, page, "office", "第九") == [office.pk]
    chosen = client.get(path, {"office": office.pk})
    assert chosen.status_code == 200 and drawn(chosen, "office") == [str(office.pk)]
    county = login(world, "county_office")
    assert county.get(path, {"office": world.orgs["sibling_office"].pk}).status_code == 404
    # One office to read: no choice is drawn at all.
    assert 'name="office"' not in page_text(login(world, "town_office").get("/daily/agenda/"))
