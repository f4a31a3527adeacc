"""The forms that name an organisation of a jurisdiction draw a picker, not every org: the
enterprise's region and supervisor, the org a record or an observation is about, a robot's
org, a suggestion's receiver. Each still takes a picked id and refuses one out of scope."""

from __future__ import annotations

import pytest

from ducha.accountability.models import Accountability
from ducha.cadres.models import CadreObservation
from ducha.notices.delivery.models import OrgChannel
from ducha.orgs.models import Org
from ducha.orgs.widgets import EVERY_KIND
from ducha.resumption.models import Enterprise
from ducha.suggestions.models import Suggestion
from tests.accountability.test_pages import _form as record_form
from tests.cadres.personas import add_organisation
from tests.cadres.test_recording import body as observation_form
from tests.delivery.test_pages import ROBOT
from tests.pickers.conftest import village
from tests.pickers.helpers import drawn, errors, offered, page_text, picker
from tests.resumption.conftest import days_ago
from tests.suggestions.test_pages import _form as suggestion_form

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/lookup/units"


def bureau(world, name: str = "双桥区第九局") -> Org:
    """A body of the county that nothing on the pages names unless it is chosen."""
    return Org.objects.create(kind="department", name=name, parent=world.orgs["county"])


def enterprise_form(region: Org, **extra):
    return {
        "kind": "enterprise",
        "name": "兴隆医用口罩厂",
        "category": "industry_other",
        "region": region.pk,
        "registered_on": days_ago(3).isoformat(),
        "supervised": "on",
        **extra,
    }


def test_the_enterprise_form_picks_its_region_and_supervisor(world, login):
    client = login(world, "county_office")
    far = village(world.orgs["town"], "第九村")
    hidden = bureau(world)
    page = client.get("/resumption/new/")
    county = str(world.orgs["county"].pk)
    assert picker(page, "region") == ("/api/v1/lookup/regions", {"under": [county]})
    kinds = ["department", "enterprise", "office", "command"]
    assert picker(page, "supervisor") == (UNITS, {"kind": kinds, "under": [county]})
    assert drawn(page, "supervisor") == [""]
    assert far.name not in page_text(page) and hidden.name not in page_text(page)
    assert offered(client, page, "region", "第九") == [far.pk]
    assert offered(client, page, "supervisor", "第九") == [hidden.pk]

    away = client.post("/resumption/new/", enterprise_form(world.orgs["sibling"]))
    assert away.status_code == 400 and errors(away, "region")
    foreign = enterprise_form(far, supervisor=world.orgs["sibling_dept"].pk)
    refused = client.post("/resumption/new/", foreign)
    assert refused.status_code == 400 and errors(refused, "supervisor")
    # Drawn back: the chosen village only, not the rest of the county.
    assert drawn(refused, "region") == ["", str(far.pk)]
    assert not Enterprise.objects.exists()
    made = client.post("/resumption/new/", enterprise_form(far, supervisor=hidden.pk))
    assert made.status_code == 302, errors(made, "region")
    assert (Enterprise.objects.get().region, Enterprise.objects.get().supervisor) == (far, hidden)


def test_an_accountability_record_picks_its_org_of_any_kind(world, login):
    client = login(world, "county_discipline")
    hidden = bureau(world)
    page = client.get("/accountability/new/")
    under = [str(world.orgs["county"].pk)]
    assert picker(page, "org") == (UNITS, {"kind": EVERY_KIND, "under": under})
    assert hidden.name not in page_text(page)
    assert offered(client, page, "org", "第九") == [hidden.pk]
    # Regions and offices too: a record may be about any org of the county.
    assert world.orgs["town_office"].pk in offered(client, page, "org", "督查办")
    refused = client.post(
        "/accountability/new/", record_form(world, org=world.orgs["sibling_dept"].pk)
    )
    assert refused.status_code == 422 and errors(refused, "org")
    made = client.post("/accountability/new/", record_form(world, org=hidden.pk))
    assert made.status_code == 302
    assert Accountability.objects.get().org == hidden


def test_a_cadre_observation_and_a_listing_pick_their_org(world, login):
    add_organisation(world)
    client = login(world, "county_team_member")
    hidden = bureau(world)
    page = client.get("/cadres/new/")
    url, params = picker(page, "org")
    assert (url, params["kind"]) == (UNITS, EVERY_KIND)
    assert hidden.name not in page_text(page)
    assert offered(client, page, "org", "第九") == [hidden.pk]
    away = observation_form(world, org=world.orgs["sibling_dept"].pk)
    refused = client.post("/cadres/new/", away)
    assert refused.status_code == 400 and errors(refused, "org")
    made = client.post("/cadres/new/", observation_form(world, org=hidden.pk))
    assert made.status_code == 302
    assert CadreObservation.objects.get().org == hidden
    tenth = bureau(world, "双桥区第十局")
    listing = login(world, "county_organisation").get("/cadres/candidates/new/")
    assert picker(listing, "org") == (
        UNITS,
        {"kind": EVERY_KIND, "under": [str(world.orgs["county"].pk)]},
    )
    # The observation just made names its org there; another one is not drawn.
    assert tenth.name not in page_text(listing)


def test_a_robot_picks_its_org(world, login):
    client = login(world, "county_office")
    hidden = bureau(world)
    page = client.get("/delivery/channels/")
    assert picker(page, "org") == (UNITS, {"kind": EVERY_KIND})
    assert hidden.name not in page_text(page)
    assert offered(client, page, "org", "第九") == [hidden.pk]
    refused = client.post("/delivery/channels/", {**ROBOT, "org": world.orgs["sibling_office"].pk})
    assert refused.status_code == 422 and errors(refused, "org")
    assert client.post("/delivery/channels/", {**ROBOT, "org": hidden.pk}).status_code == 302
    assert OrgChannel.objects.get().org == hidden


def test_a_suggestion_picks_its_receiver_in_the_senders_jurisdiction(world, login):
    client = login(world, "county_office")
    hidden = bureau(world)
    page = client.get("/suggestions/new/")
    kinds = ["department", "enterprise", "office", "command"]
    under = [str(world.orgs["county"].pk)]
    assert picker(page, "receiver") == (UNITS, {"kind": kinds, "under": under})
    assert hidden.name not in page_text(page)
    assert offered(client, page, "receiver", "第九") == [hidden.pk]
    away = suggestion_form(world, receiver=world.orgs["sibling_dept"].pk)
    refused = client.post("/suggestions/new/", away)
    assert refused.status_code in (400, 422) and errors(refused, "receiver")
    made = client.post("/suggestions/new/", suggestion_form(world, receiver=hidden.pk))
    assert made.status_code == 302
    assert Suggestion.objects.get().receiver == hidden
