"""Helpers for the two-factor tests: enrol and log in through the pages, as a user would."""

from __future__ import annotations

import re
from base64 import b32decode
from binascii import hexlify, unhexlify

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ducha.accounts.models import User

PASSWORD = "Old-Secret-2026"


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user("alice", password=PASSWORD, name="爱丽丝")


def secret_on_page(html: str) -> bytes:
    """The secret as the setup page shows it for typing into an app (base32, in groups)."""
    match = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', html)
    assert match, "no secret on the page"
    text = match.group(1).replace(" ", "")
    return b32decode(text + "=" * (-len(text) % 8))


def code(key: bytes, drift: int = 0) -> str:
    """The code an authenticator app shows now (drift=1: the next one)."""
    return f"{totp(key, drift=drift):06d}"


def next_code(key: bytes) -> str:
    """The code after the last one used, as the device counts time: a code accepted across
    the edge of a 30-second step moves the device's drift (OTP_TOTP_SYNC), and "the app's
    next code" must follow it or it falls outside the tolerance."""
    device = TOTPDevice.objects.get(key=hexlify(key).decode(), confirmed=True)
    return code(key, drift=device.drift + 1)


def device_key(user: User) -> bytes:
    return unhexlify(TOTPDevice.objects.get(user=user, confirmed=True).key)


def recovery_codes(html: str) -> list[str]:
    return re.findall(r'data-testid="recovery-code">([a-z2-7]+)<', html)


def password_step(client, username: str, password: str = PASSWORD, path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password})


def enrol(client) -> tuple[bytes, list[str]]:
    """Set up two-factor login from the setup page (signed in, or pending after the password
    step); returns the secret read from the page and the recovery codes shown."""
    page = client.get("/accounts/two-factor/setup/")
    assert page.status_code == 200
    key = secret_on_page(page.content.decode())
    done = client.post("/accounts/two-factor/setup/", {"code": code(key)})
    assert done.status_code == 200, done.content.decode()
    codes = recovery_codes(done.content.decode())
    assert len(codes) == 10
    return key, codes


def signed_in_as(client) -> str | None:
    from django.contrib.auth import get_user

    user = get_user(client)
    return user.get_username() if user.is_authenticated else None
