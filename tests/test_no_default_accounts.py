"""Ducha ships no account: a new database after its migrations holds nobody to log in as."""

from __future__ import annotations

import pytest
from django.test import Client

from ducha.accounts.models import ApiToken, Membership, User


@pytest.mark.django_db
def test_a_new_database_has_no_account_role_or_token():
    assert not User.objects.exists()
    assert not Membership.objects.exists()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["admin", "root", "administrator", "ducha"])
def test_no_well_known_name_logs_in(username):
    # Four tries each, under the lockout's limit, so every answer is the form's own refusal.
    for password in ["admin", "password", "123456", username]:
        client = Client()
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_system_account_exists_only_once_used_and_never_logs_in():
    from ducha.accounts.system import SYSTEM_USERNAME, system_user

    assert not User.objects.filter(username=SYSTEM_USERNAME).exists()
    user = system_user()
    assert system_user() == user and User.objects.count() == 1
    assert not user.is_active and not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert not Membership.objects.exists() and not ApiToken.objects.exists()
    for password in ["", "admin", SYSTEM_USERNAME]:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": SYSTEM_USERNAME, "password": password}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
