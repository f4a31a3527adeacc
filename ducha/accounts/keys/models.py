"""A security key (WebAuthn credential) registered by a user as a second factor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# A credential id is at most 1023 bytes (WebAuthn level 2): 1364 characters in base64url.
CREDENTIAL_ID_LENGTH = 1400
KEY_NAME_LENGTH = 100


class SecurityKey(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="security_keys",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=KEY_NAME_LENGTH)
    # base64url, as the browser sends it back at login.
    credential_id = models.CharField(max_length=CREDENTIAL_ID_LENGTH, unique=True)
    public_key = models.BinaryField()
    # The authenticator's signature counter: a counter that goes back betrays a cloned key.
    sign_count = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("security key")
        verbose_name_plural = _("security keys")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name
