"""剩余信息保护: nothing of a signed-in user's records stays behind after they leave."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.test import Client

from ducha.accounts.actions import do_issue_token
from tests.world import PASSWORD


def _signed_in_through_the_page(world, key: str) -> Client:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": world.users[key].username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content[:300]
    return client


def test_a_signed_in_page_is_not_kept_in_any_cache(world):
    client = _signed_in_through_the_page(world, "county_office")
    response = client.get("/problems/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_an_api_answer_to_a_token_is_not_kept_either(world):
    _, raw = do_issue_token(acting_user=world.users["county_office"], name="脚本")
    response = Client().get("/api/v1/problems", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_logout_deletes_the_session_and_its_cookie_opens_nothing(world):
    client = _signed_in_through_the_page(world, "county_office")
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()

    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()

    stale = Client()
    stale.cookies["sessionid"] = key
    response = stale.get("/problems/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
