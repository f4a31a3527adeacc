"""Security keys (WebAuthn) as a second factor: the options the browser is given, and the
actions that register a key, check it at login and remove it.

The relying party is this site as the browser reaches it: its host name is the RP ID and
scheme + host the origin (behind a TLS proxy, Django must see the original scheme and host:
`SECURE_PROXY_SSL_HEADER`, `USE_X_FORWARDED_HOST`). The challenge lives in the session
between the options and the answer, and is used once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    UserVerificationRequirement,
)

from ducha.accounts.audit import record
from ducha.accounts.choices import SecurityEventKind
from ducha.accounts.keys.models import KEY_NAME_LENGTH, SecurityKey
from ducha.core.errors import InvalidInput

CHALLENGE = "webauthn_challenge"
# What a browser sends for one credential is a few kilobytes; more is refused unread.
MAX_BODY = 64 * 1024
FACTOR = "security_key"


@dataclass(frozen=True)
class RelyingParty:
    rp_id: str
    origin: str


def relying_party(request: HttpRequest) -> RelyingParty:
    host = request.get_host()
    return RelyingParty(
        rp_id=host.rsplit(":", 1)[0].strip("[]"), origin=f"{request.scheme}://{host}"
    )


def _descriptors(user: Any) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(key.credential_id))
        for key in SecurityKey.objects.filter(user=user)
    ]


def registration_options(request: HttpRequest, user: Any) -> str:
    """The options for `navigator.credentials.create()`; the challenge kept in the session."""
    party = relying_party(request)
    options = generate_registration_options(
        rp_id=party.rp_id,
        rp_name=settings.OTP_TOTP_ISSUER,
        user_id=str(user.pk).encode(),
        user_name=user.get_username(),
        user_display_name=str(user),
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            user_verification=UserVerificationRequirement.DISCOURAGED
        ),
    )
    request.session[CHALLENGE] = bytes_to_base64url(options.challenge)
    return str(options_to_json(options))


def authentication_options(request: HttpRequest, user: Any) -> str:
    """The options for `navigator.credentials.get()` with the user's keys."""
    party = relying_party(request)
    options = generate_authentication_options(
        rp_id=party.rp_id,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.DISCOURAGED,
    )
    request.session[CHALLENGE] = bytes_to_base64url(options.challenge)
    return str(options_to_json(options))


def take_challenge(request: HttpRequest) -> bytes | None:
    """The challenge given with the last options, once."""
    challenge = request.session.pop(CHALLENGE, None)
    return base64url_to_bytes(challenge) if isinstance(challenge, str) else None


def _credential(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise InvalidInput(_("The security key's answer is not valid."), "credential")
    return raw


def do_add_security_key(
    user: Any,
    *,
    name: str,
    credential: Any,
    challenge: bytes | None,
    party: RelyingParty,
    acting_user: Any,
    request: HttpRequest | None = None,
) -> SecurityKey:
    """Register a key the browser created for these options (its attestation checked)."""
    if acting_user.pk != user.pk:
        raise PermissionDenied
    name = str(name or "").strip()
    if not name or len(name) > KEY_NAME_LENGTH:
        raise InvalidInput(
            _("Give the key a name of at most %(count)d characters.") % {"count": KEY_NAME_LENGTH},
            "name",
        )
    if challenge is None:
        raise InvalidInput(_("The security key's answer is not valid."), "credential")
    try:
        verified = verify_registration_response(
            credential=_credential(credential),
            expected_challenge=challenge,
            expected_rp_id=party.rp_id,
            expected_origin=party.origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise InvalidInput(_("The security key's answer is not valid."), "credential") from error
    credential_id = bytes_to_base64url(verified.credential_id)
    with transaction.atomic():
        if SecurityKey.objects.filter(credential_id=credential_id).exists():
            raise InvalidInput(_("This security key is already registered."), "credential")
        key = SecurityKey.objects.create(
            user=user,
            name=name,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
        )
        record(
            SecurityEventKind.OTP_ENROLLED,
            request=request,
            actor=acting_user,
            subject=user,
            factor=FACTOR,
            key=key.name,
        )
    return key


def do_pass_security_key(
    user: Any,
    credential: Any,
    *,
    challenge: bytes | None,
    party: RelyingParty,
    request: HttpRequest | None = None,
) -> SecurityKey:
    """Check a login assertion against the user's keys; the signature counter must move on
    (a counter that goes back betrays a cloned key). A refusal is recorded."""
    key = None
    with transaction.atomic():
        try:
            raw = _credential(credential)
            key = (
                SecurityKey.objects.select_for_update()
                .filter(user=user, credential_id=raw["id"])
                .first()
            )
            if key is None or challenge is None:
                raise InvalidInput("", "credential")
            verified = verify_authentication_response(
                credential=raw,
                expected_challenge=challenge,
                expected_rp_id=party.rp_id,
                expected_origin=party.origin,
                credential_public_key=bytes(key.public_key),
                credential_current_sign_count=key.sign_count,
            )
            key.sign_count = verified.new_sign_count
            key.last_used_at = timezone.now()
            key.save(update_fields=["sign_count", "last_used_at"])
            return key
        except (InvalidInput, WebAuthnException, ValueError, KeyError, TypeError):
            pass
    record(
        SecurityEventKind.OTP_FAILED,
        request=request,
        actor=None,
        subject=user,
        username=user.get_username(),
        factor=FACTOR,
    )
    raise InvalidInput(
        _("The security key was not recognised. Try again or enter a code."), "credential"
    )


def parse_body(request: HttpRequest) -> dict[str, Any]:
    """The JSON the page's script sends, bounded."""
    if len(request.body) > MAX_BODY:
        raise InvalidInput(_("The security key's answer is not valid."), "credential")
    try:
        body = json.loads(request.body or b"{}")
    except ValueError as error:
        raise InvalidInput(_("The security key's answer is not valid."), "credential") from error
    if not isinstance(body, dict):
        raise InvalidInput(_("The security key's answer is not valid."), "credential")
    return body
