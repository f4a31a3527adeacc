"""Real Chromium (Debian's) driven by Playwright, shared by the browser tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser(monkeypatch):
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium (`make chromium`). "
            "The browser test must run, it is never skipped."
        )
    # Only for these tests (`check --deploy` rightly rejects it elsewhere): the ORM calls the
    # test itself makes run beside Playwright's event loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def enrol_second_factor(page) -> None:
    """On the setup page an administrator reaches after the password: read the secret as one
    types it into an app, confirm with the code it gives, and go on past the recovery codes."""
    from base64 import b32decode

    from django_otp.oath import totp

    page.wait_for_url("**/accounts/two-factor/setup/")
    secret = page.locator("[data-testid=totp-secret]").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("input[name=code]", f"{totp(key):06d}")
    page.click("[data-testid=setup-form] button[type=submit]")
    page.click("[data-testid=codes-done]")
