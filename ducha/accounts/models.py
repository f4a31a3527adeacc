from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import Role
from ducha.core.crypto import EncryptedCharField
from ducha.core.events import ImmutableEvent
from ducha.core.phones import PHONE_MAX_LENGTH, validate_phone


class User(AbstractUser):
    # Chinese names are not split into first/last; one field holds the name as written.
    name = models.CharField(_("name"), max_length=100, blank=True, default="")
    # Personal data: stored SM4-encrypted (密评), so it cannot be searched or filtered on.
    phone = EncryptedCharField(
        _("phone"),
        max_length=PHONE_MAX_LENGTH,
        blank=True,
        default="",
        validators=[validate_phone],
        help_text=_("Mobile or landline with area code. Stored encrypted."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.username


class Membership(models.Model):
    """A role held at an org. The org's subtree (or region) is the user's jurisdiction."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    org = models.ForeignKey(
        "orgs.Org", models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} @ {self.org}"


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal token for scripts. Only its SHA-256 is stored; the raw key is shown once."""

    PREFIX = "dch_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the key, so a user can tell their tokens apart.
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    # The address of the last use: a use from another one is recorded in the audit trail.
    last_used_from = models.GenericIPAddressField(
        _("last used from"), null=True, blank=True, editable=False
    )
    # Null for tokens issued before expiry was introduced; see do_issue_token for new ones.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    scope = models.CharField(
        _("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.WRITE
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(
        cls,
        user: User,
        name: str,
        *,
        scope: str = TokenScope.WRITE,
        expires_at: datetime | None = None,
    ) -> tuple[ApiToken, str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        if expires_at is None:
            expires_at = timezone.now() + timedelta(days=settings.DUCHA_TOKEN_MAX_AGE_DAYS)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=hash_token(raw),
            hint=raw[:8],
            scope=scope,
            expires_at=expires_at,
        )
        return token, raw

    @property
    def expires(self) -> datetime:
        """When the token stops working. A token issued before expiry existed (no
        `expires_at`) lives the maximum age counted from its creation: computed here, so
        no data migration is needed and a shorter maximum takes effect on them at once."""
        if self.expires_at is not None:
            return self.expires_at
        return self.created_at + timedelta(days=settings.DUCHA_TOKEN_MAX_AGE_DAYS)

    def refusal(self, now: datetime | None = None) -> str:
        """Why the token may not be used now ("" when it may): the reason recorded."""
        if self.revoked_at is not None:
            return "revoked"
        if not self.user.is_active:
            return "inactive"
        if self.expires <= (now or timezone.now()):
            return "expired"
        return ""

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        """The token with this key, whatever its state (None for an unknown key)."""
        if not raw.startswith(cls.PREFIX):
            return None
        return cls.objects.select_related("user").filter(key_hash=hash_token(raw)).first()

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        """The owner of a token that may be used now. Records nothing: the API's token
        authentication (accounts.tokens.authenticate) also notes the use and refusals."""
        token = cls.find(raw)
        return token.user if token is not None and not token.refusal() else None


class TokenAction(models.TextChoices):
    ISSUE = "issue", _("Issue a token")
    REVOKE = "revoke", _("Revoke a token")


class TokenEvent(ImmutableEvent):
    """One immutable row per issue or revocation of an API token: who, when, which token."""

    token = models.ForeignKey(ApiToken, models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=8, choices=TokenAction.choices)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("API token event")
        verbose_name_plural = _("API token events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.token_id}"


class PasswordHistory(models.Model):
    """A password the user had (its hash only), so a change may not go back to a recent one.

    Written by `do_change_password`; the newest row also tells when the password was set,
    which the expiry rule reads.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="password_history",
        verbose_name=_("user"),
    )
    password = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.created_at:%Y-%m-%d %H:%M}"


class SecurityEvent(ImmutableEvent):
    """One immutable row of the security audit trail (安全审计): a login, a refusal, a change of
    rights, an export of personal data … who did it, to whom, when, from where.

    `kind` holds a `SecurityEventKind` value; it is kept free of `choices` so that adding a
    kind needs no migration. Written only through `ducha.accounts.audit.record`.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=32, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # The account the event is about, when it is not the actor's own (a reset, an unlock).
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account concerned"),
    )
    # The user name as typed, for failed logins of accounts that may not exist.
    username = models.CharField(_("user name"), max_length=150, blank=True, default="")
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True, default="")
    path = models.CharField(_("path"), max_length=300, blank=True, default="")
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    # Its hash chain is chosen by the user name (decision 0017): logins of different people
    # do not wait for one chain head.
    chain_by = "username"

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["actor", "-created_at"], name="security_event_actor"),
            models.Index(fields=["subject", "-created_at"], name="security_event_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} · {self.kind}"
