"""Who may call the API: a signed-in session (with CSRF on writes) or a personal token."""

import pytest
from django.test import Client
from django.utils import timezone

from ducha.accounts.models import ApiToken
from tests.api.conftest import BASE, Api
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("get", "/problems"),
    ("post", "/problems"),
    ("get", "/problems/1"),
    ("post", "/problems/1/actions/assign"),
    ("get", "/orgs"),
    ("get", "/sites"),
    ("get", "/teams"),
    ("get", "/focus-areas"),
    ("get", "/me"),
    ("get", "/tokens"),
    ("post", "/tokens"),
    ("delete", "/tokens/1"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_answers_401_json_without_credentials(world, anonymous, method, path):
    response = anonymous.call(method, path, {})
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_session_reads_without_csrf_token(world, api_as):
    api = api_as("county_office", enforce_csrf_checks=True)
    assert api.get("/me").json()["username"] == "county_office"


def test_session_write_without_csrf_token_is_refused(world, api_as):
    problem = world.problem()
    api = api_as("county_office", enforce_csrf_checks=True)
    response = api.act(problem, "urge")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    response = api.post("/tokens", {"name": "x"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_session_write_with_csrf_token_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="county_office", password=PASSWORD)
    client.get(BASE + "/docs")  # any page that renders the token sets the cookie
    token = client.cookies["csrftoken"].value
    api = Api(client, {"X-CSRFToken": token})
    response = api.post("/tokens", {"name": "laptop"})
    assert response.status_code == 201, response.content


def test_token_authenticates_without_cookie_or_csrf(world, token_as):
    problem = world.assigned()
    api = token_as("county_office")
    api.client.enforce_csrf_checks = True
    assert api.get("/me").json()["username"] == "county_office"
    response = api.act(problem, "urge", comment="请加快整改")
    assert response.status_code == 200, response.content
    assert response.json()["events"][-1]["actor"] == world.users["county_office"].name


def test_token_records_last_use(world, token_as):
    api = token_as("county_office")
    api.get("/me")
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        "Bearer dch_not-a-real-key",
        "Bearer not-even-prefixed",
        "Bearer ",
        "Basic Y291bnR5X29mZmljZTpwdw==",
        "Token dch_x",
    ],
)
def test_bad_authorization_header_is_401(world, api_as, header):
    # Signed in as well: a bad header must not fall back to the session.
    response = api_as("county_office").get("/me", headers={"Authorization": header})
    assert response.status_code == 401
    response = Api(Client()).get("/me", headers={"Authorization": header})
    assert response.status_code == 401


def test_revoked_token_is_401(world, token_as):
    api = token_as("county_office")
    assert api.get("/me").status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert api.get("/me").status_code == 401


def test_token_of_inactive_user_is_401(world, token_as):
    api = token_as("county_office")
    world.users["county_office"].is_active = False
    world.users["county_office"].save()
    assert api.get("/me").status_code == 401


def test_bad_token_wins_over_a_valid_session(world, api_as):
    # A script that sends a wrong token must learn so, not act silently as the browser user.
    api = api_as("county_office")
    api.headers = {"Authorization": "Bearer dch_wrong"}
    assert api.get("/me").status_code == 401


def test_token_user_sees_only_their_scope(world, token_as):
    county = world.problem()
    sibling = world.problem(by="sibling_office", region="sibling")
    api = token_as("sibling_office")
    ids = [item["id"] for item in api.get("/problems").json()["items"]]
    assert ids == [sibling.pk]
    assert api.get(f"/problems/{county.pk}").status_code == 404
    assert api.act(county, "urge").status_code == 404
    orgs = {item["id"] for item in api.get("/orgs").json()["items"]}
    assert world.orgs["county"].pk not in orgs
    assert world.orgs["sibling"].pk in orgs
