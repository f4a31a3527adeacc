"""With debug off nothing starts on the published key or on guessed host names."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

# What is checked here is the same whatever the database (.ci/run runs it once).
pytestmark = pytest.mark.once

PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(','.join(s.ALLOWED_HOSTS))"
)


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DUCHA_DEBUG", "DUCHA_SECRET_KEY", "DUCHA_ALLOWED_HOSTS"}
    }
    clean |= {"DJANGO_SETTINGS_MODULE": "ducha.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env=clean,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_without_a_key_refuses_to_start():
    done = _start(DUCHA_ALLOWED_HOSTS="ducha.example.gov.cn")
    assert done.returncode != 0
    assert "ImproperlyConfigured: DUCHA_SECRET_KEY is not set" in done.stderr


def test_debug_off_without_hosts_refuses_to_start():
    done = _start(DUCHA_SECRET_KEY="k3y-" + "x7Qp9vR2mL5tW8zB4nC6hJ1gF3dS0aE" * 2)
    assert done.returncode != 0
    assert "ImproperlyConfigured: DUCHA_ALLOWED_HOSTS is not set" in done.stderr


def test_debug_off_starts_with_both():
    done = _start(
        DUCHA_SECRET_KEY="k3y-" + "x7Qp9vR2mL5tW8zB4nC6hJ1gF3dS0aE" * 2,
        DUCHA_ALLOWED_HOSTS="ducha.example.gov.cn",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ducha.example.gov.cn"]


def test_development_hosts_do_not_include_testserver():
    done = _start(DUCHA_DEBUG="1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["127.0.0.1,localhost"]
