"""Security keys (WebAuthn): what the server refuses. The whole ceremony with a real
(virtual) authenticator is in tests/browser/test_two_factor.py."""

import json

import pytest
from axes.models import AccessAttempt

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.keys.models import SecurityKey
from ducha.accounts.models import SecurityEvent
from tests.twofactor.conftest import enrol, password_step, signed_in_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(alice) -> SecurityKey:
    # A key as registration leaves it; the public key is not a real one, so no answer can
    # ever match it.
    return SecurityKey.objects.create(
        user=alice, name="USB", credential_id="AAAA", public_key=b"\x00" * 32
    )


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_key_sends_its_owner_to_the_second_step(client, alice, key):
    response = password_step(client, "alice")
    assert response["Location"] == "/accounts/login/code/"
    page = client.get("/accounts/login/code/").content.decode()
    assert 'data-testid="key-login"' in page
    options = client.post("/accounts/login/key/options/").json()
    assert options["allowCredentials"][0]["id"] == "AAAA"
    assert options["rpId"] == "testserver"


def test_a_wrong_answer_is_refused_recorded_and_counted(client, alice, key):
    password_step(client, "alice")
    client.post("/accounts/login/key/options/")
    forged = {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}
    response = post_json(client, "/accounts/login/key/", {"credential": forged})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "未能识别该安全密钥，请重试或输入动态口令。",
        "field": "credential",
    }
    assert signed_in_as(client) is None
    [failed] = SecurityEvent.objects.filter(kind=SecurityEventKind.OTP_FAILED)
    assert failed.subject == alice and failed.detail["factor"] == "security_key"
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 1


def test_the_key_endpoints_need_the_password_step(client, alice, key):
    assert client.post("/accounts/login/key/options/").status_code == 403
    assert post_json(client, "/accounts/login/key/", {"credential": {}}).status_code == 403


def test_a_registration_without_a_valid_answer_saves_nothing(client, alice):
    client.force_login(alice)
    options = client.post("/accounts/two-factor/keys/options/").json()
    assert options["rp"]["id"] == "testserver" and options["user"]["name"] == "alice"
    response = post_json(
        client, "/accounts/two-factor/keys/", {"name": "USB", "credential": {"id": "x"}}
    )
    assert response.status_code == 422 and response.json()["field"] == "credential"
    response = post_json(client, "/accounts/two-factor/keys/", {"name": "", "credential": {}})
    assert response.status_code == 422 and response.json()["field"] == "name"
    too_big = client.post(
        "/accounts/two-factor/keys/", "x" * 70_000, content_type="application/json"
    )
    assert too_big.status_code == 422
    assert not SecurityKey.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.OTP_ENROLLED).exists()


def test_a_user_removes_only_their_own_keys(client, alice, key, world):
    client.force_login(world.users["county_office"])
    assert client.post(f"/accounts/two-factor/keys/{key.pk}/remove/").status_code == 404
    client.force_login(alice)
    assert client.post(f"/accounts/two-factor/keys/{key.pk}/remove/").status_code == 302
    assert not SecurityKey.objects.exists()
    [removed] = SecurityEvent.objects.filter(kind=SecurityEventKind.OTP_DISABLED)
    assert removed.detail["factor"] == "security_key"


def test_the_last_second_factor_of_an_account_the_policy_covers_stays(client, world):
    admin = world.users["county_admin"]
    last = SecurityKey.objects.create(
        user=admin, name="USB", credential_id="BBBB", public_key=b"\x00"
    )
    client.force_login(admin)
    response = client.post(f"/accounts/two-factor/keys/{last.pk}/remove/", follow=True)
    assert "至少保留一个安全密钥" in response.content.decode()
    assert SecurityKey.objects.filter(pk=last.pk).exists()
    # With an authenticator app set up, the key may go.
    enrol(client)
    client.post(f"/accounts/two-factor/keys/{last.pk}/remove/")
    assert not SecurityKey.objects.filter(pk=last.pk).exists()


def test_a_reset_removes_the_keys_too(client, world):
    from ducha.accounts.models import Membership

    subject = world.users["county_office"]
    SecurityKey.objects.create(user=subject, name="USB", credential_id="CCCC", public_key=b"")
    security = world.users["outsider"]
    Membership.objects.create(user=security, org=world.orgs["county_office"], role="security_admin")
    client.force_login(security)
    client.post(f"/accounts/security/users/{subject.pk}/two-factor/reset/")
    assert not SecurityKey.objects.filter(user=subject).exists()
