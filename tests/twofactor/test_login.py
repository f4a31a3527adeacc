"""Enrolment and the login in two steps: password, then a TOTP or recovery code."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.models import SecurityEvent
from tests.twofactor.conftest import (
    code,
    enrol,
    next_code,
    password_step,
    secret_on_page,
    signed_in_as,
)

pytestmark = pytest.mark.django_db


def events(kind) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind))


def test_enrolment_shows_a_local_qr_code_and_the_secret_then_recovery_codes(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/two-factor/setup/")
    html = page.content.decode()
    assert "<svg" in html and 'class="qr-code"' in html
    # Drawn on the server: no image from elsewhere, and the strict CSP is unchanged.
    assert "<img" not in html.split('data-testid="totp-qr"')[1].split("</div>")[0]
    assert "script-src 'self'" in page["Content-Security-Policy"]
    # The same secret while the user is scanning (a reload does not change it).
    again = client.get("/accounts/two-factor/setup/").content.decode()
    assert secret_on_page(again) == secret_on_page(html)
    _key, codes = enrol(client)
    assert len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=alice).confirmed
    assert StaticToken.objects.filter(device__user=alice).count() == 10
    [enrolled] = events(SecurityEventKind.OTP_ENROLLED)
    assert enrolled.subject == alice and enrolled.actor == alice
    status = client.get("/accounts/two-factor/").content.decode()
    assert 'data-testid="enrolled"' in status and "10" in status


def test_a_wrong_code_at_enrolment_is_named_on_the_field_and_nothing_saved(client, alice):
    client.force_login(alice)
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"code": "12345"})
    assert response.status_code == 422
    assert "口令错误" in response.content.decode()
    assert 'data-field="code"' in response.content.decode().split('data-testid="field-error"')[0]
    assert not TOTPDevice.objects.filter(user=alice).exists()


def test_login_asks_for_the_code_after_the_password(client, alice):
    client.force_login(alice)
    key, _codes = enrol(client)
    client.logout()
    response = password_step(client, "alice")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    # The password alone signs nobody in: pages still send to the login.
    assert signed_in_as(client) is None
    assert client.get("/problems/queue/").status_code == 302
    response = client.post("/accounts/login/code/", {"code": next_code(key)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_as(client) == "alice"
    assert client.get("/problems/queue/").status_code == 200


def test_the_code_page_needs_the_password_step_first(client, alice):
    response = client.post("/accounts/login/code/", {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert signed_in_as(client) is None


def test_a_wrong_code_is_refused_on_the_field_recorded_and_counted(client, alice):
    client.force_login(alice)
    key, _codes = enrol(client)
    client.logout()
    password_step(client, "alice")
    wrong = f"{(int(code(key)) + 500_000) % 1_000_000:06d}"
    response = client.post("/accounts/login/code/", {"code": wrong})
    assert response.status_code == 422
    html = response.content.decode()
    assert "口令错误" in html and 'data-testid="field-error"' in html
    assert signed_in_as(client) is None
    [failed] = events(SecurityEventKind.OTP_FAILED)
    assert failed.subject == alice and failed.actor is None and failed.username == "alice"
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 1
    # The right code still works after one mistake.
    client.post("/accounts/login/code/", {"code": next_code(key)})
    assert signed_in_as(client) == "alice"


def test_five_wrong_codes_lock_the_account_like_five_wrong_passwords(client, alice):
    client.force_login(alice)
    key, _codes = enrol(client)
    client.logout()
    password_step(client, "alice")
    for _ in range(4):
        assert client.post("/accounts/login/code/", {"code": "000000"}).status_code == 422
    response = client.post("/accounts/login/code/", {"code": "000000"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    # Locked: neither the password step nor the right code gets in now.
    assert password_step(client, "alice").status_code == 429
    assert client.post("/accounts/login/code/", {"code": next_code(key)}).status_code == 302
    assert signed_in_as(client) is None


def test_a_replayed_code_is_refused(client, alice):
    client.force_login(alice)
    key, _codes = enrol(client)
    client.logout()
    password_step(client, "alice")
    once = next_code(key)
    client.post("/accounts/login/code/", {"code": once})
    assert signed_in_as(client) == "alice"
    client.logout()
    # Someone who saw the code types it again, with the password.
    other = Client()
    password_step(other, "alice")
    response = other.post("/accounts/login/code/", {"code": once})
    assert response.status_code == 422
    assert "已使用" in response.content.decode()
    assert signed_in_as(other) is None
    [failed] = events(SecurityEventKind.OTP_FAILED)
    assert failed.detail["replayed"] is True


def test_the_enrolment_code_cannot_log_in_again(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/two-factor/setup/")
    key = secret_on_page(page.content.decode())
    first = code(key)
    client.post("/accounts/two-factor/setup/", {"code": first})
    client.logout()
    password_step(client, "alice")
    assert client.post("/accounts/login/code/", {"code": first}).status_code == 422


def test_a_recovery_code_logs_in_once(client, alice):
    client.force_login(alice)
    _key, codes = enrol(client)
    client.logout()
    password_step(client, "alice")
    response = client.post("/accounts/login/code/", {"code": codes[0].upper()})
    assert response.status_code == 302
    assert signed_in_as(client) == "alice"
    [used] = events(SecurityEventKind.RECOVERY_CODE_USED)
    assert used.subject == alice and used.detail["left"] == 9
    client.logout()
    password_step(client, "alice")
    response = client.post("/accounts/login/code/", {"code": codes[0]})
    assert response.status_code == 422
    assert "恢复码" in response.content.decode()
    assert signed_in_as(client) is None
    # The others still work.
    client.post("/accounts/login/code/", {"code": codes[1]})
    assert signed_in_as(client) == "alice"


def test_new_recovery_codes_replace_the_old_ones(client, alice):
    client.force_login(alice)
    _key, old = enrol(client)
    response = client.post("/accounts/two-factor/recovery-codes/")
    from tests.twofactor.conftest import recovery_codes

    new = recovery_codes(response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert events(SecurityEventKind.RECOVERY_CODES_RENEWED)
    client.logout()
    password_step(client, "alice")
    assert client.post("/accounts/login/code/", {"code": old[2]}).status_code == 422
    client.post("/accounts/login/code/", {"code": new[2]})
    assert signed_in_as(client) == "alice"


def test_a_user_the_policy_does_not_cover_may_turn_it_off(client, alice):
    client.force_login(alice)
    enrol(client)
    response = client.post("/accounts/two-factor/disable/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert events(SecurityEventKind.OTP_DISABLED)
    client.logout()
    assert password_step(client, "alice")["Location"] == "/"
    assert signed_in_as(client) == "alice"


def test_the_password_must_still_be_right(client, alice):
    client.force_login(alice)
    enrol(client)
    client.logout()
    response = password_step(client, "alice", "wrong-password")
    assert response.status_code == 200
    assert client.post("/accounts/login/code/", {"code": "123456"})["Location"] == (
        "/accounts/login/"
    )


def test_the_code_must_follow_the_password_within_five_minutes(client, alice, monkeypatch):
    client.force_login(alice)
    key, _codes = enrol(client)
    client.logout()
    password_step(client, "alice")
    import ducha.accounts.pending as pending

    later = pending.time.time() + pending.PENDING_SECONDS + 1
    monkeypatch.setattr(pending.time, "time", lambda: later)
    response = client.post("/accounts/login/code/", {"code": next_code(key)})
    assert response["Location"] == "/accounts/login/"
    assert signed_in_as(client) is None


def test_a_password_changed_meanwhile_ends_the_pending_login(client, alice):
    client.force_login(alice)
    key, _codes = enrol(client)
    client.logout()
    password_step(client, "alice")
    alice.set_password("New-Secret-2027")
    alice.save()
    response = client.post("/accounts/login/code/", {"code": next_code(key)})
    assert response["Location"] == "/accounts/login/"
    assert signed_in_as(client) is None
