"""The production environment of docs/operations.md ("TLS termination") passes check --deploy."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.crypto.conftest import NEW_KEY

# What is checked here is the same whatever the database (.ci/run runs it once).
pytestmark = pytest.mark.once

# Exactly the variables the documentation lists for a server behind the TLS proxy.
PRODUCTION = {
    "DUCHA_SECRET_KEY": "k3y-" + "x7Qp9vR2mL5tW8zB4nC6hJ1gF3dS0aE" * 2,
    "DUCHA_ALLOWED_HOSTS": "ducha.example.gov.cn",
    "DUCHA_CSRF_TRUSTED_ORIGINS": "https://ducha.example.gov.cn",
    "DUCHA_BEHIND_PROXY": "1",
    "DUCHA_LOGIN_PROXY_COUNT": "1",
    "DUCHA_SSL_REDIRECT": "1",
    "DUCHA_SECURE_COOKIES": "1",
    "DUCHA_HSTS_SECONDS": "31536000",
    "DUCHA_PASSWORD_HASHER": "sm3",
    "DUCHA_FIELD_KEYS": NEW_KEY,
}


def check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    return check("--deploy", "--fail-level", "WARNING", **env)


def check(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DUCHA_")}
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "ducha.settings", "LANGUAGE": "en", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_environment_passes_check_deploy():
    done = check_deploy(**PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_without_secure_cookies_and_hsts_check_deploy_fails():
    plain = {
        key: value
        for key, value in PRODUCTION.items()
        if key not in {"DUCHA_SECURE_COOKIES", "DUCHA_HSTS_SECONDS"}
    }
    done = check_deploy(**plain)
    assert done.returncode != 0
    for flagged in ("security.W004", "security.W012", "security.W016"):
        assert flagged in done.stderr, done.stderr


def test_without_field_keys_the_server_refuses_to_start():
    done = check_deploy(**{k: v for k, v in PRODUCTION.items() if k != "DUCHA_FIELD_KEYS"})
    assert done.returncode != 0
    assert "ImproperlyConfigured: DUCHA_FIELD_KEYS is not set" in done.stderr
    # A development machine (debug on) starts with the published development key.
    done = check(DUCHA_DEBUG="1")
    assert done.returncode == 0, done.stderr
