"""Personal API tokens: listed without keys, shown once, revoked for good, only one's own."""

import pytest
from django.test import Client

from ducha.accounts.models import ApiToken, hash_token
from tests.api.conftest import Api, field_errors

pytestmark = pytest.mark.django_db


def test_create_shows_the_key_once_and_stores_only_its_hash(world, api_as):
    api = api_as("county_office")
    response = api.post("/tokens", {"name": "统计脚本"})
    assert response.status_code == 201
    body = response.json()
    assert body["key"].startswith("dch_")
    assert body["name"] == "统计脚本"
    assert body["hint"] == body["key"][:8]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == world.users["county_office"]
    assert token.key_hash == hash_token(body["key"])
    assert body["key"] not in str(token.__dict__)


def test_a_created_key_works_as_bearer_token(world, api_as):
    key = api_as("county_office").post("/tokens", {"name": "x"}).json()["key"]
    api = Api(Client(), {"Authorization": f"Bearer {key}"})
    assert api.get("/me").json()["username"] == "county_office"


def test_list_shows_own_tokens_without_keys(world, api_as):
    api = api_as("county_office")
    key = api.post("/tokens", {"name": "mine"}).json()["key"]
    ApiToken.issue(world.users["city_office"], "theirs")
    response = api.get("/tokens")
    assert response.status_code == 200
    tokens = response.json()
    assert [t["name"] for t in tokens] == ["mine"]
    assert "key" not in tokens[0]
    assert key not in response.content.decode()
    assert set(tokens[0]) == {
        "id",
        "name",
        "hint",
        "created_at",
        "last_used_at",
        "last_used_from",
        "expires_at",
        "scope",
        "revoked_at",
    }


def test_revoke_stops_the_token_at_once(world, api_as):
    api = api_as("county_office")
    created = api.post("/tokens", {"name": "old"}).json()
    script = Api(Client(), {"Authorization": f"Bearer {created['key']}"})
    assert script.get("/me").status_code == 200
    response = api.delete(f"/tokens/{created['id']}")
    assert response.status_code == 204
    assert script.get("/me").status_code == 401
    listed = api.get("/tokens").json()
    assert listed[0]["revoked_at"] is not None
    # Revoking again keeps the first time of revocation.
    first = ApiToken.objects.get().revoked_at
    assert api.delete(f"/tokens/{created['id']}").status_code == 204
    assert ApiToken.objects.get().revoked_at == first


def test_another_users_token_cannot_be_revoked(world, api_as):
    theirs, _ = ApiToken.issue(world.users["city_office"], "theirs")
    response = api_as("county_office").delete(f"/tokens/{theirs.pk}")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert api_as("county_office").delete("/tokens/999999").status_code == 404


def test_a_token_cannot_mint_tokens(world, token_as):
    # A leaked key must not be able to breed keys that outlive its revocation.
    api = token_as("county_office")
    response = api.post("/tokens", {"name": "child"})
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_a_token_may_list_and_revoke_itself(world, token_as):
    api = token_as("county_office")
    [mine] = api.get("/tokens").json()
    assert api.delete(f"/tokens/{mine['id']}").status_code == 204
    assert api.get("/tokens").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
    ],
)
def test_token_name_is_validated(world, api_as, body, field):
    response = api_as("county_office").post("/tokens", body)
    assert response.status_code == 422
    assert field_errors(response) == {field}
    assert not ApiToken.objects.exists()
