"""POST /problems with a client key: a retry gets the first problem back and records nothing."""

import uuid

import pytest

from ducha.problems.models import FocusArea, Problem, ProblemEvent
from tests.api.conftest import field_errors

pytestmark = pytest.mark.django_db


def body(world, key, **overrides):
    return {
        "title": "隔离点未落实闭环管理",
        "region": world.orgs["county"].pk,
        "focus_area": FocusArea.objects.get(code="screening").pk,
        "client_key": str(key),
        **overrides,
    }


def test_a_retry_with_the_same_key_returns_the_first_problem(world, api_as):
    office, key = api_as("county_office"), uuid.uuid4()
    first = office.post("/problems", body(world, key))
    assert first.status_code == 201, first.content
    again = office.post("/problems", body(world, key))
    assert again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"]
    assert again["ETag"] == first["ETag"]
    assert Problem.objects.count() == 1
    assert ProblemEvent.objects.filter(action="create").count() == 1


def test_the_same_session_or_a_token_of_the_same_user_share_the_key(world, api_as, token_as):
    key = uuid.uuid4()
    first = api_as("county_office").post("/problems", body(world, key))
    again = token_as("county_office").post("/problems", body(world, key))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]


def test_another_users_key_is_independent(world, api_as):
    key = uuid.uuid4()
    mine = api_as("county_office").post("/problems", body(world, key))
    theirs = api_as("city_office").post("/problems", body(world, key))
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert Problem.objects.filter(client_key=key).count() == 2


def test_a_key_again_with_other_content_returns_the_first_problem(world, api_as):
    # As a retried inspection does: the key names the submission, whatever the retry says.
    office, key = api_as("county_office"), uuid.uuid4()
    first = office.post("/problems", body(world, key))
    again = office.post("/problems", body(world, key, title="另一个问题", urgency="urgent"))
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["title"] == "隔离点未落实闭环管理"
    assert Problem.objects.count() == 1


def test_without_a_key_every_post_records_a_problem(world, api_as):
    office = api_as("county_office")
    data = body(world, "")
    del data["client_key"]
    assert office.post("/problems", data).status_code == 201
    assert office.post("/problems", data).status_code == 201
    assert Problem.objects.count() == 2


@pytest.mark.parametrize("key", ["not-a-uuid", 12, True, "0" * 1000])
def test_a_key_that_is_not_a_uuid_is_refused(world, api_as, key):
    response = api_as("county_office").post("/problems", body(world, "", client_key=key))
    assert response.status_code == 422
    assert field_errors(response) == {"client_key"}
    assert Problem.objects.count() == 0


def test_a_refused_recording_does_not_use_up_its_key(world, api_as):
    office, key = api_as("county_office"), uuid.uuid4()
    refused = office.post("/problems", body(world, key, region=world.orgs["sibling"].pk))
    assert refused.status_code in (403, 404, 422)
    assert Problem.objects.count() == 0
    assert office.post("/problems", body(world, key)).status_code == 201


def test_a_key_replays_only_what_the_caller_may_still_see(world, api_as):
    key = uuid.uuid4()
    first = api_as("county_office").post("/problems", body(world, key))
    assert first.status_code == 201
    world.users["county_office"].memberships.all().delete()
    again = api_as("county_office").post("/problems", body(world, key))
    assert again.status_code == 404
