"""The demo, loaded once per test module inside a transaction that is rolled back after it."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from ducha.demo.cast import PASSWORD
from ducha.orgs.models import Org

# Tests log in dozens of times; the demo stores its one hash with the fast test hasher.
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class LoadedDemo:
    output: str

    @staticmethod
    def region(code: str) -> Org:
        return Org.objects.get(kind="region", code=code)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    out = io.StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=out)
        yield LoadedDemo(out.getvalue())
        transaction.set_rollback(True)


@pytest.fixture
def signed_in(demo, db):
    """`signed_in("chengdu.office")`: a client with a session of that demo account."""

    def _signed_in(username: str) -> Client:
        client = Client()
        assert client.login(username=username, password=PASSWORD), username
        return client

    return _signed_in
