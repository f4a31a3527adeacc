"""Where notifications go beyond the app, and the log of every message sent or not.

- `OrgChannel`: an org's WeCom or DingTalk group robot (per org, set by its administrators).
- `DeliveryPreference`: a user's opt-outs, quiet hours and daily digest.
- `Delivery`: one notification through one channel to one target, its attempts and outcome.
  (notification, channel, target) is unique: the idempotency key of the message.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import MaxValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.crypto import EncryptedCharField
from ducha.notices.delivery.choices import Channel, DeliveryStatus
from ducha.notices.models import Notification

WEBHOOK_LENGTH = 500
SECRET_LENGTH = 100
LABEL_LENGTH = 100
TARGET_LENGTH = 254
ERROR_LENGTH = 500


class OrgChannel(models.Model):
    """A group robot of an org: messages for the org's members are posted to its chat.

    `include_subtree` off: only members of the org itself; on: members of every org below it
    too (a county office's robot also hears about its towns' offices).
    """

    org = models.ForeignKey(
        "orgs.Org", models.CASCADE, related_name="delivery_channels", verbose_name=_("organisation")
    )
    channel = models.CharField(
        _("channel"),
        max_length=16,
        choices=[(Channel.WECOM, Channel.WECOM.label), (Channel.DINGTALK, Channel.DINGTALK.label)],
    )
    label = models.CharField(_("name"), max_length=LABEL_LENGTH)
    # The address holds the robot's access key (key=…, access_token=…): stored encrypted too,
    # and never shown again after it is saved.
    webhook_url = EncryptedCharField(
        _("webhook address"),
        max_length=WEBHOOK_LENGTH,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    # DingTalk's signing secret ("SEC…"); personal-data grade, so stored SM4-encrypted.
    secret = EncryptedCharField(
        _("signing secret"), max_length=SECRET_LENGTH, blank=True, default=""
    )
    include_subtree = models.BooleanField(_("also for the orgs below"), default=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        ordering = ["org_id", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def host(self) -> str:
        return urlsplit(self.webhook_url).hostname or ""

    @property
    def target(self) -> str:
        return f"robot:{self.pk}"


class DeliveryPreference(models.Model):
    """One user's choices. Without a row: every enabled channel, at once, at any hour."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="delivery_preference"
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by SMS"), default=True)
    robots = models.BooleanField(_("in my organisation's group chats"), default=True)
    # Local time (settings.TIME_ZONE). Equal or empty: no quiet hours. May span midnight.
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    digest = models.BooleanField(_("one daily digest instead of single messages"), default=False)
    digest_hour = models.PositiveSmallIntegerField(
        _("digest hour"), default=8, validators=[MaxValueValidator(23)]
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("delivery preference")
        verbose_name_plural = _("delivery preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23), name="delivery_digest_hour_in_day"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, channel: str) -> bool:
        if channel in (Channel.WECOM, Channel.DINGTALK):
            return self.robots
        return bool(getattr(self, channel, False))


class Delivery(models.Model):
    """One notification through one channel to one target (an address, a phone's owner, a
    robot). The worker claims it (`sending`, `claimed_at`) before it sends; docs/
    notifications.md says what happens to a claim whose worker died."""

    notification = models.ForeignKey(Notification, models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # E-mail: the address; SMS: "user:<id>" (the phone stays encrypted on the user);
    # robots: "robot:<OrgChannel id>".
    target = models.CharField(_("to"), max_length=TARGET_LENGTH)
    robot = models.ForeignKey(
        OrgChannel, models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    digest = models.BooleanField(_("in the daily digest"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("reason"), max_length=ERROR_LENGTH, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel", "target"], name="delivery_once_per_target"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.target}"
