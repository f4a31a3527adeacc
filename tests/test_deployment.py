"""What a deployment relies on: the security check, the CSP, nothing from another host."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def test_check_deploy_passes_with_production_settings(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "k3y-" + "x7Qp9vR2mL5tW8zB4nC6hJ1gF3dS0aE" * 2
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    call_command("check", "--deploy", "--fail-level", "WARNING")


def test_check_deploy_flags_the_development_key(settings):
    settings.DEBUG = False
    with pytest.raises(SystemCheckError):
        call_command("check", "--deploy", "--fail-level", "WARNING")


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(world, login):
    client = login(world, "county_office")
    policy = client.get("/problems/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe" not in policy
    docs = client.get("/api/v1/docs")["Content-Security-Policy"]
    assert "script-src 'self';" in docs


@pytest.mark.django_db
def test_login_page_loads_nothing_from_another_host(client):
    html = client.get("/accounts/login/").content.decode()
    assert not re.search(r"""(src|href)=["']https?://""", html)
