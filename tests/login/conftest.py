import pytest

from ducha.accounts.models import User

PASSWORD = "Old-Secret-2026"


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user("alice", password=PASSWORD, name="爱丽丝")


def page_login(client, username: str, password: str, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)
