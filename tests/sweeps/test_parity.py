"""The page and the API refuse the same bad input the same way: the same status, the same
field, the same words."""

from __future__ import annotations

import pytest

from ducha.sweeps.models import SelfCheck
from tests.api.conftest import field_errors
from tests.sweeps.conftest import launch_body, origin

LAUNCHES = [
    ({"check_text": ""}, "check_text"),
    ({"units": []}, "units"),
    ({"units": ["sibling_dept"]}, "units"),
    ({"units": [], "region": "sibling"}, "region"),
]


@pytest.mark.parametrize(("extra", "field"), LAUNCHES)
def test_launch_refusals_match(world, api_as, login, client, extra, field):
    problem = origin(world)
    body = launch_body(world, problem)
    if "units" in extra:
        body["units"] = [world.orgs[key].pk for key in extra["units"]]
    if "region" in extra:
        body["region"] = world.orgs[extra["region"]].pk
    if "check_text" in extra:
        body["check_text"] = extra["check_text"]
    api = api_as("county_office").post("/sweeps", body)
    login(world, "county_office")
    form = {k: v for k, v in body.items() if k != "problem" and v not in (None, [])}
    page = client.post(f"/sweeps/new/{problem.pk}/", form)
    assert api.status_code == page.status_code == 422
    assert field in field_errors(api)
    assert page.context["form"].errors[field] == [api.json()["detail"]] or api.json()[
        "detail"
    ] in str(page.context["form"].errors[field])


ANSWERS = [
    ({"outcome": "none_found", "note": ""}, "note"),
    ({"outcome": "found"}, "problems"),
]


@pytest.mark.parametrize(("body", "field"), ANSWERS)
def test_answer_refusals_match(world, api_as, login, client, body, field):
    problem = origin(world)
    api_as("county_office").post("/sweeps", launch_body(world, problem))
    check = SelfCheck.objects.get(unit=world.orgs["county_dept"])
    api = api_as("county_handler").post(f"/sweeps/checks/{check.pk}/answer", body)
    login(world, "county_handler")
    page = client.post(f"/sweeps/checks/{check.pk}/answer/", body)
    assert api.status_code == page.status_code == 422
    assert field in field_errors(api)
    assert api.json()["detail"] in str(page.context["form"].errors[field])
