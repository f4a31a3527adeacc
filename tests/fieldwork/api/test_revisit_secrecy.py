"""回头看 and 杀回马枪 are surprises: the inspected side learns of them once they happen.

A sampled revisit still due is seen only by the office that drew it and its team, like a
planned secret visit; the unit sees no due revisit, nor the date its problem's close event
recorded, in the API or the pages.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _closed(world, api_as) -> int:
    problem = world.assigned()
    api_as("county_handler").post(
        f"/problems/{problem.pk}/actions/submit_rectification", {"text": "已整改"}
    )
    closed = api_as("county_office").post(f"/problems/{problem.pk}/actions/verify_accept", {})
    assert closed.json()["state"] == "closed"
    return problem.pk


def _close_event(api, pk: int) -> dict:
    events = api.get(f"/problems/{pk}").json()["events"]
    return next(e for e in events if e["action"] == "verify_accept")["payload"]


def test_the_unit_sees_no_revisit_date_in_its_problem_timeline(world, api_as, settings):
    settings.DUCHA_REVISIT_AFTER_DAYS = 9
    pk = _closed(world, api_as)
    due_on = (timezone.localdate() + timedelta(days=9)).isoformat()
    assert _close_event(api_as("county_office"), pk)["revisit_due_on"] == due_on
    assert _close_event(api_as("city_office"), pk)["revisit_due_on"] == due_on
    handler = api_as("county_handler")
    assert "revisit_due_on" not in _close_event(handler, pk)
    assert "revisit" not in _close_event(handler, pk)
    assert due_on not in handler.get(f"/problems/{pk}").content.decode()
    assert handler.get("/revisits").json()["count"] == 0


def test_a_drawn_sample_is_seen_only_by_the_drawing_office_and_its_team(world, api_as):
    pk = _closed(world, api_as)
    drawn = api_as("county_office").post("/revisits/sample", {"size": 5})
    assert drawn.status_code == 201
    [sampled] = drawn.json()
    assert sampled["sampled"] and sampled["problem"]["id"] == pk

    for persona in ("county_office", "county_team_member"):
        api = api_as(persona)
        assert api.get(f"/revisits/{sampled['id']}").status_code == 200, persona
        assert sampled["id"] in [r["id"] for r in api.get("/revisits").json()["items"]], persona
    # The unit, offices above and neighbours: as if it did not exist.
    # And the county's administrators (三员), who see nothing of the loop.
    for persona in (
        "county_handler",
        "city_office",
        "province_office",
        "sibling_office",
        "county_admin",
    ):
        api = api_as(persona)
        assert api.get(f"/revisits/{sampled['id']}").status_code == 404, persona
        listed = api.get("/revisits", {"sampled": "true"}).json()["items"]
        assert sampled["id"] not in [r["id"] for r in listed], persona
    # A 杀回马枪 recorded by someone who may not see it is refused like a missing one.
    refused = api_as("city_office").post(
        f"/revisits/{sampled['id']}/result", {"passed": True, "note": ""}
    )
    assert refused.status_code == 404


def test_once_it_happened_the_unit_sees_the_revisit(world, api_as):
    pk = _closed(world, api_as)
    [sampled] = api_as("county_office").post("/revisits/sample", {"size": 5}).json()
    done = api_as("county_team_member").post(
        f"/revisits/{sampled['id']}/result", {"passed": True, "note": "保持良好"}
    )
    assert done.status_code == 200
    handler = api_as("county_handler")
    seen = handler.get(f"/revisits/{sampled['id']}")
    assert seen.status_code == 200
    assert (seen.json()["sampled"], seen.json()["state"]) == (True, "passed")
    assert api_as("city_office").get(f"/revisits/{sampled['id']}").status_code == 200
    # The scheduled 回头看 is still to come: its date stays out of the unit's timeline.
    assert "revisit_due_on" not in _close_event(handler, pk)


def test_the_revisits_page_shows_the_unit_nothing_due(world, api_as, login):
    pk = _closed(world, api_as)
    api_as("county_office").post("/revisits/sample", {"size": 5})
    office_page = login(world, "county_office").get("/field/revisits/").content.decode()
    assert f"/problems/{pk}/" in office_page
    assert "data-revisit=" in office_page
    client = login(world, "county_handler")
    handler_page = client.get("/field/revisits/").content.decode()
    assert f"/problems/{pk}/" not in handler_page
    assert "data-revisit=" not in handler_page
