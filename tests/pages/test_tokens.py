"""My API tokens: the raw key is shown once; only the owner can revoke."""

import re

import pytest

from ducha.accounts.models import ApiToken
from tests.pages.helpers import text

pytestmark = pytest.mark.django_db


def test_issue_shows_the_key_once_and_it_authenticates(world, login):
    client = login(world, "county_office")
    response = client.post("/accounts/tokens/", {"name": "每日导出脚本"})
    assert response.status_code == 200
    raw = re.search(r'<code class="token-key[^"]*">([^<]+)</code>', text(response)).group(1)
    assert ApiToken.authenticate(raw) == world.users["county_office"]

    again = text(client.get("/accounts/tokens/"))
    assert raw not in again
    assert "每日导出脚本" in again and raw[:8] in again


def test_a_token_needs_a_name(world, login):
    response = login(world, "county_office").post("/accounts/tokens/", {"name": ""})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_revoke_own_token(world, login):
    token, raw = ApiToken.issue(world.users["county_office"], "脚本")
    client = login(world, "county_office")
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert ApiToken.authenticate(raw) is None
    assert "已作废" in text(client.get("/accounts/tokens/"))


def test_cannot_revoke_or_see_someone_elses_token(world, login):
    token, raw = ApiToken.issue(world.users["county_handler"], "经办人脚本")
    client = login(world, "county_office")
    assert "经办人脚本" not in text(client.get("/accounts/tokens/"))
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.authenticate(raw) == world.users["county_handler"]


def test_tokens_page_needs_login(client):
    assert client.get("/accounts/tokens/").status_code == 302
