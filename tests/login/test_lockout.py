"""Failed logins lock the account and the address (django-axes); a superuser unlocks."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user
from django.test import Client

from ducha.accounts.models import User
from tests.login.conftest import PASSWORD, page_login
from tests.pages.helpers import text

pytestmark = pytest.mark.django_db


def fail(client, username: str, times: int) -> None:
    for _ in range(times):
        response = page_login(client, username, "wrong-password")
        assert response.status_code in (200, 429)


def test_under_the_limit_the_right_password_still_works(client, alice):
    fail(client, "alice", 4)
    response = page_login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert get_user(client).is_authenticated
    # A success clears the count, so four more failures do not lock either.
    client.logout()
    fail(client, "alice", 4)
    assert page_login(client, "alice", PASSWORD).status_code == 302


def test_after_five_failures_even_the_right_password_is_refused(client, alice):
    fail(client, "alice", 5)
    response = page_login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in text(response)
    assert not get_user(client).is_authenticated


def test_the_account_is_locked_from_another_address_too(client, alice):
    fail(client, "alice", 5)
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert page_login(elsewhere, "alice", PASSWORD).status_code == 429


def test_the_address_is_locked_for_other_accounts(client, alice):
    User.objects.create_user("bob", password=PASSWORD)
    fail(client, "nobody", 5)
    assert page_login(client, "bob", PASSWORD).status_code == 429
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert page_login(elsewhere, "bob", PASSWORD).status_code == 302


def test_the_admin_login_is_locked_too(client, alice):
    alice.is_staff = True
    alice.save()
    for _ in range(5):
        client.post("/admin/login/", {"username": "alice", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429


def test_the_cool_off_ends_the_lockout(client, alice, settings):
    fail(client, "alice", 5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME
    )
    assert page_login(client, "alice", PASSWORD).status_code == 302


def test_a_superuser_unlocks_in_the_admin(client, alice):
    fail(client, "alice", 5)
    admin = Client(REMOTE_ADDR="10.0.0.1")
    User.objects.create_superuser("root", password=PASSWORD)
    admin.force_login(User.objects.get(username="root"))
    attempt = AccessAttempt.objects.get(username="alice")
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "alice" in text(listing)
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert page_login(client, "alice", PASSWORD).status_code == 302


def test_the_limit_comes_from_settings(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 2
    fail(client, "alice", 2)
    response = page_login(client, "alice", PASSWORD)
    assert response.status_code == 429


def test_a_failure_during_the_lockout_starts_the_cool_off_again(client, alice, settings):
    fail(client, "alice", 5)
    half = settings.AXES_COOLOFF_TIME / 2
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= half + half / 2
        attempt.save()
    fail(client, "alice", 1)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= half
        attempt.save()
    # 1¼ cool-offs after the fifth failure, but half of one after the last.
    assert page_login(client, "alice", PASSWORD).status_code == 429


def test_behind_a_proxy_the_address_is_the_one_it_saw(client, alice, settings):
    settings.DUCHA_LOGIN_PROXY_COUNT = 1
    User.objects.create_user("bob", password=PASSWORD)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(5):
        # The caller forges the left entry each time; the proxy appends the real one.
        forged = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{n}, 203.0.113.7", **proxy}
        page_login(client, "nobody", "wrong", **forged)
    same = {"HTTP_X_FORWARDED_FOR": "203.0.113.7", **proxy}
    assert page_login(client, "bob", PASSWORD, **same).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "203.0.113.8", **proxy}
    assert page_login(Client(), "bob", PASSWORD, **other).status_code == 302


def test_without_a_cool_off_only_an_unlock_ends_the_lockout(client, alice, settings):
    settings.AXES_COOLOFF_TIME = None
    fail(client, "alice", 5)
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")
    response = page_login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "须由管理员解锁" in text(response)
    AccessAttempt.objects.all().delete()
    assert page_login(client, "alice", PASSWORD).status_code == 302


def test_an_overlong_user_name_is_refused_on_its_field_and_records_no_attempt(client):
    # Longer than any account's name and than what the failed-login records keep.
    response = client.post("/accounts/login/", {"username": "a" * 300, "password": "x"})
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not AccessAttempt.objects.exists()
