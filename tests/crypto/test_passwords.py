"""PBKDF2-HMAC-SM3 passwords (密评 身份鉴别): the hasher, the setting, the upgrade at login."""

import base64
import hashlib
import hmac
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, get_hasher
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from ducha.accounts.models import PasswordHistory
from ducha.core import crypto
from ducha.core.crypto import PBKDF2SM3PasswordHasher
from tests.crypto.conftest import PASSWORD, SHA256_HASHER, SM3_HASHER, page_login

# GB/T 32905-2016, appendix A.1: SM3("abc").
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def _pbkdf2_two_rounds(password: bytes, salt: bytes) -> bytes:
    """RFC 8018 PBKDF2 written out for one 32-byte block and 2 rounds, over HMAC-SM3."""
    first = hmac.new(password, salt + (1).to_bytes(4, "big"), "sm3").digest()
    second = hmac.new(password, first, "sm3").digest()
    return bytes(a ^ b for a, b in zip(first, second, strict=True))


def test_sm3_is_the_national_standard_hash():
    assert crypto.sm3(b"abc").hexdigest() == SM3_ABC


def test_the_hasher_matches_pbkdf2_hmac_sm3_computed_independently():
    hasher = PBKDF2SM3PasswordHasher()
    encoded = hasher.encode("Secret-2026", "saltsaltsalt1234", iterations=2)
    algorithm, iterations, salt, _hash = encoded.split("$")
    assert (algorithm, iterations, salt) == ("pbkdf2_sm3", "2", "saltsaltsalt1234")
    expected = _pbkdf2_two_rounds(b"Secret-2026", b"saltsaltsalt1234")
    assert hasher.decode(encoded)["hash"] == base64.b64encode(expected).decode()
    # And OpenSSL's own PBKDF2 over SM3, at a count where a loop would be slow to write out.
    encoded = hasher.encode("Secret-2026", "saltsaltsalt1234", iterations=1000)
    raw = hashlib.pbkdf2_hmac("sm3", b"Secret-2026", b"saltsaltsalt1234", 1000)
    assert hasher.decode(encoded)["hash"] == base64.b64encode(raw).decode()


def test_the_hasher_round_trips_and_refuses_a_wrong_password():
    hasher = PBKDF2SM3PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    assert encoded.startswith("pbkdf2_sm3$600000$")
    assert hasher.verify(PASSWORD, encoded)
    assert not hasher.verify(PASSWORD + "x", encoded)
    assert not hasher.must_update(encoded)
    assert hasher.must_update(hasher.encode(PASSWORD, hasher.salt(), iterations=1000))


@pytest.mark.django_db
def test_an_old_hash_is_upgraded_to_sm3_at_the_next_login(client, settings, alice):
    settings.PASSWORD_HASHERS = [SM3_HASHER, SHA256_HASHER]
    # Stored by Django's default hasher before the switch (few rounds: the test stays fast).
    alice.password = PBKDF2PasswordHasher().encode(PASSWORD, "oldsalt123456789", iterations=1000)
    alice.save(update_fields=["password"])
    old = alice.password

    assert page_login(client, "alice", "wrong-password").status_code == 200
    alice.refresh_from_db()
    assert alice.password == old  # a failed login changes nothing

    assert page_login(client, "alice", PASSWORD).status_code == 302
    assert get_user(client).is_authenticated
    alice.refresh_from_db()
    assert alice.password.startswith("pbkdf2_sm3$600000$")
    assert check_password(PASSWORD, alice.password)
    # A re-encoding is not a password change: the history and the password's age stay.
    assert not PasswordHistory.objects.exists()

    client.logout()
    upgraded = alice.password
    assert page_login(client, "alice", PASSWORD).status_code == 302
    alice.refresh_from_db()
    assert alice.password == upgraded  # encoded once, not at every login


@pytest.mark.django_db
def test_back_to_sha256_an_sm3_hash_is_upgraded_too(client, settings, alice):
    settings.PASSWORD_HASHERS = [SHA256_HASHER, SM3_HASHER]
    alice.password = PBKDF2SM3PasswordHasher().encode(PASSWORD, "sm3salt123456789")
    alice.save(update_fields=["password"])
    assert page_login(client, "alice", PASSWORD).status_code == 302
    alice.refresh_from_db()
    assert alice.password.startswith("pbkdf2_sha256$")


def _settings_of(**env: str) -> subprocess.CompletedProcess[str]:
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PASSWORD_HASHERS[0])"
    )
    return subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ducha.settings", **env},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_setting_chooses_the_hasher():
    default = _settings_of()
    assert default.stdout.strip() == SHA256_HASHER, default.stderr
    chosen = _settings_of(DUCHA_PASSWORD_HASHER="sm3")
    assert chosen.stdout.strip() == SM3_HASHER, chosen.stderr
    wrong = _settings_of(DUCHA_PASSWORD_HASHER="md5")
    assert wrong.returncode != 0
    assert "DUCHA_PASSWORD_HASHER is 'md5'; use one of: pbkdf2_sha256, sm3" in wrong.stderr


def test_the_startup_check_refuses_sm3_when_openssl_lacks_it(settings, monkeypatch):
    settings.PASSWORD_HASHERS = [SM3_HASHER, SHA256_HASHER]
    call_command("check")  # SM3 is there: no error
    assert get_hasher("default").algorithm == "pbkdf2_sm3"

    def no_sm3(name, data=b""):
        raise ValueError(f"unsupported hash type {name}")

    monkeypatch.setattr(crypto.hashlib, "new", no_sm3)
    with pytest.raises(SystemCheckError, match=r"ducha\.E101.*has no SM3"):
        call_command("check")
    # With Django's hasher chosen the same machine starts.
    settings.PASSWORD_HASHERS = [SHA256_HASHER, SM3_HASHER]
    call_command("check")
