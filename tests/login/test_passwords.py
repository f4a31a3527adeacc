"""The password policy, the history, expiry and the page to change one's own password."""

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from ducha.accounts.actions import do_issue_token
from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import (
    ApiToken,
    PasswordHistory,
    SecurityEvent,
    TokenAction,
    TokenEvent,
)
from tests.login.conftest import PASSWORD
from tests.pages.helpers import text

pytestmark = pytest.mark.django_db

URL = "/accounts/password/"


def change(client, old: str, new: str, again: str | None = None):
    data = {
        "old_password": old,
        "new_password1": new,
        "new_password2": new if again is None else again,
    }
    return client.post(URL, data)


@pytest.mark.parametrize(
    "new",
    [
        "12345678",  # all digits, too short
        "Ab1-short",  # 9 characters
        "abcdefgh12",  # two classes only
        "Xalice-2026x",  # contains the username
    ],
)
def test_a_password_that_fails_the_policy_is_refused_and_nothing_saved(client, alice, new):
    client.force_login(alice)
    before = alice.password
    response = change(client, PASSWORD, new)
    assert response.status_code == 422
    assert 'data-field="new_password1"' in text(response)
    assert "field-error" in text(response)
    alice.refresh_from_db()
    assert alice.password == before
    assert not PasswordHistory.objects.exists()
    # The refusal itself stays in the audit trail.
    refused = SecurityEvent.objects.get(kind=SecurityEventKind.PASSWORD_REFUSED)
    assert refused.actor == alice and refused.detail == {"field": "new_password1"}
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.PASSWORD_CHANGED).exists()


def test_the_validators_apply_outside_the_page_too(alice):
    with pytest.raises(ValidationError):
        validate_password("abcdefgh12", alice)
    validate_password("Fresh-Pass-42", alice)


def test_the_old_password_must_be_right_and_the_new_one_typed_twice(client, alice):
    client.force_login(alice)
    response = change(client, "not-it", "Fresh-Pass-42")
    assert response.status_code == 422 and 'data-field="old_password"' in text(response)
    response = change(client, PASSWORD, "Fresh-Pass-42", "Fresh-Pass-43")
    assert response.status_code == 422
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_change_keeps_this_session_and_revokes_every_token(client, alice):
    token, raw = do_issue_token(acting_user=alice, name="脚本")
    client.force_login(alice)
    assert "/accounts/password/" in text(client.get("/accounts/tokens/"))  # the user menu
    response = change(client, PASSWORD, "Fresh-Pass-42")
    assert response.status_code == 302
    assert get_user(client).is_authenticated
    assert client.get("/accounts/tokens/").status_code == 200
    alice.refresh_from_db()
    assert alice.check_password("Fresh-Pass-42")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert TokenEvent.objects.filter(token=token, action=TokenAction.REVOKE).count() == 1
    assert ApiToken.authenticate(raw) is None
    answer = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answer.status_code == 401


def test_a_change_ends_the_user_s_other_sessions(client, alice):
    other = Client()
    other.force_login(alice)
    client.force_login(alice)
    assert change(client, PASSWORD, "Fresh-Pass-42").status_code == 302
    assert get_user(client).is_authenticated
    assert not get_user(other).is_authenticated


def test_the_last_passwords_cannot_come_back(client, alice):
    client.force_login(alice)
    passwords = [f"Fresh-Pass-{n}x" for n in range(5)]
    current = PASSWORD
    for new in passwords:
        assert change(client, current, new).status_code == 302
        current = new
    assert PasswordHistory.objects.filter(user=alice).count() == 5
    for old in passwords:
        response = change(client, current, old)
        assert response.status_code == 422, old
    # Six changes later the first one is allowed again.
    assert change(client, current, "Fresh-Pass-5x").status_code == 302
    assert change(client, "Fresh-Pass-5x", passwords[0]).status_code == 302


def test_an_expired_password_sends_the_user_to_the_change_page(client, alice, settings):
    settings.DUCHA_PASSWORD_MAX_AGE_DAYS = 90
    client.force_login(alice)
    assert client.get("/").status_code != 302 or "/accounts/password/" not in client.get("/").url
    alice.date_joined = alice.date_joined.replace(year=2020)
    alice.save()
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302 and response.url == URL
    assert client.get(URL).status_code == 200
    assert change(client, PASSWORD, "Fresh-Pass-42").status_code == 302
    assert client.get("/accounts/tokens/").status_code == 200
