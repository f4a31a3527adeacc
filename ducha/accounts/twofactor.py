"""Two-factor login (双因素认证): who must use it, and the actions that enrol, check and reset
the second factor.

The second factor is a TOTP device (django-otp's `otp_totp`: an authenticator app on the
user's phone) with a set of single-use recovery codes (`otp_static`). The login pages
(`twofactor_views`) sign a user in only once the code is checked here.
"""

from __future__ import annotations

import secrets
from base64 import b32encode
from binascii import unhexlify
from typing import Any
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ducha.accounts.administration import administers
from ducha.accounts.audit import record
from ducha.accounts.choices import ADMIN_ROLES, Role, SecurityEventKind
from ducha.accounts.keys.models import SecurityKey
from ducha.accounts.models import Membership
from ducha.core.errors import InvalidInput, TransitionRefused
from ducha.orgs.models import Org

RECOVERY_CODE_COUNT = 10
# A code as typed: six digits, or a recovery code with spaces or dashes; longer is refused.
CODE_MAX_LENGTH = 20
# TOTP as every authenticator app does it by default (RFC 6238: SHA-1, 30 s, 6 digits); one
# step either side is accepted for clock drift.
STEP, DIGITS, TOLERANCE = 30, 6, 1
KEY_BYTES = 20


# --- policy -------------------------------------------------------------------------------


def required_roles() -> frozenset[str]:
    """The administrator roles always; others as `DUCHA_TWO_FACTOR_ROLES` adds them."""
    return ADMIN_ROLES | frozenset(settings.DUCHA_TWO_FACTOR_ROLES)


def two_factor_required(user: Any) -> bool:
    """Whether the policy requires a second factor of this account: a superuser, a holder of
    a listed role, or anyone with a role in an org flagged for it or below one."""
    if user.is_superuser:
        return True
    roles = required_roles()
    ancestors: set[int] = set()
    for role, path in Membership.objects.filter(user=user).values_list("role", "org__path"):
        if role in roles:
            return True
        ancestors.update(int(part) for part in path.strip("/").split("/") if part)
    return (
        bool(ancestors) and Org.objects.filter(pk__in=ancestors, two_factor_required=True).exists()
    )


def totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: Any) -> bool:
    """An authenticator app, or a security key (WebAuthn)."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or SecurityKey.objects.filter(user=user).exists()
    )


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- enrolment: the secret, the QR code ---------------------------------------------------


def new_key() -> str:
    """A new TOTP secret, hex as TOTPDevice stores it."""
    return secrets.token_hex(KEY_BYTES)


def key_as_text(key: str) -> str:
    """The secret in base32 (what authenticator apps take when typed in), in groups of 4."""
    text = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(user: Any, key: str) -> str:
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{user.get_username()}")
    secret = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP})
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str) -> SafeString:
    """The QR code as inline SVG, drawn here: no image service, nothing the CSP must allow."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=_("QR code"), svgclass="qr-code"
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup; the title is escaped by segno


def _clean(code: str) -> str:
    return "".join(ch for ch in str(code) if ch not in " -").lower()[:CODE_MAX_LENGTH]


def _totp(key: str, drift: int = 0) -> TOTP:
    return TOTP(unhexlify(key), STEP, 0, DIGITS, drift)


def _new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes with new ones; the raw codes are returned once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# --- actions ------------------------------------------------------------------------------


def do_enrol_two_factor(
    user: Any, *, key: str, code: str, acting_user: Any, request: HttpRequest | None = None
) -> list[str]:
    """Confirm a new TOTP secret by a first correct code: the device is saved (its time step
    taken, so the same code cannot log in), recovery codes are made, and the raw codes are
    returned to be shown once."""
    if acting_user.pk != user.pk:
        raise PermissionDenied
    cleaned = _clean(code)
    totp = _totp(key)
    if not (cleaned.isdigit() and len(cleaned) == DIGITS and totp.verify(int(cleaned), TOLERANCE)):
        raise InvalidInput(_("The code is wrong. Enter the 6 digits the app shows now."), "code")
    with transaction.atomic():
        if TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).exists():
            raise TransitionRefused(_("Two-factor login is already set up for this account."))
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(
            user=user,
            name="authenticator",
            key=key,
            confirmed=True,
            last_t=totp.t(),
            drift=totp.drift,
        )
        codes = _new_recovery_codes(user)
        record(SecurityEventKind.OTP_ENROLLED, request=request, actor=acting_user, subject=user)
    return codes


def do_renew_recovery_codes(
    user: Any, *, acting_user: Any, request: HttpRequest | None = None
) -> list[str]:
    """New recovery codes for an enrolled user; the old ones stop working."""
    if acting_user.pk != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        if not TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).exists():
            raise TransitionRefused(_("Set up two-factor login first."))
        codes = _new_recovery_codes(user)
        record(
            SecurityEventKind.RECOVERY_CODES_RENEWED,
            request=request,
            actor=acting_user,
            subject=user,
        )
    return codes


def _remove_devices(user: Any) -> int:
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += SecurityKey.objects.filter(user=user).delete()[0]
    return removed + StaticDevice.objects.filter(user=user).delete()[0]


def do_remove_security_key(
    key: SecurityKey, *, acting_user: Any, request: HttpRequest | None = None
) -> None:
    """A user removes one of their security keys; not the last second factor of an account
    the policy covers."""
    if acting_user.pk != key.user_id:
        raise PermissionDenied
    with transaction.atomic():
        others = SecurityKey.objects.filter(user=acting_user).exclude(pk=key.pk).exists()
        has_app = TOTPDevice.objects.filter(user=acting_user, confirmed=True).exists()
        if not (others or has_app) and two_factor_required(acting_user):
            raise TransitionRefused(
                _(
                    "Two-factor login is required for your account: keep at least one key "
                    "or set up an authenticator app first."
                )
            )
        key.delete()
        record(
            SecurityEventKind.OTP_DISABLED,
            request=request,
            actor=acting_user,
            subject=acting_user,
            factor="security_key",
            key=key.name,
        )


def do_disable_two_factor(
    user: Any, *, acting_user: Any, request: HttpRequest | None = None
) -> None:
    """A user turns off their own second factor, where the policy does not require one."""
    if acting_user.pk != user.pk:
        raise PermissionDenied
    if two_factor_required(user):
        raise TransitionRefused(
            _("Two-factor login is required for your account; it cannot be turned off.")
        )
    with transaction.atomic():
        if not _remove_devices(user):
            raise TransitionRefused(_("Two-factor login is not set up for this account."))
        record(SecurityEventKind.OTP_DISABLED, request=request, actor=acting_user, subject=user)


def do_reset_two_factor(
    subject: Any, *, acting_user: Any, request: HttpRequest | None = None
) -> None:
    """A security administrator removes an account's second factor (a lost phone): the
    account sets up a new one at its next login if the policy requires it."""
    if not administers(acting_user, Role.SECURITY_ADMIN, subject):
        raise PermissionDenied
    with transaction.atomic():
        removed = _remove_devices(subject)
        record(
            SecurityEventKind.OTP_RESET,
            request=request,
            actor=acting_user,
            subject=subject,
            removed=removed,
        )


def do_pass_second_factor(user: Any, code: str, *, request: HttpRequest | None = None) -> Any:
    """Check the code typed at login: a TOTP code (refused if already used: each time step
    logs in once) or a recovery code (deleted as it is used). Returns the device that
    matched; a wrong code is recorded and refused on the field `code`.

    The devices are locked for the check, so two requests with one code cannot both pass.
    """
    cleaned = _clean(code)
    device: Any = None
    replayed = False
    with transaction.atomic():
        if cleaned.isdigit() and len(cleaned) == DIGITS:
            for totp_row in TOTPDevice.objects.select_for_update().filter(
                user=user, confirmed=True
            ):
                if totp_row.verify_token(cleaned):
                    device = totp_row
                    break
                # Right code, but its time step already logged in: say so.
                check = _totp(totp_row.key, totp_row.drift)
                replayed = replayed or check.verify(int(cleaned), TOLERANCE)
        elif cleaned:
            for static in StaticDevice.objects.select_for_update().filter(
                user=user, confirmed=True
            ):
                if static.verify_token(cleaned):
                    device = static
                    record(
                        SecurityEventKind.RECOVERY_CODE_USED,
                        request=request,
                        actor=user,
                        subject=user,
                        left=static.token_set.count(),
                    )
                    break
    if device is None:
        record(
            SecurityEventKind.OTP_FAILED,
            request=request,
            actor=None,
            subject=user,
            username=user.get_username(),
            replayed=replayed,
        )
        if replayed:
            message = _("This code was already used. Wait for the next code in your app.")
        else:
            message = _("The code is wrong, or this recovery code was already used.")
        raise InvalidInput(message, "code")
    return device
