"""Two-factor login in real Chromium: an administrator the policy covers enrols right after
the password (reading the secret off the page, as one types it into an app), then logs out
and logs in with password and code; at a desktop's width and at a phone's."""

from __future__ import annotations

from base64 import b32decode
from urllib.parse import urlsplit

import pytest
from django_otp.oath import totp

from tests.browser.conftest import ARTIFACTS, PHONE
from tests.world import PASSWORD, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}


def _code(secret: str, drift: int = 0) -> str:
    """What an authenticator app shows for the secret typed in (drift=1: the next code)."""
    text = secret.replace(" ", "")
    return f"{totp(b32decode(text + '=' * (-len(text) % 8)), drift=drift):06d}"


def _password_step(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_enrol_then_log_in_with_password_and_code(live_server, browser, viewport):
    build_world()
    base = live_server.url
    phone = viewport == PHONE
    context = browser.new_context(
        viewport=viewport, device_scale_factor=2 if phone else 1, is_mobile=phone, locale="zh-CN"
    )
    page = context.new_page()
    console_errors: list[str] = []
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    foreign: list[str] = []
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if urlsplit(request.url).netloc != urlsplit(base).netloc
            else None
        ),
    )

    # The password alone does not sign an administrator in: enrolment comes first.
    _password_step(page, base, "county_admin")
    page.wait_for_url("**/accounts/two-factor/setup/")
    assert page.locator("[data-testid=setup-required]").is_visible()
    qr = page.locator("[data-testid=totp-qr] svg")
    assert qr.is_visible()
    box = qr.bounding_box()
    assert box and box["width"] >= 150 and box["x"] + box["width"] <= viewport["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(
        path=str(ARTIFACTS / f"two-factor-setup-{'phone' if phone else 'desktop'}.png"),
        full_page=True,
    )
    secret = page.locator("[data-testid=totp-secret]").inner_text()
    page.fill("input[name=code]", _code(secret))
    page.click("[data-testid=setup-form] button[type=submit]")
    codes = page.locator("[data-testid=recovery-code]")
    codes.first.wait_for()
    assert codes.count() == 10
    page.click("[data-testid=codes-done]")
    page.wait_for_url(f"{base}/problems/queue/")

    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/")

    # Next login: password, then the code from the app.
    _password_step(page, base, "county_admin")
    page.wait_for_url("**/accounts/login/code/")
    page.fill("input[name=code]", "000000" if _code(secret, 1) != "000000" else "111111")
    page.click("[data-testid=code-form] button[type=submit]")
    assert "动态口令错误" in page.locator("[data-testid=field-error]").inner_text()
    page.fill("input[name=code]", _code(secret, drift=1))
    page.click("[data-testid=code-form] button[type=submit]")
    page.wait_for_url(f"{base}/problems/queue/")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    # The one error expected: the wrong code's answer (422). Nothing the CSP blocked.
    assert [e for e in console_errors if "422" not in e] == [], console_errors
    assert len(console_errors) == 1
    assert not foreign, foreign
    context.close()


def test_a_security_key_stands_in_for_the_code(live_server, browser):
    """WebAuthn in Chromium with a virtual authenticator (CDP): add a key on the two-factor
    page, log out, log in with password and key."""
    from ducha.accounts.choices import SecurityEventKind
    from ducha.accounts.models import SecurityEvent

    build_world()
    # WebAuthn wants a host name (not an address) as the relying party.
    base = live_server.url.replace("127.0.0.1", "localhost")
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    console_errors: list[str] = []
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )

    # Office staff are not required to use a second factor: the password signs in.
    _password_step(page, base, "county_office")
    page.wait_for_url(f"{base}/problems/queue/")
    page.goto(f"{base}/accounts/two-factor/")
    form = page.locator("[data-testid=key-form]")
    assert form.is_visible()
    form.locator("input[name=name]").fill("我的USB密钥")
    form.locator("button[type=submit]").click()
    page.locator("[data-testid=security-key]").first.wait_for()
    assert "我的USB密钥" in page.locator("[data-testid=security-keys]").inner_text()
    assert page.locator("[data-testid=enrolled]").is_visible()
    enrolled = SecurityEvent.objects.get(kind=SecurityEventKind.OTP_ENROLLED)
    assert enrolled.detail["factor"] == "security_key"

    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/")

    # Now the password is not enough: the code page offers the key.
    _password_step(page, base, "county_office")
    page.wait_for_url("**/accounts/login/code/")
    page.click("[data-testid=key-login] button[type=submit]")
    page.wait_for_url(f"{base}/problems/queue/")
    assert not console_errors, console_errors
    context.close()
