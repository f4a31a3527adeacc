import base64

import pytest

from ducha.accounts.models import User

PASSWORD = "Old-Secret-2026"
SM3_HASHER = "ducha.core.crypto.PBKDF2SM3PasswordHasher"
SHA256_HASHER = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
# Two SM4 keys of the tests (16 bytes each): "new" is written after a rotation.
OLD_KEY = "old:" + base64.b64encode(b"old-test-key-16b").decode()
NEW_KEY = "new:" + base64.b64encode(b"new-test-key-16b").decode()


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user("alice", password=PASSWORD, name="爱丽丝")


@pytest.fixture
def superuser(db, client):
    admin = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    return client


def page_login(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def admin_change(client, user: User, **changes: str):
    """Post the user's change form in the admin as the signed-in superuser would."""
    data = {
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "phone": user.phone,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **changes,
    }
    return client.post(f"/admin/accounts/user/{user.pk}/change/", data)
